import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HardwareService as HardwareServiceType } from '../../../../src/main/services/hardware/hardware-service';
import { installFakeGpuTools } from '../../../fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../../../fixtures/gpu/gpu-profiles';
import { makeTempDir } from '../../../helpers/temp-dir';

const MiB = 1024 ** 2;

describe('hardware service with fake nvidia-smi and lspci on PATH', () => {
  const dir = makeTempDir();
  const bin = join(dir.path, 'bin');
  const originalPath = process.env.PATH;
  let calls = 0;
  let HardwareService: typeof HardwareServiceType;

  // systeminformation copies the environment when it loads, so the fake tools' folder must be on
  // PATH first; each test then rewrites the tools in that folder.
  beforeAll(async () => {
    installFakeGpuTools(bin, []);
    process.env.PATH = `${bin}:${originalPath}`;
    ({ HardwareService } = await import('../../../../src/main/services/hardware/hardware-service'));
  });

  const service = (): HardwareServiceType =>
    new HardwareService({
      modelsDir: () => dir.path,
      gpuBackends: async () => {
        calls++;
        return ['cuda', 'vulkan'];
      },
      ramBandwidthGBs: () => 21.5,
    });

  const withGpus = (name: keyof typeof fakeGpuProfiles): void => {
    installFakeGpuTools(bin, fakeGpuProfiles[name]);
  };

  beforeEach(() => (calls = 0));
  afterAll(() => {
    process.env.PATH = originalPath;
    dir.cleanup();
  });

  it('reads a machine without a GPU', async () => {
    withGpus('none');
    const profile = await service().get();
    expect(profile.gpus).toEqual([]);
    expect(profile.cpu.logicalCores).toBeGreaterThan(0);
    expect(profile.ram.totalBytes).toBeGreaterThan(0);
    expect(profile.ram).toMatchObject({ bandwidthGBs: 21.5, bandwidthSource: 'measured' });
    expect(profile.backends).toEqual(['cuda', 'vulkan', 'cpu']);
    expect(profile.disk?.freeBytes).toBeGreaterThan(0);
  });

  it('reads an RTX 3060 12 GB with its free VRAM and bandwidth', async () => {
    withGpus('rtx3060');
    const [gpu] = (await service().get()).gpus;
    expect(gpu).toMatchObject({
      vendor: 'NVIDIA',
      model: 'NVIDIA GeForce RTX 3060',
      vramTotalBytes: 12288 * MiB,
      vramUsedBytes: 517 * MiB,
      vramFreeBytes: (12288 - 517) * MiB,
      driver: '550.54.14',
      bus: '01:00.0',
      bandwidthGBs: 360,
    });
  });

  it('reads an RTX 4090 24 GB', async () => {
    withGpus('rtx4090');
    const [gpu] = (await service().get()).gpus;
    expect(gpu).toMatchObject({
      model: 'NVIDIA GeForce RTX 4090',
      vramTotalBytes: 24564 * MiB,
      vramFreeBytes: (24564 - 1342) * MiB,
      bandwidthGBs: 1008,
    });
  });

  it('lists two Tesla P40s as two devices', async () => {
    withGpus('twoP40');
    const gpus = (await service().get()).gpus;
    expect(gpus).toHaveLength(2);
    expect(gpus.map((g) => g.bus)).toEqual(['03:00.0', '04:00.0']);
    for (const gpu of gpus)
      expect(gpu).toMatchObject({
        model: 'Tesla P40',
        vramTotalBytes: 24576 * MiB,
        vramFreeBytes: 24576 * MiB,
        bandwidthGBs: 347,
      });
  });

  it('reads an H100 80 GB', async () => {
    withGpus('h100');
    const [gpu] = (await service().get()).gpus;
    expect(gpu).toMatchObject({
      model: 'NVIDIA H100 80GB HBM3',
      vramTotalBytes: 81559 * MiB,
      bandwidthGBs: 3350,
    });
  });

  it('caches a reading and refreshes on request', async () => {
    withGpus('rtx3060');
    const hardware = service();
    const first = await hardware.get();
    expect(await hardware.get()).toBe(first);
    withGpus('rtx4090');
    const refreshed = await hardware.get(true);
    expect(refreshed.gpus[0]?.model).toBe('NVIDIA GeForce RTX 4090');
    expect(calls).toBe(1);
  });
});
