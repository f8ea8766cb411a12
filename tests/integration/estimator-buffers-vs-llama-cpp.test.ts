import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullGraphBytes } from '../../src/main/services/estimator/compute';
import { kvCellCounts, layerSums, memorySplit } from '../../src/main/services/estimator/memory';
import { modelFacts, type ModelFacts } from '../../src/main/services/estimator/model-facts';
import { repackRule } from '../../src/main/services/estimator/repack';
import { fileByteSource } from '../../src/main/services/gguf/byte-source';
import { readGgufHeader } from '../../src/main/services/gguf/gguf-reader';
import { shapes, writeLlamaModel, type LlamaModelOptions, type LlamaShape } from '../fixtures/gguf';
import { loggingLlama, measureBuffers, type LoadOptions } from '../helpers/llama-buffers';
import { makeTempDir } from '../helpers/temp-dir';

/**
 * The host-memory model against the buffers llama.cpp (as node-llama-cpp 3.21.1 bundles it) logs
 * for real CPU loads of generated models: repacked weights, compute buffer and KV cache.
 */
const cpuFlags = (() => {
  try {
    return (
      readFileSync('/proc/cpuinfo', 'utf8')
        .match(/^flags\s*:(.*)$/m)?.[1]
        ?.split(/\s+/) ?? []
    );
  } catch {
    return [];
  }
})();
const avx2 = cpuFlags.includes('avx2');
const rule = repackRule(
  {
    brand: 'this CPU',
    physicalCores: 1,
    logicalCores: 1,
    speedGHz: 1,
    flags: {
      avx: cpuFlags.includes('avx'),
      avx2,
      avx512: cpuFlags.includes('avx512f'),
      f16c: cpuFlags.includes('f16c'),
      fma: cpuFlags.includes('fma'),
      neon: false,
    },
  },
  false,
);

const small: LlamaShape = {
  ...shapes.tiny,
  name: 'small',
  embedding: 256,
  layers: 4,
  heads: 8,
  kvHeads: 2,
  feedForward: 1024,
  vocab: 4000,
};
/** llama.cpp prints MiB with two decimals. */
const within = (predicted: number, measured: number, tolerance: number): boolean =>
  Math.abs(predicted - measured) <= Math.max(tolerance * measured, 0.011 * 1024 * 1024);
const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(2);

describe.skipIf(!avx2)('host memory model vs llama.cpp buffers (x86 AVX2 CPU)', () => {
  const dir = makeTempDir();
  let llama: Awaited<ReturnType<typeof loggingLlama>>;
  const written = new Map<string, { path: string; facts: ModelFacts }>();

  async function model(id: string, options: LlamaModelOptions): Promise<{ path: string; facts: ModelFacts }> {
    const seen = written.get(id);
    if (seen) return seen;
    const path = join(dir.path, `${id}.gguf`);
    writeLlamaModel(path, { seed: 3, ...options });
    const source = await fileByteSource(path);
    const facts = modelFacts(await readGgufHeader(source));
    await source.close();
    const entry = { path, facts };
    written.set(id, entry);
    return entry;
  }

  beforeAll(async () => {
    llama = await loggingLlama();
  }, 60_000);
  afterAll(async () => {
    await llama?.llama.dispose();
    dir.cleanup();
  });

  const repackCases: { id: string; options: LlamaModelOptions }[] = [
    { id: 'small-Q4_0', options: { shape: small, weightType: 'Q4_0' } },
    { id: 'small-Q4_K', options: { shape: small, weightType: 'Q4_K' } },
    { id: 'small-IQ4_NL', options: { shape: small, weightType: 'IQ4_NL' } },
    { id: 'small-Q8_0', options: { shape: small, weightType: 'Q8_0' } },
    // A tied head: the CPU repacks a copy of the embeddings for the output layer.
    { id: 'small-tied-Q4_0', options: { shape: { ...small, tiedEmbeddings: true }, weightType: 'Q4_0' } },
    { id: 'l1b-Q4_0', options: { shape: shapes.llama32_1b, weightType: 'Q4_0', sparse: true } },
  ];
  for (const c of repackCases) {
    it(`predicts the CPU_REPACK buffer of ${c.id} within 1%`, async () => {
      const { path, facts } = await model(c.id, c.options);
      const measured = await measureBuffers(llama, { modelPath: path, contextSize: 512 });
      const split = memorySplit(
        facts,
        0,
        { contextSize: 512, kvCacheType: 'f16', flashAttention: false },
        layerSums(facts, rule),
      );
      const repacked = measured.model.CPU_REPACK ?? 0;
      console.log(`${c.id}: repack predicted ${mib(split.cpu.repacked)} MiB, measured ${mib(repacked)} MiB`);
      expect(within(split.cpu.repacked, repacked, 0.01)).toBe(true);
      // Without mmap the rest is one plain CPU buffer: the weights the mapped file would serve.
      const unmapped = await measureBuffers(llama, { modelPath: path, contextSize: 512, useMmap: false });
      expect(within(split.cpu.mapped, unmapped.model.CPU ?? 0, 0.01)).toBe(true);
    });
  }

  const computeCases: (Omit<LoadOptions, 'modelPath'> & { id: string })[] = [];
  for (const id of ['small-Q8_0', 'l1b-Q8_0'])
    for (const contextSize of [512, 2048, 8192])
      for (const batchSize of [128, 512])
        for (const flashAttention of [false, true])
          computeCases.push({ id, contextSize, batchSize, flashAttention });
  computeCases.push({ id: 'small-Q8_0', contextSize: 2048, batchSize: 2048, flashAttention: false });
  computeCases.push({ id: 'small-Q8_0', contextSize: 2048, batchSize: 2048, flashAttention: true });

  it('predicts the CPU compute buffer within 2% across contexts, micro-batches and flash attention', async () => {
    const rows: string[] = [];
    let worst = 0;
    for (const c of computeCases) {
      const { path, facts } = await model(c.id, {
        shape: c.id.startsWith('l1b') ? shapes.llama32_1b : small,
        weightType: 'Q8_0',
        sparse: c.id.startsWith('l1b'),
      });
      const measured = await measureBuffers(llama, { ...c, modelPath: path });
      const predicted = fullGraphBytes(facts, {
        ubatch: Math.min(c.batchSize ?? 512, c.contextSize),
        kvCells: c.contextSize,
        flashAttention: c.flashAttention ?? false,
      });
      const got = measured.compute.CPU ?? 0;
      worst = Math.max(worst, Math.abs(predicted / got - 1));
      rows.push(
        `${c.id} ctx ${c.contextSize} ub ${c.batchSize} fa ${c.flashAttention ? 'on ' : 'off'}: predicted ${mib(predicted)} MiB, measured ${mib(got)} MiB`,
      );
    }
    console.log(rows.join('\n'));
    expect(worst).toBeLessThan(0.02);
  }, 300_000);

  it('sizes the KV cache of parallel sequences as node-llama-cpp allocates it', async () => {
    const { path, facts } = await model('small-Q8_0', { shape: small, weightType: 'Q8_0' });
    for (const sequences of [1, 2, 4]) {
      for (const contextSize of [512, 1000]) {
        const measured = await measureBuffers(llama, { modelPath: path, contextSize, sequences });
        const split = memorySplit(facts, 0, {
          contextSize,
          kvCacheType: 'f16',
          flashAttention: false,
          parallel: sequences,
        });
        expect(
          kvCellCounts(facts, { contextSize, kvCacheType: 'f16', flashAttention: false, parallel: sequences })
            .full,
        ).toBe(Math.ceil(contextSize / 256) * 256 * sequences);
        console.log(
          `KV ${sequences} x ${contextSize}: predicted ${mib(split.cpu.kv)} MiB, measured ${mib(measured.kv.CPU ?? 0)} MiB`,
        );
        expect(within(split.cpu.kv, measured.kv.CPU ?? 0, 0.001)).toBe(true);
      }
    }
  }, 120_000);
});
