import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { LlamaEngine } from '../src/main/engine-process/llama-engine';
import { shapes, writeLlamaModel } from '../tests/fixtures/gguf';
import { embeddingsBench } from './api-embeddings';
import { toolCallBench } from './api-tools';
import { benchCacheDir, type BenchContext } from './common';
import { placeModel, startApiApp } from './api-server';
import { cachedFile } from './cached-file';

const threads = 2;
const generate = 128;
const reps = 10;
const contextSize = 2048;

/** About 27M parameters: slow enough that tokens/s measures the model, not the plumbing alone. */
const shape = {
  ...shapes.tiny,
  name: 'API bench',
  embedding: 512,
  layers: 8,
  heads: 8,
  kvHeads: 8,
  feedForward: 1536,
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Generation speed as a client sees it: tokens after the first, over the time from first to last chunk. */
function rate(tokens: number, first: number | undefined, last: number | undefined): number {
  if (first === undefined || last === undefined || last <= first) return NaN;
  return ((tokens - 1) * 1000) / (last - first);
}

const prompt = (n: number) => `Story ${n}: tell me everything about the sea, the ships and the stars.`;

/** Hearth's engine code in this process, no HTTP and no process hop: the baseline. */
async function inProcess(modelPath: string) {
  const engine = new LlamaEngine(false);
  await engine.load({ modelPath, contextSize, gpuLayers: 0, threads, parallel: 1 }, () => {});
  return {
    async run(n: number): Promise<number> {
      let first: number | undefined;
      let last: number | undefined;
      const result = await engine.chat(
        {
          messages: [{ role: 'user', content: prompt(n) }],
          sampling: { temperature: 0.8, seed: n, maxTokens: generate, stop: [] },
        },
        () => {
          const now = performance.now();
          first ??= now;
          last = now;
        },
        new AbortController().signal,
      );
      return rate(result.stats.generatedTokens, first, last);
    },
    dispose: () => engine.unload(),
  };
}

/** One streaming OpenAI client against the API of the whole app, as `hearth serve` runs it. */
async function streamOnce(client: OpenAI, n: number): Promise<{ tps: number; tokens: number; ms: number }> {
  const started = performance.now();
  const stream = await client.chat.completions.create({
    model: 'bench',
    messages: [{ role: 'user', content: prompt(n) }],
    max_tokens: generate,
    temperature: 0.8,
    seed: n,
    stream: true,
    stream_options: { include_usage: true },
  });
  let first: number | undefined;
  let last: number | undefined;
  let tokens = 0;
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta.content) {
      const now = performance.now();
      first ??= now;
      last = now;
    }
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  return { tps: rate(tokens, first, last), tokens, ms: performance.now() - started };
}

export async function apiBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  const dir = join(benchCacheDir, 'api');
  mkdirSync(dir, { recursive: true });
  const modelPath = join(dir, 'api-bench.gguf');
  cachedFile(modelPath, (temp) => writeLlamaModel(temp, { shape, endless: true, seed: 5 }));

  ctx.progress('one streaming client vs the engine in-process, paired');
  const one = await startApiApp(join(dir, 'data-one'), 1);
  await placeModel(one.app, modelPath, 'bench.gguf', { threads, contextSize });
  const local = await inProcess(modelPath);
  await streamOnce(one.client, 0);
  await local.run(0);
  const pairs: Array<{ api: number; inProcess: number }> = [];
  for (let rep = 1; rep <= reps; rep++) {
    // Alternate which goes first, so a warming or throttling machine favours neither.
    let api: number;
    let base: number;
    if (rep % 2) {
      api = (await streamOnce(one.client, rep)).tps;
      base = await local.run(rep);
    } else {
      base = await local.run(rep);
      api = (await streamOnce(one.client, rep)).tps;
    }
    pairs.push({ api, inProcess: base });
    ctx.progress(`rep ${rep}: API ${api.toFixed(1)} tok/s, in-process ${base.toFixed(1)} tok/s`);
  }
  await local.dispose();
  await one.close();

  ctx.progress('four streaming clients at once vs one, on a model with four slots');
  const four = await startApiApp(join(dir, 'data-four'), 4);
  await placeModel(four.app, modelPath, 'bench.gguf', { threads, contextSize });
  await streamOnce(four.client, 0);
  const single: number[] = [];
  const aggregate: number[] = [];
  for (let rep = 1; rep <= 3; rep++) {
    single.push((await streamOnce(four.client, rep)).tps);
    const started = performance.now();
    const runs = await Promise.all([0, 1, 2, 3].map((i) => streamOnce(four.client, rep * 10 + i)));
    const seconds = (performance.now() - started) / 1000;
    aggregate.push(runs.reduce((sum, r) => sum + r.tokens, 0) / seconds);
    ctx.progress(
      `rep ${rep}: one ${single.at(-1)!.toFixed(1)} tok/s, four together ${aggregate.at(-1)!.toFixed(1)} tok/s`,
    );
  }
  await four.close();

  const embeddings = await embeddingsBench(ctx, dir);
  const tools = await toolCallBench(ctx, dir);

  const ratios = pairs.map((p) => p.api / p.inProcess);
  const ratio = median(ratios);
  return {
    target:
      'one streaming client through the API >= 0.95 x the engine in-process (paired); 4 parallel clients: aggregate tokens/s vs one, reported',
    model: `${shape.name}: ${shape.layers} layers x ${shape.embedding}, Q8_0, endless (fixed ${generate}-token replies)`,
    threads,
    summary: {
      medianPairedRatio: Number(ratio.toFixed(3)),
      meetsTarget: ratio >= 0.95,
      // A wide spread means a busy machine: the ratio then says little.
      ratioRange: [Number(Math.min(...ratios).toFixed(3)), Number(Math.max(...ratios).toFixed(3))],
      oneClientTps: Number(median(single).toFixed(1)),
      fourClientsAggregateTps: Number(median(aggregate).toFixed(1)),
      fourVsOne: Number((median(aggregate) / median(single)).toFixed(2)),
    },
    pairs,
    parallel: { single, aggregate },
    embeddings,
    tools,
  };
}
