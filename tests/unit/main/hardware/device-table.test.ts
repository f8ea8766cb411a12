import { describe, expect, it } from 'vitest';
import { findCpuSpec, namedCpu, parseMemoryQuery } from '../../../../src/main/services/hardware/cpu-specs';
import { findGpuSpec, gpuSpecs } from '../../../../src/main/services/hardware/gpu-specs';
import { namedProfile } from '../../../../src/main/services/hardware/named-profile';
import { cpuOnlyProfile } from '../../../helpers/estimator';

describe('GPU table (2025-2026)', () => {
  it('tells Apple variants of one chip apart by GPU core count', () => {
    expect(findGpuSpec('Apple M3 Max 30-core GPU')?.bandwidthGBs).toBe(300);
    expect(findGpuSpec('M3 Max (40-core GPU) 64GB')?.bandwidthGBs).toBe(400);
    expect(findGpuSpec('Apple M4 Max 32-core GPU')?.bandwidthGBs).toBe(410);
    expect(findGpuSpec('Apple M4 Max 40-core')?.bandwidthGBs).toBe(546);
    expect(findGpuSpec('M1 Pro 14-core')?.gpuCores).toBe(14);
    // More cores, same bandwidth: only the throughput differs.
    const m2u60 = findGpuSpec('M2 Ultra 60-core GPU')!;
    const m2u76 = findGpuSpec('M2 Ultra 76-core GPU')!;
    expect(m2u60.bandwidthGBs).toBe(m2u76.bandwidthGBs);
    expect(m2u76.tflops / m2u60.tflops).toBeCloseTo(76 / 60, 1);
    // Without a core count, the chip's base entry.
    expect(findGpuSpec('Apple M3 Max')?.name).toBe('Apple M3 Max');
    expect(findGpuSpec('Apple M5')?.family).toBe('apple-m5');
  });

  it('knows the GPUs and machines people buy now, each with its source', () => {
    const names: [string, string][] = [
      ['NVIDIA GeForce RTX 5090', 'GeForce RTX 5090'],
      ['NVIDIA GeForce RTX 5060 Ti', 'GeForce RTX 5060 Ti'],
      ['NVIDIA RTX PRO 6000 Blackwell Workstation Edition', 'RTX PRO 6000 Blackwell'],
      ['NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition', 'RTX PRO 6000 Blackwell Max-Q'],
      ['NVIDIA GB10', 'GB10'],
      ['DGX Spark', 'DGX Spark'],
      ['AMD Radeon RX 9070 XT', 'Radeon RX 9070 XT'],
      ['AMD Radeon RX 9070', 'Radeon RX 9070'],
      ['AMD Radeon AI PRO R9700', 'Radeon AI PRO R9700'],
      ['Intel(R) Arc(TM) A770 Graphics', 'Arc A770'],
      ['Intel Arc B580', 'Arc B580'],
      ['AMD Ryzen AI Max+ 395 w/ Radeon 8060S', 'Ryzen AI Max+ 395'],
    ];
    for (const [query, name] of names) expect(findGpuSpec(query)?.name, query).toBe(name);
    expect(findGpuSpec('Arc A770 8GB')?.bandwidthGBs).toBe(512);
    expect(findGpuSpec('Radeon RX 9070 XT')?.family).toBe('rdna4');
    for (const spec of gpuSpecs) {
      expect(spec.source.length, spec.name).toBeGreaterThan(10);
      expect(spec.family, spec.name).toMatch(/^[a-z0-9-]+$/);
      expect(spec.bandwidthGBs, spec.name).toBeGreaterThan(0);
      expect(spec.int8Tops, spec.name).toBeGreaterThan(0);
    }
  });

  it('plans for an Intel GPU on Vulkan, as node-llama-cpp ships it', () => {
    const profile = namedProfile(cpuOnlyProfile, 'Arc B580', undefined);
    expect(profile.gpus[0]?.vendor).toBe('Intel');
    expect(profile.backends).toEqual(['vulkan', 'cpu']);
  });
});

describe('named CPU-only machines', () => {
  it('reads channels and DDR speed into bandwidth', () => {
    expect(parseMemoryQuery('Ryzen 9 7950X, DDR5-6000 2ch')).toEqual({ ddr: 5, mts: 6000, channels: 2 });
    expect(parseMemoryQuery('EPYC 9654 DDR5 4800 12 channels')).toEqual({ ddr: 5, mts: 4800, channels: 12 });
    expect(parseMemoryQuery('LPDDR5X-8000 256-bit')).toEqual({ ddr: 5, mts: 8000, channels: 4 });
    expect(parseMemoryQuery('something else')).toEqual({ ddr: null, mts: null, channels: null });
    expect(namedCpu(cpuOnlyProfile, 'Ryzen 9 7950X, DDR5-6000 2ch').ram.bandwidthGBs).toBe(96);
    expect(namedCpu(cpuOnlyProfile, 'EPYC 9654 DDR5-4800 12ch').ram.bandwidthGBs).toBeCloseTo(460.8);
  });

  it('finds CPUs by model number, X3D parts apart', () => {
    expect(findCpuSpec('AMD Ryzen 9 7950X3D')?.name).toBe('Ryzen 9 7950X3D');
    expect(findCpuSpec('ryzen 9 7950x')?.name).toBe('Ryzen 9 7950X');
    expect(findCpuSpec('Intel Core i9-14900K')?.physicalCores).toBe(24);
    expect(findCpuSpec('Pentium 4')).toBeUndefined();
  });

  it('a named CPU alone is a CPU-only machine; beside a GPU it is its host', () => {
    const cpuOnly = namedProfile(cpuOnlyProfile, undefined, undefined, 'Ryzen 9 7950X, DDR5-6000 2ch, 96GB');
    expect(cpuOnly.gpus).toEqual([]);
    expect(cpuOnly.backends).toEqual(['cpu']);
    expect(cpuOnly.cpu).toMatchObject({ brand: 'Ryzen 9 7950X', physicalCores: 16 });
    expect(cpuOnly.cpu.flags.avx512).toBe(true);
    expect(cpuOnly.ram.bandwidthGBs).toBe(96);
    expect(cpuOnly.ram.totalBytes).toBe(96 * 1024 ** 3);
    // Memory the text does not give: the platform's usual (dual-channel DDR5-5200 for a 7950X).
    expect(namedProfile(cpuOnlyProfile, undefined, undefined, '7950X').ram.bandwidthGBs).toBeCloseTo(83.2);
    const withGpu = namedProfile(cpuOnlyProfile, 'RTX 4090', undefined, 'Core i9-14900K DDR5-6400 2ch');
    expect(withGpu.gpus).toHaveLength(1);
    expect(withGpu.ram.bandwidthGBs).toBeCloseTo(102.4);
    // Neither a known CPU nor a memory: refused with a hint, not a silent guess.
    expect(() => namedProfile(cpuOnlyProfile, undefined, undefined, 'my old laptop')).toThrow(/Unknown CPU/);
  });
});
