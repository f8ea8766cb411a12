import { join } from 'node:path';
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbedRequest, EmbedResult } from '../../src/main/engine-process/protocol';
import type { EngineHost } from '../../src/main/services/engine/engine-host';
import { bertTiny, writeEmbeddingModel } from '../fixtures/gguf/embedding-model';
import { engineHosts } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

const request = (inputs: EmbedRequest['inputs'], more: Partial<EmbedRequest> = {}): EmbedRequest => ({
  inputs,
  truncate: false,
  normalize: true,
  ...more,
});

function vectorsOf(result: EmbedResult): number[][] {
  if ('refused' in result) throw new Error(`refused: ${result.refused.message}`);
  return result.vectors;
}

const length = (v: readonly number[]): number => Math.hypot(...v);
const cosine = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0) / (length(a) * length(b));

describe('engine embeddings (bert fixture, real node-llama-cpp)', () => {
  const dir = makeTempDir();
  const { newHost, stopAll } = engineHosts();
  const modelPath = join(dir.path, 'embed.gguf');
  let host: EngineHost;
  let llama: Llama;

  beforeAll(async () => {
    writeEmbeddingModel(modelPath);
    host = newHost();
    const loaded = await host.load({ modelPath, contextSize: 4096, gpuLayers: 0 });
    // The embedding context is capped at what the model was trained on.
    expect(loaded.contextSize).toBe(bertTiny.contextLength);
    llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  }, 60_000);
  afterAll(async () => {
    await stopAll();
    await llama?.dispose();
    dir.cleanup();
  });

  it('gives unit vectors of the model size, the same ones node-llama-cpp gives in-process', async () => {
    const texts = ['hello world', 'the cat sat on the mat', 'green apple bread'];
    const result = await host.embed(request(texts));
    const vectors = vectorsOf(result);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(bertTiny.embedding);
      expect(length(v)).toBeCloseTo(1, 5);
    }
    if ('refused' in result) return;
    expect(result.dimensions).toBe(bertTiny.embedding);
    // [CLS] and [SEP] count as tokens, as the model reads them.
    expect(result.tokens.every((n) => n >= 3)).toBe(true);

    const model = await llama.loadModel({ modelPath });
    const context = await model.createEmbeddingContext({ contextSize: 512, batchSize: 512, threads: 1 });
    try {
      for (const [i, text] of texts.entries()) {
        const reference = (await context.getEmbeddingFor(text)).vector;
        expect(cosine(vectors[i]!, reference)).toBeCloseTo(1, 5);
        expect(result.tokens[i]).toBe(context.calculateInputLength(text));
      }
    } finally {
      await context.dispose();
      await model.dispose();
    }
  });

  it('a batch equals its inputs one by one; different texts differ; normalize: false keeps the direction', async () => {
    const texts = ['fire warm light', 'river stone tree', 'fire warm light'];
    const batch = vectorsOf(await host.embed(request(texts)));
    for (const [i, text] of texts.entries()) {
      const [single] = vectorsOf(await host.embed(request([text])));
      single!.forEach((x, j) => expect(x).toBeCloseTo(batch[i]![j]!, 5));
    }
    expect(batch[0]).toEqual(batch[2]);
    expect(cosine(batch[0]!, batch[1]!)).toBeLessThan(0.999);
    const [raw] = vectorsOf(await host.embed(request([texts[0]!], { normalize: false })));
    expect(length(raw!)).not.toBeCloseTo(1, 2);
    expect(cosine(raw!, batch[0]!)).toBeCloseTo(1, 5);
  });

  it('takes token ids, and refuses ids outside the vocabulary', async () => {
    const model = await llama.loadModel({ modelPath, vocabOnly: true });
    const ids = [...model.tokenize('hello world')];
    await model.dispose();
    const [fromIds] = vectorsOf(await host.embed(request([ids])));
    const [fromText] = vectorsOf(await host.embed(request(['hello world'])));
    expect(cosine(fromIds!, fromText!)).toBeCloseTo(1, 5);
    const bad = await host.embed(request(['fine', [5, 999_999]]));
    expect(bad).toEqual({ refused: { param: 'input.1', message: expect.stringContaining('999999') } });
  });

  it('refuses a dimensions it cannot give, and an input over the context unless told to cut it', async () => {
    expect(await host.embed(request(['hi'], { dimensions: 32 }))).toEqual({
      refused: { param: 'dimensions', message: expect.stringContaining(`${bertTiny.embedding}-dimensional`) },
    });
    expect(vectorsOf(await host.embed(request(['hi'], { dimensions: bertTiny.embedding })))).toHaveLength(1);
    const long = 'word '.repeat(bertTiny.contextLength + 50);
    const refused = await host.embed(request(['short', long]));
    expect(refused).toEqual({
      refused: { param: 'input.1', message: expect.stringMatching(/takes \d+ tokens/) },
    });
    const cut = await host.embed(request(['short', long], { truncate: true }));
    if ('refused' in cut) throw new Error(cut.refused.message);
    expect(cut.tokens[1]).toBe(bertTiny.contextLength - 1);
    expect(length(cut.vectors[1]!)).toBeCloseTo(1, 5);
  });

  it('an embedding model refuses to chat, saying why', async () => {
    await expect(
      host.chat({
        messages: [{ role: 'user', content: 'hi' }],
        sampling: { temperature: 0, maxTokens: 4, stop: [] },
      }),
    ).rejects.toThrow(/embedding model/);
  });

  it('a cancelled batch stops between inputs, and the engine serves the next request', async () => {
    const controller = new AbortController();
    // Thousands of near-full inputs: far more work than the moment before the cancel allows.
    const inputs = Array.from({ length: 2000 }, (_, i) => `${'model local home '.repeat(140)} ${i}`);
    const pending = host.embed(request(inputs, { truncate: true }), controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow(/cancelled/);
    expect(vectorsOf(await host.embed(request(['after the cancel'])))).toHaveLength(1);
  });
});

describe('engine embeddings from a chat model (the opt-in path)', () => {
  const dir = makeTempDir();
  const { newHost, stopAll } = engineHosts();
  let host: EngineHost;

  beforeAll(async () => {
    host = newHost();
    await host.load({ modelPath: writeTinyModel(dir.path), contextSize: 1024, gpuLayers: 0 });
  }, 60_000);
  afterAll(async () => {
    await stopAll();
    dir.cleanup();
  });

  it('makes unit vectors beside its chat context, and still chats', async () => {
    const vectors = vectorsOf(await host.embed(request(['hello world', 'the cat sat'])));
    expect(vectors.map((v) => v.length)).toEqual([64, 64]);
    for (const v of vectors) expect(length(v)).toBeCloseTo(1, 5);
    expect(cosine(vectors[0]!, vectors[1]!)).toBeLessThan(0.999);
    const reply = await host.chat({
      messages: [{ role: 'user', content: 'hi' }],
      sampling: { temperature: 0, maxTokens: 4, stop: [] },
    });
    expect(reply.stats.generatedTokens).toBeGreaterThan(0);
  });
});
