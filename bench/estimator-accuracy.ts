import { fork } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memorySplit } from '../src/main/services/estimator/memory';
import { modelFacts } from '../src/main/services/estimator/model-facts';
import { fileByteSource } from '../src/main/services/gguf/byte-source';
import { readGgufHeader } from '../src/main/services/gguf/gguf-reader';
import {
  shapes as benchShapes,
  writeLlamaModel,
  type LlamaModelOptions,
  type LlamaShape,
} from '../tests/fixtures/gguf';
import { benchCacheDir, type BenchContext } from './common';
import { cachedFile } from './cached-file';
import { memoryAccuracy } from './estimator-memory';
import { speedAccuracy } from './speed/accuracy';

const shapes: Record<string, LlamaShape> = {
  'small-160M': {
    name: 'bench 160M',
    embedding: 768,
    layers: 12,
    heads: 12,
    kvHeads: 4,
    feedForward: 2048,
    vocab: 32000,
    contextLength: 32768,
    ropeFreqBase: 10000,
    tiedEmbeddings: false,
  },
  'llama-3.2-1B': benchShapes.llama32_1b,
};

const cases: {
  shape: keyof typeof shapes;
  weightType: NonNullable<LlamaModelOptions['weightType']>;
  contextSize: number;
}[] = [
  { shape: 'small-160M', weightType: 'F16', contextSize: 2048 },
  { shape: 'small-160M', weightType: 'Q8_0', contextSize: 16384 },
  { shape: 'llama-3.2-1B', weightType: 'Q8_0', contextSize: 1024 },
  { shape: 'llama-3.2-1B', weightType: 'Q8_0', contextSize: 8192 },
  { shape: 'llama-3.2-1B', weightType: 'Q4_0', contextSize: 32768 },
];

function probe(
  modelPath: string,
  contextSize: number,
): Promise<{ growthBytes: number; flashAttention: boolean }> {
  return new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(new URL('./memory-probe.ts', import.meta.url)),
      [modelPath, String(contextSize), '2'],
      {
        execArgv: ['--import', 'tsx', '--expose-gc'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    child.once('message', (m) => resolve(m as { growthBytes: number; flashAttention: boolean }));
    child.once('exit', (code) => code !== 0 && reject(new Error(`memory probe exited with ${code}`)));
  });
}

export async function estimatorAccuracy(ctx: BenchContext): Promise<Record<string, unknown>> {
  const dir = join(benchCacheDir, 'estimator');
  mkdirSync(dir, { recursive: true });
  const rows = [];
  for (const [i, c] of cases.entries()) {
    const modelPath = join(dir, `${c.shape}-${c.weightType}.gguf`);
    if (!existsSync(modelPath)) {
      ctx.progress(`writing ${c.shape} ${c.weightType}`);
      cachedFile(modelPath, (temp) =>
        writeLlamaModel(temp, { shape: shapes[c.shape], weightType: c.weightType, seed: 7 }),
      );
    }
    ctx.progress(`case ${i + 1}/${cases.length}: ${c.shape} ${c.weightType} at ${c.contextSize} tokens`);
    const source = await fileByteSource(modelPath);
    const facts = modelFacts(await readGgufHeader(source));
    await source.close();
    const measured = await probe(modelPath, c.contextSize);
    const split = memorySplit(facts, 0, {
      contextSize: c.contextSize,
      kvCacheType: 'f16',
      flashAttention: measured.flashAttention,
    });
    const predicted = split.cpu.weights + split.cpu.kv + split.cpu.compute;
    const ratio = predicted / measured.growthBytes;
    rows.push({
      ...c,
      predictedMB: Math.round(predicted / 1e6),
      measuredMB: Math.round(measured.growthBytes / 1e6),
      parts: {
        weightsMB: Math.round(split.cpu.weights / 1e6),
        kvMB: Math.round(split.cpu.kv / 1e6),
        computeMB: Math.round(split.cpu.compute / 1e6),
      },
      ratio: Number(ratio.toFixed(3)),
      // The compute estimate is llama.cpp's reserved buffer; a run touches only part of it (one token's
      // logits, not a micro-batch's), so RSS sits between the estimate without it and with it.
      withinTarget:
        ratio >= 0.9 && predicted - measured.growthBytes <= split.cpu.compute + 0.1 * measured.growthBytes,
    });
    ctx.progress(
      `  predicted ${Math.round(predicted / 1e6)} MB, measured ${Math.round(measured.growthBytes / 1e6)} MB (x${ratio.toFixed(2)})`,
    );
  }
  return {
    target:
      'estimate / process RSS growth >= 0.9, and the estimate above RSS by no more than its reserved compute buffer (+10 % of RSS)',
    allWithinTarget: rows.every((r) => r.withinTarget),
    cases: rows,
    // Per buffer class and device, fitted and held-out apart (bench/estimator-memory.ts).
    memory: await memoryAccuracy(ctx),
    // Generation and prompt speed on public llama-bench results, fitted and held-out apart (bench/speed/).
    speed: speedAccuracy(),
  };
}
