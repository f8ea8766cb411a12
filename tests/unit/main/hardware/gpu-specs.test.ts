import { describe, expect, it } from 'vitest';
import { findGpuSpec } from '../../../../src/main/services/hardware/gpu-specs';
import { namedProfile, parseGpuQuery } from '../../../../src/main/services/hardware/named-profile';
import { cpuOnlyProfile } from '../../../helpers/estimator';

const GiB = 1024 ** 3;

describe('GPU specs', () => {
  it('finds GPUs as drivers name them and as people type them', () => {
    expect(findGpuSpec('NVIDIA GeForce RTX 3060')?.name).toBe('GeForce RTX 3060');
    expect(findGpuSpec('rtx 3060 ti')?.name).toBe('GeForce RTX 3060 Ti');
    expect(findGpuSpec('RTX 3060 8GB')?.vramGiB).toBe(8);
    expect(findGpuSpec('NVIDIA GeForce RTX 3060', 12)?.vramGiB).toBe(12);
    expect(findGpuSpec('Tesla P40')?.bandwidthGBs).toBe(347);
    expect(findGpuSpec('P40')?.name).toBe('Tesla P40');
    expect(findGpuSpec('NVIDIA A100-SXM4-80GB')?.vramGiB).toBe(80);
    expect(findGpuSpec('NVIDIA H100 80GB HBM3')?.bandwidthGBs).toBe(3350);
    expect(findGpuSpec('H100 PCIe')?.bandwidthGBs).toBe(2000);
    expect(findGpuSpec('AMD Radeon RX 7900 XTX')?.vramGiB).toBe(24);
    expect(findGpuSpec('Apple M2 Max')?.vendor).toBe('apple');
    expect(findGpuSpec('L40S')?.name).toBe('L40S');
    expect(findGpuSpec('Voodoo 3')).toBeUndefined();
  });

  it('parses GPU counts without mistaking RTX for a multiplier', () => {
    expect(parseGpuQuery('2x Tesla P40')).toEqual({ count: 2, name: 'Tesla P40' });
    expect(parseGpuQuery('2 × P40')).toEqual({ count: 2, name: 'P40' });
    expect(parseGpuQuery('P40 x2')).toEqual({ count: 2, name: 'P40' });
    expect(parseGpuQuery('RTX 4090')).toEqual({ count: 1, name: 'RTX 4090' });
  });
});

describe('named hardware profiles', () => {
  it('puts the named GPUs, empty, in this machine', () => {
    const profile = namedProfile(cpuOnlyProfile, '2x Tesla P40', undefined);
    expect(profile.source).toBe('named');
    expect(profile.gpus).toHaveLength(2);
    expect(profile.gpus[0]).toMatchObject({
      vramTotalBytes: 24 * GiB,
      vramFreeBytes: 24 * GiB,
      bandwidthGBs: 347,
    });
    expect(profile.cpu).toBe(cpuOnlyProfile.cpu);
    expect(profile.backends).toContain('cuda');
  });

  it('accepts a VRAM size alone, or overriding the table', () => {
    expect(namedProfile(cpuOnlyProfile, undefined, 16 * GiB)).toMatchObject({
      source: 'custom',
      gpus: [{ vramTotalBytes: 16 * GiB, bandwidthGBs: null }],
    });
    expect(namedProfile(cpuOnlyProfile, 'RTX 3060', 8 * GiB).gpus[0]?.vramTotalBytes).toBe(8 * GiB);
  });

  it('gives Apple chips unified memory of the size named', () => {
    const profile = namedProfile(cpuOnlyProfile, 'M2 Max 64GB', undefined);
    expect(profile).toMatchObject({ unifiedMemory: true, backends: ['metal', 'cpu'] });
    expect(profile.ram.totalBytes).toBe(64 * GiB);
  });

  it('explains an unknown GPU name', () => {
    expect(() => namedProfile(cpuOnlyProfile, 'Voodoo 3', undefined)).toThrow(
      /Unknown GPU "Voodoo 3".*--vram/,
    );
    expect(() => namedProfile(cpuOnlyProfile, '99x RTX 4090', undefined)).toThrow(/99 GPUs/);
  });

  it('returns this machine when nothing is named', () => {
    expect(namedProfile(cpuOnlyProfile, undefined, undefined)).toBe(cpuOnlyProfile);
  });
});
