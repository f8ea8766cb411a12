import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HardwareProfile } from '../../../../src/shared/contract';
import { AmdSource } from '../../../../src/main/services/monitor/amd-source';
import { AppleSource, parseIoreg } from '../../../../src/main/services/monitor/apple-source';
import { cpuPercents, HostSource, parseMeminfo } from '../../../../src/main/services/monitor/host-source';
import { gpuSourcesFor } from '../../../../src/main/services/monitor/sources';
import { FakeSysfs } from '../../../fixtures/monitor/fake-sysfs';
import { fakeOnceRunner } from '../../../fixtures/monitor/fake-runners';
import { ioregM2Pro, meminfo } from '../../../fixtures/monitor/recorded';
import { makeTempDir } from '../../../helpers/temp-dir';

const GiB = 1024 ** 3;

describe('AMD through sysfs', () => {
  const dir = makeTempDir();
  afterEach(() => dir.cleanup());

  it('reads each amdgpu card in the driver units, skips connectors and other vendors', async () => {
    const sys = new FakeSysfs(dir.path);
    sys.amdCard('card1', '0000:03:00.0', {
      busy: 87,
      memBusy: 40,
      vramUsed: 15 * GiB,
      vramTotal: 24 * GiB,
      tempMilliC: 68000,
      powerMicroW: 251_000_000,
      powerCapMicroW: 303_000_000,
      pwm: 128,
      sclkHz: 2_430_000_000,
    });
    sys.pciDevice('0000:00:02.0', '0x8086', 'active');
    const amd = new AmdSource({
      sysRoot: dir.path,
      nameOf: (bus) => (bus === '0000:03:00.0' ? 'AMD Radeon RX 7900 XTX' : undefined),
    });
    const [gpu, ...rest] = await amd.read();
    expect(rest).toEqual([]);
    expect(gpu).toMatchObject({
      id: 'amd:0000:03:00.0',
      vendor: 'AMD',
      name: 'AMD Radeon RX 7900 XTX',
      state: 'active',
      utilizationPct: 87,
      memoryUtilizationPct: 40,
      memoryUsedBytes: 15 * GiB,
      memoryTotalBytes: 24 * GiB,
      temperatureC: 68,
      powerW: 251,
      powerLimitW: 303,
      fanPct: 50,
      smClockMHz: 2430,
      pstate: null,
      throttle: null,
    });
  });

  it('reports what a card does not expose as unknown, and a suspended card as asleep', async () => {
    const sys = new FakeSysfs(dir.path);
    sys.amdCard('card0', '0000:0c:00.0', { busy: 3, vramTotal: 8 * GiB });
    sys.amdCard('card1', '0000:0d:00.0', { busy: 50, runtimeStatus: 'suspended' });
    const [igpu, sleeping] = await new AmdSource({ sysRoot: dir.path }).read();
    expect(igpu).toMatchObject({
      name: 'AMD GPU (card0)',
      utilizationPct: 3,
      memoryUsedBytes: null,
      temperatureC: null,
      powerW: null,
      fanPct: null,
    });
    expect(sleeping).toMatchObject({ state: 'asleep', utilizationPct: null });
  });
});

describe('Apple silicon through ioreg', () => {
  it('reads utilisation and memory in use from PerformanceStatistics', () => {
    expect(parseIoreg(ioregM2Pro)).toEqual([
      { model: 'Apple M2 Pro', utilizationPct: 43, inUseBytes: 1530724352 },
    ]);
  });

  it('shows the GPU against the unified memory, the rest unknown', async () => {
    const ioreg = fakeOnceRunner(() => ({ code: 0, stdout: ioregM2Pro, stderr: '' }));
    const apple = new AppleSource({ runOnce: ioreg.runner, totalMemoryBytes: 32 * GiB });
    const [gpu] = await apple.read();
    expect(ioreg.calls[0]).toEqual(['ioreg', '-r', '-d', '1', '-w', '0', '-c', 'IOAccelerator']);
    expect(gpu).toMatchObject({
      name: 'Apple M2 Pro',
      utilizationPct: 43,
      memoryUsedBytes: 1530724352,
      memoryTotalBytes: 32 * GiB,
      temperatureC: null,
      powerW: null,
      fanPct: null,
    });
  });
});

describe('the host', () => {
  it('reads RAM and swap from /proc/meminfo: used is what is not available', () => {
    expect(parseMeminfo(meminfo)).toEqual({
      totalBytes: 32617828 * 1024,
      availableBytes: 9123456 * 1024,
      usedBytes: (32617828 - 9123456) * 1024,
      swapTotalBytes: 8388604 * 1024,
      swapUsedBytes: (8388604 - 6291452) * 1024,
    });
  });

  it('measures CPU per core and overall between two readings', () => {
    const t = (busy: number, idle: number) => ({ user: busy, nice: 0, sys: 0, idle, irq: 0 });
    expect(cpuPercents([t(100, 900), t(0, 1000)], [t(600, 1400), t(0, 2000)])).toEqual({
      total: 25,
      perCore: [50, 0],
    });
  });

  it('samples a fake /proc and reports load and unknown swap where the kernel gives none', async () => {
    const dir = makeTempDir();
    try {
      mkdirSync(dir.path, { recursive: true });
      writeFileSync(join(dir.path, 'meminfo'), 'MemTotal: 1024 kB\nMemAvailable: 256 kB\n');
      let busy = 0;
      const host = new HostSource({
        procRoot: dir.path,
        cpuTimes: () => [{ user: (busy += 50), nice: 0, sys: 0, idle: 100 + busy, irq: 0 }],
        loadAverage: () => [1.5, 1, 0.5],
        unifiedMemory: false,
      });
      host.start();
      const sample = await host.read();
      expect(sample).toMatchObject({
        cpuPct: 50,
        perCorePct: [50],
        load: [1.5, 1, 0.5],
        ramTotalBytes: 1024 * 1024,
        ramUsedBytes: 768 * 1024,
        swapUsedBytes: null,
        swapTotalBytes: null,
      });
    } finally {
      dir.cleanup();
    }
  });
});

describe('choosing sources', () => {
  const profile = (gpus: { vendor: string; model: string; bus: string | null }[]): HardwareProfile =>
    ({
      gpus: gpus.map((g) => ({
        ...g,
        vramTotalBytes: 8 * GiB,
        vramUsedBytes: null,
        vramFreeBytes: null,
        driver: null,
        bandwidthGBs: null,
        tflops: null,
      })),
      ram: { totalBytes: 16 * GiB },
    }) as unknown as HardwareProfile;

  it('reads NVIDIA through nvidia-smi, AMD through sysfs, and any other GPU as the profile saw it', async () => {
    const dir = makeTempDir();
    try {
      new FakeSysfs(dir.path).amdCard('card0', '0000:03:00.0', { busy: 1 });
      const sources = gpuSourcesFor(
        profile([
          { vendor: 'NVIDIA', model: 'NVIDIA GeForce RTX 3060', bus: '01:00.0' },
          { vendor: 'AMD', model: 'AMD Radeon RX 6600', bus: '03:00.0' },
          { vendor: 'Intel', model: 'Intel UHD Graphics 630', bus: '00:02.0' },
        ]),
        { platform: 'linux', sysRoot: dir.path },
      );
      expect(sources.map((s) => s.vendor)).toEqual(['NVIDIA', 'AMD', 'other']);
      const [, amd, other] = sources;
      expect((await amd!.read(0))[0]!.name).toBe('AMD Radeon RX 6600');
      expect(await other!.read(0)).toEqual([
        expect.objectContaining({
          name: 'Intel UHD Graphics 630',
          memoryTotalBytes: 8 * GiB,
          utilizationPct: null,
          memoryUsedBytes: null,
        }),
      ]);
    } finally {
      dir.cleanup();
    }
  });

  it('uses ioreg on Apple silicon', () => {
    const sources = gpuSourcesFor(profile([{ vendor: 'Apple', model: 'Apple M2 Pro', bus: null }]), {
      platform: 'darwin',
      arch: 'arm64',
    });
    expect(sources.map((s) => s.vendor)).toEqual(['Apple']);
  });
});
