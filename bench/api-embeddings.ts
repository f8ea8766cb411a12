import { join } from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { writeEmbeddingModel, type BertShape } from '../tests/fixtures/gguf/embedding-model';
import type { BenchContext } from './common';
import { placeModel, startApiApp } from './api-server';
import { cachedFile } from './cached-file';

/**
 * One thread, as Hearth gives a model this small by default: with more, every layer waits at a
 * barrier for the slowest thread, which on a busy machine measures the scheduler, not the API.
 */
const threads = 1;
const batch = 64;
const reps = 10;
const contextSize = 512;

/** all-MiniLM-L6's shape (about 11M parameters in the blocks): the model people embed with locally. */
const shape: BertShape = {
  embedding: 384,
  layers: 6,
  heads: 12,
  feedForward: 1536,
  contextLength: contextSize,
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** 64 short inputs, different each rep (about a dozen tokens each, like chunks of a note). */
const inputs = (rep: number): string[] =>
  Array.from(
    { length: batch },
    (_, i) => `note ${rep} ${i}: the river by the stone house, warm light and green trees`,
  );

/** node-llama-cpp in this process: the same model, context size and threads, no HTTP, no process hop. */
async function inProcess(modelPath: string) {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createEmbeddingContext({ contextSize, batchSize: contextSize, threads });
  return {
    async run(rep: number): Promise<number> {
      const started = performance.now();
      for (const text of inputs(rep)) await context.getEmbeddingFor(text);
      return (batch * 1000) / (performance.now() - started);
    },
    dispose: async () => {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

/** The whole app as `hearth serve` runs it, and the official client asking for one batch (base64, its default). */
async function throughApi(dir: string, modelPath: string) {
  const { app, client, close } = await startApiApp(join(dir, 'data-embeddings'), 1);
  await placeModel(app, modelPath, 'embed.gguf', { threads, contextSize });
  return {
    async run(rep: number): Promise<number> {
      const started = performance.now();
      const result = await client.embeddings.create({ model: 'embed', input: inputs(rep) });
      if (result.data.length !== batch) throw new Error(`${result.data.length} vectors for ${batch} inputs`);
      return (batch * 1000) / (performance.now() - started);
    },
    close,
  };
}

/** Embeddings per second for a batch of 64 short inputs: /v1/embeddings vs node-llama-cpp in-process. */
export async function embeddingsBench(ctx: BenchContext, dir: string): Promise<Record<string, unknown>> {
  const modelPath = join(dir, 'embed-bench.gguf');
  cachedFile(modelPath, (temp) => writeEmbeddingModel(temp, { shape, seed: 11, name: 'Embed bench' }));
  ctx.progress(`embeddings: a batch of ${batch} through /v1/embeddings vs node-llama-cpp in-process, paired`);
  const api = await throughApi(dir, modelPath);
  const local = await inProcess(modelPath);
  // Warm both (the API loads the model on its first request).
  await api.run(0);
  await local.run(0);
  const pairs: Array<{ api: number; inProcess: number }> = [];
  for (let rep = 1; rep <= reps; rep++) {
    // Alternate which goes first, so a warming or throttling machine favours neither.
    const first = rep % 2 ? await api.run(rep) : await local.run(rep);
    const second = rep % 2 ? await local.run(rep) : await api.run(rep);
    const pair = rep % 2 ? { api: first, inProcess: second } : { api: second, inProcess: first };
    pairs.push(pair);
    ctx.progress(`rep ${rep}: API ${pair.api.toFixed(0)}/s, in-process ${pair.inProcess.toFixed(0)}/s`);
  }
  await local.dispose();
  await api.close();
  const ratios = pairs.map((p) => p.api / p.inProcess);
  const ratio = median(ratios);
  return {
    target: `embeddings per second, a batch of ${batch} short inputs through /v1/embeddings >= 0.9 x node-llama-cpp in-process (paired)`,
    model: `${shape.layers} layers x ${shape.embedding} bert (all-MiniLM-L6 shape), F32, mean pooling, ${threads} threads`,
    summary: {
      medianPairedRatio: Number(ratio.toFixed(3)),
      meetsTarget: ratio >= 0.9,
      ratioRange: [Number(Math.min(...ratios).toFixed(3)), Number(Math.max(...ratios).toFixed(3))],
      apiPerSecond: Number(median(pairs.map((p) => p.api)).toFixed(1)),
      inProcessPerSecond: Number(median(pairs.map((p) => p.inProcess)).toFixed(1)),
    },
    pairs,
  };
}
