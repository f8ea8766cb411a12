import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleOfThumbBytes } from '../../../../src/shared/domain/quants';
import { estimateFit } from '../../../../src/main/services/estimator/fit';
import { budgetFromProfile } from '../../../../src/main/services/estimator/machine-budget';
import {
  kvCellCounts,
  kvLayerBytes,
  layerSums,
  loaderOverheadBytes,
  memorySplit,
} from '../../../../src/main/services/estimator/memory';
import { repackRule } from '../../../../src/main/services/estimator/repack';
import {
  cpuOnlyProfile,
  gpuTable,
  modelTable,
  profileWith,
  writeShaped,
  type ShapedModel,
} from '../../../helpers/estimator';
import { makeTempDir } from '../../../helpers/temp-dir';

const GiB = 1024 ** 3;
const GB = 1e9;

describe('estimator on real model shapes', () => {
  const dir = makeTempDir();
  const models = new Map<string, ShapedModel>();
  const model = (id: string): ShapedModel => models.get(id)!;

  beforeAll(async () => {
    for (const { id, mix } of modelTable) models.set(id, await writeShaped(dir.path, id, mix));
  }, 60_000);
  afterAll(() => dir.cleanup());

  it('computes weight bytes from tensor types that equal the file tensor data exactly', () => {
    for (const { id } of modelTable) {
      const { header, facts, path } = model(id);
      const padded = header.tensors.reduce(
        (sum, t) => sum + Math.ceil(t.bytes / header.alignment) * header.alignment,
        0,
      );
      expect(header.dataOffset + padded).toBe(statSync(path).size);
      expect(facts.bytes.total).toBe(header.tensors.reduce((s, t) => s + t.bytes, 0));
      const parts = facts.bytes.input + facts.bytes.layers.reduce((a, b) => a + b, 0) + facts.bytes.output;
      expect(parts).toBe(facts.bytes.total);
    }
  });

  it('matches the sizes of the published files', () => {
    // bartowski / ggml-org file sizes of the real downloads, within 1.5%.
    const published: Record<string, number> = {
      llama31_8b: 4.92e9,
      llama31_70b: 42.5e9,
      qwen25_7b: 5.44e9,
      mixtral_8x7b: 28.4e9,
      phi3_mini: 4.06e9,
      gpt_oss_20b: 12.1e9,
    };
    for (const [id, size] of Object.entries(published)) {
      expect(Math.abs(model(id).facts.bytes.total - size) / size).toBeLessThan(0.015);
    }
  });

  it('reads architecture facts: GQA heads, experts, sliding-window layers', () => {
    expect(model('llama31_8b').facts).toMatchObject({
      layers: 32,
      heads: 32,
      keyLength: 128,
      trainContextSize: 131072,
      experts: null,
    });
    expect(model('llama31_8b').facts.kvHeads.every((h) => h === 8)).toBe(true);
    expect(model('mixtral_8x7b').facts.experts).toEqual({ count: 8, used: 2 });
    const oss = model('gpt_oss_20b').facts;
    expect(oss.experts).toEqual({ count: 32, used: 4 });
    expect(oss.swaLayers.filter(Boolean)).toHaveLength(12);
    // llama.cpp disables Phi-3's sliding window, so every layer keeps the full context.
    expect(model('phi3_mini').facts.swaLayers.some(Boolean)).toBe(false);
    expect(model('qwen25_7b').facts.quant).toBe('Q5_K_M');
  });

  it('sizes the KV cache from GQA heads, context and cache type', () => {
    const facts = model('llama31_8b').facts;
    const options = { contextSize: 4096, kvCacheType: 'f16' as const, flashAttention: true };
    // 4096 tokens x 8 KV heads x (128 + 128) x 2 bytes per layer: 16 MiB, 512 MiB for 32 layers.
    expect(kvLayerBytes(facts, 0, options)).toBe(16 * 1024 * 1024);
    const f16 = memorySplit(facts, 0, options).cpu.kv;
    expect(f16).toBe(512 * 1024 * 1024);
    expect(memorySplit(facts, 0, { ...options, kvCacheType: 'q8_0' }).cpu.kv).toBe((f16 / 2) * (34 / 32));
    expect(memorySplit(facts, 0, { ...options, kvCacheType: 'q4_0' }).cpu.kv).toBe((f16 / 2) * (18 / 32));
    // Sliding-window layers keep only the window (plus a batch), whatever the context.
    const oss = model('gpt_oss_20b').facts;
    const long = { ...options, contextSize: 65536 };
    expect(kvLayerBytes(oss, 0, long)).toBe(768 * 8 * 128 * 2);
    expect(kvLayerBytes(oss, 1, long)).toBe(65536 * 8 * 128 * 2);
  });

  it('puts the output head and then the last blocks on the GPU, never the embeddings', () => {
    const facts = model('llama31_8b').facts;
    const options = { contextSize: 4096, kvCacheType: 'f16' as const, flashAttention: true };
    // llama.cpp offloads layers n_layer + 1 - gpuLayers and up, the output layer being n_layer.
    expect(memorySplit(facts, 1, options).gpu.weights).toBe(facts.bytes.output);
    expect(memorySplit(facts, 2, options).gpu.weights).toBe(facts.bytes.output + facts.bytes.layers[31]!);
    const all = memorySplit(facts, 33, options);
    expect(all.gpu.weights).toBe(facts.bytes.total - facts.bytes.input);
    // The CPU keeps the embeddings and the loader's own tables (vocabulary).
    expect(all.cpu.weights).toBe(facts.bytes.input + loaderOverheadBytes(facts));
    expect(memorySplit(facts, 32, options).gpu.weights).toBe(
      facts.bytes.total - facts.bytes.input - facts.bytes.layers[0]!,
    );
  });

  it('shares a tied head with the embeddings on the CPU, unless the CPU repacks them', () => {
    const options = { contextSize: 4096, kvCacheType: 'f16' as const, flashAttention: true };
    const base = model('llama31_8b').facts;
    const tied = { ...base };
    const head = { type: 'Q8_0', rowMultiple: 8, bytes: tied.bytes.input };
    tied.bytes = {
      ...tied.bytes,
      output: tied.bytes.output + tied.bytes.input,
      tiedCopy: tied.bytes.input,
      embeddingType: 'Q8_0',
      outputMatrix: head,
    };
    const x86 = { Q4_0: 8 };
    const shared = memorySplit(tied, 0, options, layerSums(tied, x86)).cpu.weights;
    expect(shared).toBe(memorySplit(base, 0, options).cpu.weights);
    tied.bytes = { ...tied.bytes, embeddingType: 'Q4_0', outputMatrix: { ...head, type: 'Q4_0' } };
    const repacked = memorySplit(tied, 0, options, layerSums(tied, x86));
    expect(repacked.cpu.weights - shared).toBe(tied.bytes.input);
    expect(repacked.cpu.repacked).toBe(tied.bytes.input);
    // A machine that does not repack Q4_0 (a GPU backend loaded) shares it again.
    expect(memorySplit(tied, 0, options).cpu.weights).toBe(shared);
    // On the GPU the head always needs its own copy.
    expect(memorySplit(tied, 33, options).gpu.weights).toBe(
      memorySplit(base, 33, options).gpu.weights + tied.bytes.input,
    );
  });

  it('splits RAM into what the process holds and the mapped file, by what this CPU repacks', () => {
    const options = { contextSize: 4096, kvCacheType: 'f16' as const, flashAttention: true };
    const facts = model('llama31_8b').facts;
    const rule = repackRule(cpuOnlyProfile.cpu, false);
    const split = memorySplit(facts, 0, options, layerSums(facts, rule));
    // Q4_K_M: the Q4_K matrices are repacked on AVX2, the Q6_K ones and the embeddings stay mapped.
    const q4k = facts.bytes.matrices.flat().filter((m) => m.type === 'Q4_K');
    const q4kBytes = q4k.reduce((sum, m) => sum + m.bytes, 0);
    const head = facts.bytes.outputMatrix?.type === 'Q4_K' ? facts.bytes.outputMatrix.bytes : 0;
    expect(split.cpu.repacked).toBe(q4kBytes + head);
    expect(split.cpu.mapped + split.cpu.repacked + loaderOverheadBytes(facts)).toBe(split.cpu.weights);
    expect(split.cpu.fileCache).toBe(facts.bytes.total - split.cpu.mapped);
    // With a GPU backend loaded nothing is repacked, even for layers left on the CPU.
    expect(repackRule(cpuOnlyProfile.cpu, true)).toEqual({});
    const fit = estimateFit(facts, budgetFromProfile(cpuOnlyProfile), options);
    expect(fit.ram.residentBytes + fit.ram.mappedWeightsBytes).toBe(fit.ram.totalBytes);
    expect(fit.ram.repackedWeightsBytes).toBe(split.cpu.repacked);
  });

  it('sizes KV for parallel sequences, sliding-window layers per sequence unless unified', () => {
    const base = { contextSize: 4096, kvCacheType: 'f16' as const, flashAttention: true };
    const facts = model('llama31_8b').facts;
    const one = memorySplit(facts, 0, base).cpu.kv;
    expect(memorySplit(facts, 0, { ...base, parallel: 3 }).cpu.kv).toBe(3 * one);
    expect(memorySplit(facts, 0, { ...base, parallel: 3, unifiedKv: true }).cpu.kv).toBe(3 * one);
    const oss = model('gpt_oss_20b').facts;
    const long = { ...base, contextSize: 65536 };
    expect(kvCellCounts(oss, { ...long, parallel: 4 })).toEqual({ full: 4 * 65536, swa: 4 * 768 });
    // Unified: one cache holding the window of each sequence plus one micro-batch.
    expect(kvCellCounts(oss, { ...long, parallel: 4, unifiedKv: true })).toEqual({
      full: 4 * 65536,
      swa: 1024,
    });
  });

  it('gives the expected verdicts across the GPU table', () => {
    const verdict = (id: string, query?: string) =>
      estimateFit(model(id).facts, budgetFromProfile(profileWith(query)), { contextSize: 4096 });
    expect(verdict('llama31_8b').verdict).toBe('cpu-only');
    for (const gpu of gpuTable) expect(verdict('llama31_8b', gpu.query).verdict).toBe('full-gpu');
    expect(verdict('llama31_70b', 'RTX 3060 12 GB')).toMatchObject({ verdict: 'partial', totalLayers: 81 });
    expect(verdict('llama31_70b', 'RTX 4090').verdict).toBe('partial');
    expect(verdict('llama31_70b', '2x Tesla P40').verdict).toBe('full-gpu');
    expect(verdict('llama31_70b', 'H100 80GB').verdict).toBe('full-gpu');
    expect(verdict('mixtral_8x7b', 'RTX 4090').verdict).toBe('partial');
    expect(verdict('gpt_oss_20b', 'RTX 4090').verdict).toBe('full-gpu');
  });

  it('never plans more than the budget, and more VRAM never means fewer layers', () => {
    let previous = -1;
    for (const vram of [4, 8, 12, 16, 24, 32, 48]) {
      const profile = profileWith(undefined, vram * GiB);
      const fit = estimateFit(model('llama31_70b').facts, budgetFromProfile(profile), { contextSize: 8192 });
      expect(fit.gpuLayers).toBeGreaterThanOrEqual(previous);
      const budget = budgetFromProfile(profile).gpus.reduce((s, g) => s + g.freeBytes - g.headroomBytes, 0);
      expect(fit.gpu.totalBytes).toBeLessThanOrEqual(budget);
      previous = fit.gpuLayers;
    }
  });

  it('takes headroom from free VRAM, not the total', () => {
    const facts = model('llama31_8b').facts;
    const busy = profileWith('RTX 3060 12 GB');
    busy.gpus[0]!.vramUsedBytes = 8 * GiB;
    busy.gpus[0]!.vramFreeBytes = 4 * GiB;
    const fit = estimateFit(facts, budgetFromProfile(busy), { contextSize: 4096 });
    expect(fit.verdict).toBe('partial');
    expect(fit.gpu.totalBytes).toBeLessThan(4 * GiB);
  });

  it('finds the largest context that keeps the verdict', () => {
    const facts = model('llama31_8b').facts;
    const budget = budgetFromProfile(profileWith('RTX 3060 12 GB'));
    const fit = estimateFit(facts, budget, { contextSize: 4096 });
    const max = fit.maxContextSize!;
    expect(max).toBeGreaterThan(4096);
    expect(max).toBeLessThan(facts.trainContextSize);
    expect(estimateFit(facts, budget, { contextSize: max }).verdict).toBe('full-gpu');
    expect(estimateFit(facts, budget, { contextSize: max + 256 }).verdict).toBe('partial');
    // A quantized KV cache holds about twice the context.
    const q8 = estimateFit(facts, budget, { contextSize: 4096, kvCacheType: 'q8_0' }).maxContextSize!;
    expect(q8 / max).toBeGreaterThan(1.7);
  });

  it('says when a model does not fit at all, with the numbers', () => {
    const small = {
      ...cpuOnlyProfile,
      ram: { ...cpuOnlyProfile.ram, totalBytes: 16 * GiB, availableBytes: 12 * GiB },
    };
    const fit = estimateFit(model('llama31_70b').facts, budgetFromProfile(small), {});
    expect(fit.verdict).toBe('does-not-fit');
    expect(fit.maxContextSize).toBeNull();
    expect(fit.notes.join(' ')).toMatch(/Needs \d+\.\d GB of RAM/);
    expect(fit.speed.generationTps).toBeNull();
  });

  it('uses unified memory on Apple silicon', () => {
    const fit = estimateFit(model('llama31_70b').facts, budgetFromProfile(profileWith('M2 Max 64GB')), {
      contextSize: 4096,
    });
    expect(fit.verdict).toBe('full-gpu');
    const small = estimateFit(model('llama31_70b').facts, budgetFromProfile(profileWith('M2 Pro 32GB')), {
      contextSize: 4096,
    });
    expect(small.verdict).not.toBe('full-gpu');
  });

  it('predicts speed from bandwidth: GPUs beat CPUs, MoE beats dense of the same size', () => {
    const budget = budgetFromProfile(profileWith('RTX 3060 12 GB'));
    const dense = estimateFit(model('llama31_8b').facts, budget, {});
    const cpu = estimateFit(model('llama31_8b').facts, budgetFromProfile(cpuOnlyProfile), {});
    expect(dense.speed.generationTps!).toBeGreaterThan(cpu.speed.generationTps! * 3);
    // 8B Q4_K_M on a 3060 runs at 50-70 tokens/s in llama.cpp.
    expect(dense.speed.generationTps!).toBeGreaterThan(45);
    expect(dense.speed.generationTps!).toBeLessThan(75);
    // gpt-oss-20b reads 4 of 32 experts per token: far faster than its 12 GB suggests.
    const moe = estimateFit(model('gpt_oss_20b').facts, budgetFromProfile(profileWith('RTX 4090')), {});
    const denseOn4090 = estimateFit(
      model('llama31_8b').facts,
      budgetFromProfile(profileWith('RTX 4090')),
      {},
    );
    expect(moe.speed.generationTps!).toBeGreaterThan(denseOn4090.speed.generationTps!);
  });

  it("shows the seeds' rule of thumb beside the estimate", () => {
    // The seeds' example: 70B at Q4 -> (70 x 4/8) x 1.2 = 42 GB.
    expect(ruleOfThumbBytes(70e9, 4)).toBeCloseTo(42 * GB);
    const fit = estimateFit(model('llama31_70b').facts, budgetFromProfile(profileWith('H100 80GB')), {});
    expect(fit.ruleOfThumbBytes).toBeCloseTo(model('llama31_70b').facts.parameters * 0.5 * 1.2);
  });
});

describe('vision projector', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('counts an mmproj next to the model, on the GPU when the model uses it', async () => {
    const { EstimatorService } = await import('../../../../src/main/services/estimator/estimator-service');
    const { mkdirSync, truncateSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const folder = join(dir.path, 'vision');
    mkdirSync(folder);
    const model = await writeShaped(folder, 'llama31_8b', 'Q4_K_M');
    const hardware = { get: async () => profileWith('RTX 4090') } as never;
    const estimator = new EstimatorService(hardware);
    const without = await estimator.fit({ modelPath: model.path });
    // A sparse file: the size is what counts.
    writeFileSync(join(folder, 'mmproj-model-f16.gguf'), '');
    truncateSync(join(folder, 'mmproj-model-f16.gguf'), 600_000_000);
    const withProjector = await estimator.fit({ modelPath: model.path });
    expect(withProjector.gpu.weightsBytes - without.gpu.weightsBytes).toBe(600_000_000);
    expect(withProjector.notes.join(' ')).toMatch(/vision projector mmproj-model-f16\.gguf \(0\.6 GB\)/);
  });
});
