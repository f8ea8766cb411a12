import { getLlama, LlamaCompletion, type Token } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { mendJsonGrammar } from '../../src/main/engine-process/grammar-mends';
import { buildSpmVocab } from '../fixtures/gguf/spm-vocab';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

/** The body of one GBNF rule of node-llama-cpp's grammar text. */
const ruleFor = (grammar: string, name: string): string =>
  grammar
    .split('\n')
    .find((line) => line.startsWith(`${name} ::=`))
    ?.slice(name.length + 4) ?? '';

describe("node-llama-cpp's JSON grammar, mended", () => {
  it('finds both terminals in this node-llama-cpp, and mending twice is harmless', async () => {
    expect(await mendJsonGrammar()).toEqual({ integer: true, stringChar: true });
    expect(await mendJsonGrammar()).toEqual({ integer: true, stringChar: true });
  });

  it('takes the exponent out of integers only, and the invalid-UTF-8 code points out of strings', async () => {
    await mendJsonGrammar();
    const llama = await getLlama({ gpu: false });
    const grammar = await llama.createGrammarForJsonSchema({
      type: 'object',
      properties: {
        days: { type: 'integer' },
        temp: { type: 'number' },
        name: { type: 'string', maxLength: 4 },
      },
      required: ['days', 'temp', 'name'],
    });
    const text = grammar.grammar;
    const integer = ruleFor(text, 'integer-number-rule');
    expect(integer, text).toMatch(/\[0-9\]/);
    expect(integer).not.toMatch(/[eE]/);
    // Fractions keep what JSON allows them, exponent included.
    expect(ruleFor(text, 'fractional-number-rule')).toMatch(/\[eE\]/);
    expect(text).toContain('\\uD800-\\uDFFF\\U00110000-\\U003FFFFF');
    // The grammar still reads JSON, escapes and astral characters included.
    expect(grammar.parse('{"days": 5, "temp": 2.5e-1, "name": "\\u00e9\\"🙂"}')).toEqual({
      days: 5,
      temp: 0.25,
      name: 'é"🙂',
    });
  });

  it('keeps a sampling model off the byte runs llama.cpp misreads (lead bytes F5-FF, surrogates)', async () => {
    await mendJsonGrammar();
    const dir = makeTempDir();
    try {
      // The tiny model writes byte tokens freely: the runs the mend rules out came up in about one
      // bounded string in six before it.
      const model = await (await getLlama({ gpu: false })).loadModel({ modelPath: writeTinyModel(dir.path) });
      const context = await model.createContext({ contextSize: 512, threads: 1 });
      const sequence = context.getSequence();
      const grammar = await model.llama.createGrammarForJsonSchema({
        type: 'object',
        properties: { name: { type: 'string', maxLength: 12 } },
        required: ['name'],
      });
      const vocab = buildSpmVocab();
      const byteOf = new Map(
        vocab.tokens.flatMap((piece, id) => {
          const hex = /^<0x([0-9A-F]{2})>$/.exec(piece)?.[1];
          return hex ? [[id, Number.parseInt(hex, 16)] as const] : [];
        }),
      );
      let byteTokens = 0;
      for (let seed = 0; seed < 40; seed++) {
        await sequence.clearHistory();
        const tokens: number[] = [];
        await new LlamaCompletion({ contextSequence: sequence }).generateCompletion('Record:', {
          grammar,
          temperature: 1,
          seed,
          maxTokens: 60,
          onToken: (chunk) => tokens.push(...chunk),
        });
        const bytes = tokens.flatMap((t) => {
          const byte = byteOf.get(t);
          if (byte !== undefined) byteTokens++;
          return byte !== undefined ? [byte] : [...Buffer.from(model.detokenize([t as Token]))];
        });
        const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
        expect(hex, `seed ${seed}`).not.toMatch(/\bf[5-9a-f]\b/);
        expect(hex, `seed ${seed}`).not.toMatch(/\bed [ab][0-9a-f]\b/);
      }
      // The model did write raw bytes: the check above had something to look at.
      expect(byteTokens).toBeGreaterThan(20);
      await context.dispose();
      await model.dispose();
    } finally {
      dir.cleanup();
    }
  });
});
