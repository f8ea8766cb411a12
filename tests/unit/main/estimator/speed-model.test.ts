import { describe, expect, it } from 'vitest';
import { speedWork } from '../../../../src/main/services/estimator/speed';
import {
  generationSeconds,
  powerFactor,
  promptSeconds,
  speedOf,
  type SpeedConstants,
  type SpeedDevice,
  type SpeedHost,
  type SpeedWork,
} from '../../../../src/main/services/estimator/speed-model';
import type { ModelFacts } from '../../../../src/main/services/estimator/model-facts';

// Round constants so every expected value below can be worked out by hand.
const k: SpeedConstants = {
  generation: {
    fixedMs: { cuda: 1, cpu: 0, default: 1 },
    moeLayerMs: { cuda: 0.1, default: 0.1 },
    efficiency: { 'cuda:ada': 0.8, default: 0.5 },
  },
  prompt: { efficiency: { 'cuda:ada': 0.25, 'cuda:ada:f16': 0.5, default: 0.2 }, moeFactor: 0.5 },
  cpu: { bandwidthEfficiency: 0.5, computeEfficiency: 0.5 },
  pcieGBs: 25,
};
const gpu: SpeedDevice = {
  backend: 'cuda',
  family: 'ada',
  bandwidthGBs: 1000,
  fp16Tflops: 300,
  int8Tops: 600,
};
const host: SpeedHost = { ramBandwidthGBs: 50, cpuTflops: 2, unifiedMemory: false };
const dense = (over: Partial<SpeedWork> = {}): SpeedWork => ({
  gpuBytes: 4e9,
  cpuBytes: 0,
  activeParams: 8e9,
  gpuShare: 1,
  layers: 32,
  moe: false,
  quantized: true,
  ...over,
});

describe('speed model', () => {
  it('a dense model on one GPU: fixed cost plus the bytes at the family efficiency', () => {
    // 1 ms + 4 GB / (1000 GB/s x 0.8) = 1 + 5 = 6 ms per token.
    expect(generationSeconds(dense(), [gpu], host, k)).toBeCloseTo(0.006, 9);
    // Prompt: 2 x 8e9 FLOPs / (600 TOPS x 0.25) per token.
    expect(promptSeconds(dense(), [gpu], host, k)).toBeCloseTo(16e9 / 150e12, 12);
    // F16 weights use the FP16 units at their own efficiency: 16e9 / (300e12 x 0.5).
    expect(promptSeconds(dense({ quantized: false }), [gpu], host, k)).toBeCloseTo(16e9 / 150e12, 12);
    expect(promptSeconds(dense({ quantized: false }), [{ ...gpu, fp16Tflops: 150 }], host, k)).toBeCloseTo(
      16e9 / 75e12,
      12,
    );
  });

  it('a mixture of experts reads its active bytes and pays routing per layer', () => {
    const moe = dense({ gpuBytes: 2e9, activeParams: 3e9, layers: 24, moe: true });
    // 1 ms + 24 x 0.1 ms + 2 GB / 800 GB/s = 1 + 2.4 + 2.5 = 5.9 ms.
    expect(generationSeconds(moe, [gpu], host, k)).toBeCloseTo(0.0059, 9);
    // Prompt at half the dense rate: 6e9 / (150e12 x 0.5).
    expect(promptSeconds(moe, [gpu], host, k)).toBeCloseTo(6e9 / 75e12, 12);
  });

  it('counts only the routed share of the experts from a model header', () => {
    const facts = {
      layers: 2,
      parameters: 1000,
      quant: 'Q4_K_M',
      experts: { count: 8, used: 2 },
      bytes: { layers: [100, 100], expertLayers: [80, 80], output: 10, total: 230 },
    } as unknown as ModelFacts;
    // Each block: 20 dense bytes + 2/8 of 80 expert bytes = 40; all 3 layers on the GPU.
    const all = speedWork(facts, 3);
    expect(all).toMatchObject({ gpuBytes: 90, cpuBytes: 0, moe: true, quantized: true, gpuShare: 1 });
    // Two of three layers offloaded: the head (offloaded first) and the last block.
    const part = speedWork(facts, 2);
    expect(part).toMatchObject({ gpuBytes: 50, cpuBytes: 40 });
    expect(part.gpuShare).toBeCloseTo(50 / 90);
  });

  it('partial offload: CPU layers at RAM bandwidth, their weights cross the bus for prompts', () => {
    const split = dense({ gpuBytes: 2e9, cpuBytes: 2e9, gpuShare: 0.5 });
    // 1 ms + 2 GB / 800 GB/s + 2 GB / (50 GB/s x 0.5) = 1 + 2.5 + 80 = 83.5 ms.
    expect(generationSeconds(split, [gpu], host, k)).toBeCloseTo(0.0835, 9);
    // All layers computed on the GPU, plus 2 GB over 25 GB/s once per 512-token batch.
    expect(promptSeconds(split, [gpu], host, k)).toBeCloseTo(16e9 / 150e12 + 2e9 / 25e9 / 512, 12);
    // Unified memory: the CPU computes its own half, nothing crosses a bus.
    const unified = { ...host, unifiedMemory: true };
    expect(promptSeconds(split, [gpu], unified, k)).toBeCloseTo(8e9 / 150e12 + 8e9 / (2e12 * 0.5), 12);
    // CPU only: bandwidth for generation, the CPU's FLOPS for prompts.
    const cpu = dense({ gpuBytes: 0, cpuBytes: 4e9, gpuShare: 0 });
    expect(generationSeconds(cpu, [], host, k)).toBeCloseTo(4e9 / 25e9, 9);
    expect(promptSeconds(cpu, [], host, k)).toBeCloseTo(16e9 / 1e12, 9);
  });

  it("the backend's fixed cost dominates a tiny model: more bandwidth barely helps", () => {
    const tiny = dense({ gpuBytes: 50e6, activeParams: 100e6 });
    const base = speedOf(tiny, [gpu], host, k).generationTps!;
    const twice = speedOf(tiny, [{ ...gpu, bandwidthGBs: 2000 }], host, k).generationTps!;
    // 1 ms + 0.0625 ms: about 941 tokens/s, and at most 3 % more with twice the bandwidth.
    expect(base).toBeCloseTo(1 / 0.0010625, 6);
    expect(twice / base).toBeLessThan(1.04);
    // A 4 GB model, by contrast, gains most of it.
    const big = speedOf(dense(), [{ ...gpu, bandwidthGBs: 2000 }], host, k).generationTps!;
    expect(big / speedOf(dense(), [gpu], host, k).generationTps!).toBeGreaterThan(1.6);
  });

  it('a card whose board power cannot feed its peak runs prompts at the rate its power allows', () => {
    const capped: SpeedConstants = { ...k, prompt: { ...k.prompt, topsPerWatt: { 'cuda:ada': 1.5 } } };
    // 300 W x 1.5 TOPS/W = 450 of its 600 TOPS: the clock, and both rates, drop to 0.75.
    const pro: SpeedDevice = { ...gpu, boardPowerW: 300 };
    expect(powerFactor(pro, capped.prompt.topsPerWatt)).toBeCloseTo(0.75, 12);
    expect(promptSeconds(dense(), [pro], host, capped)).toBeCloseTo(16e9 / (600e12 * 0.75 * 0.25), 12);
    expect(promptSeconds(dense({ quantized: false }), [pro], host, capped)).toBeCloseTo(
      16e9 / (300e12 * 0.75 * 0.5),
      12,
    );
    // 450 W feeds the whole peak (675 >= 600): no change; nor without a known power or a fitted cap.
    expect(powerFactor({ ...gpu, boardPowerW: 450 }, capped.prompt.topsPerWatt)).toBe(1);
    expect(powerFactor(gpu, capped.prompt.topsPerWatt)).toBe(1);
    expect(powerFactor(pro, undefined)).toBe(1);
    expect(powerFactor({ ...pro, family: 'ampere' }, capped.prompt.topsPerWatt)).toBe(1);
    // A mixture of experts keeps the units half idle (moeFactor 0.5): 450 TOPS feed its 300 busy ones,
    // so only the experts' own factor slows it: 2 x 8e9 / (600e12 x 0.25) / 0.5.
    expect(powerFactor(pro, capped.prompt.topsPerWatt, 0.5)).toBe(1);
    expect(promptSeconds(dense({ moe: true }), [pro], host, capped)).toBeCloseTo(
      16e9 / (600e12 * 0.25) / 0.5,
      12,
    );
    // At 150 W (225 TOPS for 300 busy ones) it is capped to 225 / 300.
    expect(powerFactor({ ...pro, boardPowerW: 150 }, capped.prompt.topsPerWatt, 0.5)).toBeCloseTo(0.75, 12);
    // Generation reads memory and is not capped.
    expect(generationSeconds(dense(), [pro], host, capped)).toBeCloseTo(0.006, 9);
  });

  it('falls back from family to backend to the default constants', () => {
    const other: SpeedDevice = { ...gpu, family: 'turing' };
    // Unknown family: default efficiency 0.5 -> 1 + 8 = 9 ms.
    expect(generationSeconds(dense(), [other], host, k)).toBeCloseTo(0.009, 9);
    expect(speedOf(dense({ gpuBytes: 0, cpuBytes: 0 }), [gpu], host, k)).toEqual({
      generationTps: null,
      promptTps: null,
    });
  });
});
