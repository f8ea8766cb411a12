import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullGraphBytes, hostBesideGpuBytes } from '../../../../src/main/services/estimator/compute';
import { splitLayers, splitPoints } from '../../../../src/main/services/estimator/device-split';
import { estimateFit } from '../../../../src/main/services/estimator/fit';
import { withGpuFreeMemory } from '../../../../src/main/services/estimator/gpu-override';
import { budgetFromProfile } from '../../../../src/main/services/estimator/machine-budget';
import { kvLayerBytes, memorySplit } from '../../../../src/main/services/estimator/memory';
import { parseGpuList } from '../../../../src/shared/domain/gpu-list';
import { cpuOnlyProfile, writeShaped, type ShapedModel } from '../../../helpers/estimator';
import { makeTempDir } from '../../../helpers/temp-dir';

const GiB = 1024 ** 3;
const options = { contextSize: 4096, kvCacheType: 'f16' as const, flashAttention: true };

describe("llama.cpp's default layer split across GPUs (load_tensors, LLAMA_SPLIT_MODE_LAYER)", () => {
  it('splits by free memory: 24 GB + 12 GB, 32 blocks and the output all offloaded', () => {
    // Split points 2/3 and 1; layer il goes to GPU 1 once il/33 >= 2/3, i.e. from il = 22 (22/33 = 2/3).
    expect(splitPoints([24 * GiB, 12 * GiB])).toEqual([Math.fround(2 / 3), 1]);
    expect(splitLayers(32, 33, [24 * GiB, 12 * GiB])).toEqual([
      { from: 0, to: 22, output: false },
      { from: 22, to: 32, output: true },
    ]);
  });

  it('offloads the output layer first, then the last blocks, split over the offloaded part only', () => {
    // 20 layers: il 13..32 offloaded (32 = output); il - 13 = k goes to GPU 0 while k/20 < 2/3 (k <= 13).
    expect(splitLayers(32, 20, [24 * GiB, 12 * GiB])).toEqual([
      { from: 13, to: 27, output: false },
      { from: 27, to: 32, output: true },
    ]);
    // One layer: the head alone, on the first GPU (0/1 = 0 is below its split point).
    expect(splitLayers(32, 1, [24 * GiB, 12 * GiB])).toEqual([
      { from: 32, to: 32, output: true },
      { from: 32, to: 32, output: false },
    ]);
  });

  it('gives three equal GPUs 4, 4 and 2 blocks + output of 10 blocks, and a GPU with nothing free none', () => {
    // Points 1/3, 2/3, 1 over 11 layers: k/11 < 1/3 for k <= 3, < 2/3 for k <= 7.
    expect(splitLayers(10, 11, [8 * GiB, 8 * GiB, 8 * GiB])).toEqual([
      { from: 0, to: 4, output: false },
      { from: 4, to: 8, output: false },
      { from: 8, to: 10, output: true },
    ]);
    expect(splitLayers(10, 11, [8 * GiB, 0, 8 * GiB])).toEqual([
      { from: 0, to: 6, output: false },
      { from: 10, to: 10, output: false },
      { from: 6, to: 10, output: true },
    ]);
    expect(splitLayers(10, 0, [8 * GiB, 8 * GiB]).every((d) => d.from === d.to && !d.output)).toBe(true);
  });
});

describe('per-device memory and verdicts', () => {
  const dir = makeTempDir();
  let l8b: ShapedModel;
  beforeAll(async () => {
    l8b = await writeShaped(dir.path, 'llama31_8b', 'Q4_K_M');
  }, 30_000);
  afterAll(() => dir.cleanup());

  it('puts each GPU its layers, their KV and a compute buffer, the output on the last', () => {
    const { facts } = l8b;
    const split = memorySplit(facts, 33, { ...options, parallel: 3 }, undefined, [24 * GiB, 12 * GiB]);
    const [first, last] = split.devices;
    expect(first!.weights).toBe(facts.bytes.layers.slice(0, 22).reduce((a, b) => a + b, 0));
    expect(last!.weights).toBe(facts.bytes.layers.slice(22).reduce((a, b) => a + b, 0) + facts.bytes.output);
    // Parallel sequences: each GPU holds 3 contexts of KV for its own layers.
    expect(first!.kv).toBe(22 * 3 * kvLayerBytes(facts, 0, options));
    expect(last!.kv).toBe(10 * 3 * kvLayerBytes(facts, 0, options));
    expect(split.gpu.kv).toBe(split.cpu.kv + 32 * 3 * kvLayerBytes(facts, 0, options));
    // A compute buffer on each; the last one's holds the logits of a full micro-batch.
    const graph = { ubatch: 512, kvCells: 4096, flashAttention: true };
    expect(last!.compute).toBeGreaterThanOrEqual(512 * 4 * facts.vocabSize);
    expect(first!.compute).toBeGreaterThan(0);
    expect(first!.compute).toBeLessThan(fullGraphBytes(facts, graph, true));
    expect(split.gpu.compute).toBe(first!.compute + last!.compute);
  });

  it('says which GPU overflows: the head on a small second GPU', () => {
    const profile = withGpuFreeMemory(cpuOnlyProfile, [24 * GiB, 1.2 * GiB]);
    const budget = budgetFromProfile(profile);
    const forced = estimateFit(l8b.facts, budget, { ...options, gpuLayers: 33 });
    expect(forced.verdict).toBe('does-not-fit');
    expect(forced.gpuLayers).toBe(33);
    expect(forced.devices.map((d) => d.fits)).toEqual([true, false]);
    expect(forced.devices[1]!.holdsOutput).toBe(true);
    expect(forced.notes.join(' ')).toMatch(
      /GPU 1 \(.*\) would need .* GB for its \d+ blocks and the output layer/,
    );
    // Left to choose, the estimator offloads fewer layers, so that every GPU fits.
    const auto = estimateFit(l8b.facts, budget, options);
    expect(auto.verdict).toBe('partial');
    expect(auto.devices.every((d) => d.fits)).toBe(true);
    expect(auto.gpu.totalBytes).toBe(auto.devices.reduce((s, d) => s + d.totalBytes, 0));
  });

  it('fits what two GPUs hold together but neither alone', () => {
    const facts = l8b.facts;
    const fit = (gpus: number[]) =>
      estimateFit(facts, budgetFromProfile(withGpuFreeMemory(cpuOnlyProfile, gpus)), options);
    expect(fit([4 * GiB]).verdict).toBe('partial');
    const both = fit([4 * GiB, 4 * GiB]);
    expect(both.verdict).toBe('full-gpu');
    expect(both.devices).toHaveLength(2);
    expect(both.devices.every((d) => d.blocks > 0 && d.fits)).toBe(true);
  });
});

describe('GPU compute with layers in RAM (op offload of large batches)', () => {
  const dir = makeTempDir();
  let l8b: ShapedModel;
  beforeAll(async () => {
    l8b = await writeShaped(dir.path, 'llama31_8b', 'Q4_K_M');
  }, 30_000);
  afterAll(() => dir.cleanup());
  const graph = { ubatch: 512, kvCells: 4096, flashAttention: true };

  it('keeps a GPU compute buffer at 0 layers: the head copied in for the logits of a batch', () => {
    const { facts } = l8b;
    const split = memorySplit(facts, 0, options, undefined, [24 * GiB]);
    // Q6_K head, 128256 x 4096, copied whole; the logits and one row of 512 tokens in f32.
    const head = facts.bytes.outputMatrix!.bytes;
    expect(head).toBe((128256 * 4096 * 210) / 256);
    const logits = 512 * 4 * (128256 + 4096);
    expect(split.devices[0]!.compute).toBe(head + logits);
    expect(split.devices[0]!.weights).toBe(0);
    // The host keeps only the graph's inputs: the GPU runs the batch.
    expect(split.cpu.compute).toBe(hostBesideGpuBytes(facts, graph) + 128256 * 4);
    // The host keeps the f16 mask and the embedded tokens: 4096 x 512 x 2 + 512 x 4096 x 4.
    expect(hostBesideGpuBytes(facts, graph)).toBe(4096 * 512 * 2 + 512 * 4096 * 4);
    // Below 32 tokens a batch stays on the CPU: no GPU buffer, the whole graph on the host.
    const small = memorySplit(facts, 0, { ...options, ubatch: 16 }, undefined, [24 * GiB]);
    expect(small.devices[0]!.compute).toBe(0);
    expect(small.cpu.compute).toBe(
      fullGraphBytes(facts, { ubatch: 16, kvCells: 4096, flashAttention: true }) + 128256 * 4,
    );
    // With no GPU at all there is no device and nothing to offload to.
    expect(memorySplit(facts, 0, options).devices).toEqual([]);
  });

  it('runs on the CPU beside a busy GPU that can still hold the batch buffer, and says when it cannot', () => {
    const { facts } = l8b;
    const busy = (free: number) => budgetFromProfile(withGpuFreeMemory(cpuOnlyProfile, [free]));
    // The head's copy and its logits: about 0.7 GB; a GPU that only runs batches needs no headroom.
    const some = estimateFit(facts, busy(1 * GiB), options);
    expect(some.verdict).toBe('cpu-only');
    expect(some.devices[0]).toMatchObject({ blocks: 0, holdsOutput: false, fits: true, headroomBytes: 0 });
    const none = estimateFit(facts, busy(0.5 * GiB), options);
    expect(none.verdict).toBe('does-not-fit');
    expect(none.notes.join(' ')).toMatch(/GPU 0 .* to run large prompt batches .* micro-batch under 32/);
    // Batches under 32 tokens stay on the CPU: then nothing is needed on the GPU.
    expect(estimateFit(facts, busy(0.5 * GiB), { ...options, ubatch: 16 }).verdict).toBe('cpu-only');
  });

  it('at partial offload runs the RAM layers from copies of one weight at a time, beside the head on the GPU', () => {
    const { facts } = l8b;
    const partial = memorySplit(facts, 10, options, undefined, [24 * GiB]).devices[0]!;
    const full = memorySplit(facts, 33, options, undefined, [24 * GiB]).devices[0]!;
    // Full offload: the whole graph, as the CPU would run it.
    expect(full.compute).toBe(fullGraphBytes(facts, graph, true));
    // Partial: at least the largest block tensor (a Q6_K ffn_down, 14336 x 4096) and a layer's K and V.
    const ffnDown = (14336 * 4096 * 210) / 256;
    expect(facts.bytes.largestBlockTensor).toBe(ffnDown);
    expect(partial.compute).toBeGreaterThan(ffnDown + kvLayerBytes(facts, 0, options));
    expect(partial.compute).toBeGreaterThanOrEqual(full.compute);
    // At a long context the copy of a RAM layer's K and V the GPU attends over outweighs the logits.
    const longOptions = { ...options, contextSize: 65536 };
    const long = memorySplit(facts, 10, longOptions, undefined, [24 * GiB]).devices[0]!;
    const longFull = memorySplit(facts, 33, longOptions, undefined, [24 * GiB]).devices[0]!;
    expect(long.compute).toBeGreaterThan(ffnDown + kvLayerBytes(facts, 0, longOptions));
    expect(long.compute).toBeGreaterThan(longFull.compute);
  });
});

describe('--gpus parsing', () => {
  it('reads sizes separated by commas or spaces', () => {
    expect(parseGpuList('24GB,12GB')).toEqual({ ok: true, bytes: [24 * GiB, 12 * GiB] });
    expect(parseGpuList(' 24 , 8192MiB ')).toEqual({ ok: true, bytes: [24 * GiB, 8 * GiB] });
  });

  it('names the entry that is not a size, and refuses empty lists and too many GPUs', () => {
    expect(parseGpuList('24GB,lots')).toEqual({
      ok: false,
      error: 'GPU 1: "lots" is not a memory size (write it like 24GB or 8192MiB)',
    });
    for (const bad of ['0GB', '-4GB', '24XB', '1e9GB'])
      expect(parseGpuList(bad)).toMatchObject({ ok: false, error: expect.stringMatching(/^GPU 0: /) });
    expect(parseGpuList(' , ')).toMatchObject({ ok: false, error: /free memory of each GPU/ });
    expect(parseGpuList(Array(17).fill('8GB').join(','))).toMatchObject({ ok: false, error: /at most 16/ });
  });
});
