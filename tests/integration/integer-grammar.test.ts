import { getLlama } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { fixIntegerGrammar } from '../../src/main/engine-process/integer-grammar';

/** The body of one GBNF rule of node-llama-cpp's grammar text. */
const ruleFor = (grammar: string, name: string): string =>
  grammar
    .split('\n')
    .find((line) => line.startsWith(`${name} ::=`))
    ?.slice(name.length + 4) ?? '';

describe("node-llama-cpp's integer grammar, mended", () => {
  it('finds the number terminal in this node-llama-cpp and takes the exponent out of integers only', async () => {
    expect(await fixIntegerGrammar()).toBe(true);
    // Twice is harmless (the engine mends it once per process, tests may again).
    expect(await fixIntegerGrammar()).toBe(true);
    const llama = await getLlama({ gpu: false });
    const grammar = await llama.createGrammarForJsonSchema({
      type: 'object',
      properties: { days: { type: 'integer' }, temp: { type: 'number' } },
      required: ['days', 'temp'],
    });
    const text = grammar.grammar;
    const integer = ruleFor(text, 'integer-number-rule');
    const fractional = ruleFor(text, 'fractional-number-rule');
    expect(integer, text).toMatch(/\[0-9\]/);
    expect(integer).not.toMatch(/[eE]/);
    // Fractions keep what JSON allows them, exponent included.
    expect(fractional).toMatch(/\[eE\]/);
    expect(grammar.parse('{"days": 5, "temp": 2.5e-1}')).toEqual({ days: 5, temp: 0.25 });
  });
});
