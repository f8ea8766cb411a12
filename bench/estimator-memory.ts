/**
 * The memory half of the estimator bench: predicted vs measured per buffer class and per device,
 * on a collected set of loads, fitted and held-out parts apart.
 *
 * - Measured here: node-llama-cpp's bundled llama.cpp loading generated models on this CPU, read
 *   from its own buffer log lines (repacked weights, mapped weights, KV, compute, output).
 * - Published: CUDA load logs of real models (bench/data/memory-public-logs.ts), for the GPU side.
 *
 * A row is "fitted" when a constant of the formula for that buffer was chosen by looking at it (the
 * CPU compute buffer's grid, the two public logs the host-beside-GPU and head-offload formulas were
 * read from); every other row is held out, never used to tune anything.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerSums, memorySplitAt, type ContextOptions } from '../src/main/services/estimator/memory';
import { splitLayers } from '../src/main/services/estimator/device-split';
import { modelFacts, type ModelFacts } from '../src/main/services/estimator/model-facts';
import { repackRule } from '../src/main/services/estimator/repack';
import { fileByteSource } from '../src/main/services/gguf/byte-source';
import { readGgufHeader } from '../src/main/services/gguf/gguf-reader';
import {
  realShapes,
  shapes,
  writeLlamaModel,
  writeShapedModel,
  type LlamaModelOptions,
  type LlamaShape,
} from '../tests/fixtures/gguf';
import { loggingLlama, measureBuffers } from '../tests/helpers/llama-buffers';
import { benchCacheDir, type BenchContext } from './common';
import { cachedFile } from './cached-file';
import { publicLoads } from './data/memory-public-logs';

type Part = 'fitted' | 'held-out';
interface Row {
  id: string;
  source: string;
  part: Part;
  device: string;
  kind: 'repacked weights' | 'mapped weights' | 'weights' | 'KV' | 'compute' | 'output' | 'total';
  predictedMiB: number;
  measuredMiB: number;
  error: number;
}

const MiB = 1024 * 1024;
const f32 = 4;

async function factsOf(path: string): Promise<ModelFacts> {
  const source = await fileByteSource(path);
  try {
    return modelFacts(await readGgufHeader(source));
  } finally {
    await source.close();
  }
}

/** llama.cpp prints MiB with two decimals: a difference within that rounding is no error. */
const printResolution = 0.005 * MiB;

function row(
  base: Omit<Row, 'error' | 'predictedMiB' | 'measuredMiB'>,
  predicted: number,
  measured: number,
): Row {
  const error = Math.abs(predicted - measured) <= printResolution ? 0 : predicted / Math.max(measured, 1) - 1;
  return {
    ...base,
    predictedMiB: Number((predicted / MiB).toFixed(2)),
    measuredMiB: Number((measured / MiB).toFixed(2)),
    error: Number(error.toFixed(4)),
  };
}

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
const mid: LlamaShape = {
  name: 'bench 160M',
  embedding: 768,
  layers: 12,
  heads: 12,
  kvHeads: 4,
  feedForward: 2048,
  vocab: 32000,
  contextLength: 32768,
  ropeFreqBase: 10000,
  tiedEmbeddings: true,
};

interface LocalCase {
  model: string;
  options: LlamaModelOptions;
  contextSize: number;
  batchSize: number;
  flashAttention: boolean;
  sequences: number;
  /** In the grid the CPU compute formula was fitted on (tests/integration/estimator-buffers-vs-llama-cpp). */
  fitted: boolean;
}

const models: Record<string, LlamaModelOptions> = {
  'small-Q8_0': { shape: small, weightType: 'Q8_0' },
  'small-Q4_0': { shape: small, weightType: 'Q4_0' },
  'l1b-Q8_0': { shape: shapes.llama32_1b, weightType: 'Q8_0', sparse: true },
  'l1b-Q4_0': { shape: shapes.llama32_1b, weightType: 'Q4_0', sparse: true },
  'mid-tied-Q4_K': { shape: mid, weightType: 'Q4_K', sparse: true },
};

const localCases: LocalCase[] = [
  // From the fitted grid.
  {
    model: 'small-Q8_0',
    contextSize: 2048,
    batchSize: 512,
    flashAttention: false,
    sequences: 1,
    fitted: true,
  },
  {
    model: 'small-Q8_0',
    contextSize: 8192,
    batchSize: 128,
    flashAttention: true,
    sequences: 1,
    fitted: true,
  },
  { model: 'l1b-Q8_0', contextSize: 2048, batchSize: 512, flashAttention: false, sequences: 1, fitted: true },
  { model: 'l1b-Q8_0', contextSize: 8192, batchSize: 512, flashAttention: true, sequences: 1, fitted: true },
  // Held out: other models, weight types, contexts, micro-batches and parallel sequences.
  {
    model: 'small-Q4_0',
    contextSize: 4096,
    batchSize: 256,
    flashAttention: false,
    sequences: 1,
    fitted: false,
  },
  {
    model: 'small-Q4_0',
    contextSize: 1024,
    batchSize: 256,
    flashAttention: true,
    sequences: 4,
    fitted: false,
  },
  { model: 'l1b-Q4_0', contextSize: 4096, batchSize: 256, flashAttention: true, sequences: 1, fitted: false },
  {
    model: 'l1b-Q4_0',
    contextSize: 3000,
    batchSize: 1024,
    flashAttention: false,
    sequences: 2,
    fitted: false,
  },
  {
    model: 'mid-tied-Q4_K',
    contextSize: 16384,
    batchSize: 512,
    flashAttention: true,
    sequences: 1,
    fitted: false,
  },
  {
    model: 'mid-tied-Q4_K',
    contextSize: 2048,
    batchSize: 64,
    flashAttention: false,
    sequences: 3,
    fitted: false,
  },
].map((c) => ({ ...c, options: models[c.model]! }));

const cpuRule = (() => {
  const flags =
    readFileSync('/proc/cpuinfo', 'utf8')
      .match(/^flags\s*:(.*)$/m)?.[1]
      ?.split(/\s+/) ?? [];
  const has = (f: string): boolean => flags.includes(f);
  return repackRule(
    {
      brand: 'this CPU',
      physicalCores: 1,
      logicalCores: 1,
      speedGHz: 1,
      flags: {
        avx: has('avx'),
        avx2: has('avx2'),
        avx512: has('avx512f'),
        f16c: has('f16c'),
        fma: has('fma'),
        neon: false,
      },
    },
    false,
  );
})();

async function localRows(ctx: BenchContext, dir: string): Promise<Row[]> {
  const rows: Row[] = [];
  const logging = await loggingLlama();
  try {
    for (const [i, c] of localCases.entries()) {
      const path = join(dir, `mem-${c.model}.gguf`);
      cachedFile(path, (temp) => writeLlamaModel(temp, { seed: 3, ...c.options }));
      const facts = await factsOf(path);
      ctx.progress(`local ${i + 1}/${localCases.length}: ${c.model} ctx ${c.contextSize} ub ${c.batchSize}`);
      const load = { modelPath: path, ...c };
      const mapped = await measureBuffers(logging, load);
      const unmapped = await measureBuffers(logging, { ...load, useMmap: false });
      const options: ContextOptions = {
        contextSize: c.contextSize,
        kvCacheType: 'f16',
        flashAttention: c.flashAttention,
        ubatch: c.batchSize,
        parallel: c.sequences,
      };
      const split = memorySplitAt(facts, [], options, layerSums(facts, cpuRule));
      const outputs = facts.vocabSize * f32 * c.sequences;
      const id = `${c.model} ctx ${c.contextSize} ub ${c.batchSize} fa ${c.flashAttention ? 'on' : 'off'} x${c.sequences}`;
      const base = {
        id,
        source: 'measured here (CPU)',
        part: (c.fitted ? 'fitted' : 'held-out') as Part,
        device: 'CPU',
      };
      const measured = {
        repacked: mapped.model.CPU_REPACK ?? 0,
        mapped: unmapped.model.CPU ?? 0,
        kv: mapped.kv.CPU ?? 0,
        compute: mapped.compute.CPU ?? 0,
        output: mapped.output.CPU ?? 0,
      };
      if (split.cpu.repacked > 0 || measured.repacked > 0)
        rows.push(row({ ...base, kind: 'repacked weights' }, split.cpu.repacked, measured.repacked));
      rows.push(
        row({ ...base, kind: 'mapped weights' }, split.cpu.mapped, measured.mapped),
        row({ ...base, kind: 'KV' }, split.cpu.kv, measured.kv),
        row({ ...base, kind: 'compute' }, split.cpu.compute - outputs, measured.compute),
        row({ ...base, kind: 'output' }, outputs, measured.output),
        row(
          { ...base, kind: 'total' },
          split.cpu.repacked + split.cpu.mapped + split.cpu.kv + split.cpu.compute,
          Object.values(measured).reduce((a, b) => a + b, 0),
        ),
      );
    }
  } finally {
    await logging.llama.dispose();
  }
  return rows;
}

async function publicRows(dir: string): Promise<Row[]> {
  const rows: Row[] = [];
  const loads = publicLoads(realShapes);
  for (const load of loads) {
    const path = join(dir, `mem-public-${load.shape.id}.gguf`);
    cachedFile(path, (temp) => writeShapedModel(temp, load.shape, 'Q4_K_M'));
    const facts = await factsOf(path);
    const s = load.settings;
    const options: ContextOptions = {
      contextSize: s.contextSize,
      kvCacheType: 'f16',
      flashAttention: s.flashAttention,
      ubatch: s.ubatch,
      parallel: s.parallel,
      unifiedKv: s.unifiedKv,
    };
    const onGpu = load.gpu.to > load.gpu.from || load.gpu.output;
    const split = memorySplitAt(facts, onGpu ? [load.gpu] : [], options);
    const device = split.devices[0];
    const outputs = facts.vocabSize * f32 * s.parallel;
    const m = load.measured;
    const part = (kind: 'gpuCompute' | 'hostCompute' | 'other'): Part =>
      kind !== 'other' && load.fitted.includes(kind) ? 'fitted' : 'held-out';
    const base = { id: load.id, source: load.source };
    if (device && m.gpuModel !== undefined)
      rows.push(
        row({ ...base, part: 'held-out', device: 'CUDA0', kind: 'weights' }, device.weights, m.gpuModel),
      );
    if (device && m.gpuKv !== undefined)
      rows.push(row({ ...base, part: 'held-out', device: 'CUDA0', kind: 'KV' }, device.kv, m.gpuKv));
    if (device && m.gpuCompute !== undefined)
      rows.push(
        row(
          { ...base, part: part('gpuCompute'), device: 'CUDA0', kind: 'compute' },
          device.compute,
          m.gpuCompute,
        ),
      );
    if (device && m.gpuModel !== undefined && m.gpuKv !== undefined && m.gpuCompute !== undefined)
      rows.push(
        row(
          { ...base, part: part('gpuCompute'), device: 'CUDA0', kind: 'total' },
          device.weights + device.kv + device.compute,
          m.gpuModel + m.gpuKv + m.gpuCompute,
        ),
      );
    const host = onGpu ? 'CUDA_Host' : 'CPU';
    if (m.hostKv !== undefined)
      rows.push(row({ ...base, part: 'held-out', device: 'CPU', kind: 'KV' }, split.cpu.kv, m.hostKv));
    if (m.hostCompute !== undefined)
      rows.push(
        row(
          { ...base, part: part('hostCompute'), device: host, kind: 'compute' },
          split.cpu.compute - outputs,
          m.hostCompute,
        ),
      );
    if (m.hostOutput !== undefined)
      rows.push(row({ ...base, part: 'held-out', device: host, kind: 'output' }, outputs, m.hostOutput));
  }
  return rows;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Per part, device side and buffer class: how many, the median |error| and the share within ±10 %. */
function summarize(rows: Row[]) {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const side = r.device === 'CUDA0' ? 'GPU' : 'host';
    const key = `${r.part} | ${side} | ${r.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return Object.fromEntries(
    [...groups.entries()].sort().map(([key, rs]) => {
      const errors = rs.map((r) => Math.abs(r.error));
      return [
        key,
        {
          n: rs.length,
          medianAbsError: Number(median(errors).toFixed(4)),
          within10: Number((errors.filter((e) => e <= 0.1).length / rs.length).toFixed(3)),
        },
      ];
    }),
  );
}

export async function memoryAccuracy(ctx: BenchContext): Promise<Record<string, unknown>> {
  const dir = join(benchCacheDir, 'estimator');
  mkdirSync(dir, { recursive: true });
  const rows = [...(await publicRows(dir)), ...(await localRows(ctx, dir))];
  const totals = (side: 'GPU' | 'host', part: Part) => {
    const rs = rows.filter(
      (r) => r.kind === 'total' && r.part === part && (side === 'GPU') === (r.device === 'CUDA0'),
    );
    return rs.length
      ? {
          n: rs.length,
          within10: Number((rs.filter((r) => Math.abs(r.error) <= 0.1).length / rs.length).toFixed(3)),
        }
      : { n: 0, within10: null };
  };
  // The multi-GPU split is llama.cpp's formula, exact by construction; shown for a worked example.
  const example = splitLayers(32, 33, [24 * 1024 ** 3, 12 * 1024 ** 3]);
  return {
    target: '≥ 90 % of total GPU and total host memory within ±10 %, fitted and held-out parts apart',
    totals: {
      fitted: { gpu: totals('GPU', 'fitted'), host: totals('host', 'fitted') },
      heldOut: { gpu: totals('GPU', 'held-out'), host: totals('host', 'held-out') },
    },
    byClass: summarize(rows),
    splitExample: { gpus: '24 GiB + 12 GiB free, 32 blocks + output', devices: example },
    rows,
  };
}
