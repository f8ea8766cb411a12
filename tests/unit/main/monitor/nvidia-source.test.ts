import { describe, expect, it } from 'vitest';
import { NvidiaSource } from '../../../../src/main/services/monitor/nvidia-source';
import {
  nvidiaFields,
  parseComputeApps,
  parseNvidiaLine,
} from '../../../../src/main/services/monitor/nvidia-smi';
import { FakeSysfs } from '../../../fixtures/monitor/fake-sysfs';
import { fakeLineRunner, fakeOnceRunner } from '../../../fixtures/monitor/fake-runners';
import {
  a100Mig,
  computeApps,
  gpuLostLine,
  gpuLostOnStart,
  laptopNotSupported,
  rtx4090Loop,
  twoP40Loop,
} from '../../../fixtures/monitor/recorded';
import { makeTempDir } from '../../../helpers/temp-dir';

const MiB = 1024 ** 2;

function source(options: { sysRoot?: string | null; appsAnswer?: string } = {}) {
  const lines = fakeLineRunner();
  const once = fakeOnceRunner(() => ({ code: 0, stdout: options.appsAnswer ?? '', stderr: '' }));
  let now = 1_000_000;
  const nvidia = new NvidiaSource({
    runLines: lines.runner,
    runOnce: once.runner,
    sysRoot: options.sysRoot ?? null,
    now: () => now,
    restartBaseMs: 1,
    goneAfterMs: () => 5000,
    appsEveryMs: 5000,
    nameOf: (bus) => (bus === '0000:01:00.0' ? 'NVIDIA GeForce RTX 4070 Laptop GPU' : undefined),
  });
  return {
    nvidia,
    started: lines.started,
    appCalls: once.calls,
    advance: (ms: number) => (now += ms),
    read: () => nvidia.read(now),
  };
}

describe('nvidia-smi lines', () => {
  it('reads every field of a loop line, with values that change between iterations', () => {
    const [idle, busy] = rtx4090Loop.map((it) => parseNvidiaLine(it[0]!, nvidiaFields)!.sample);
    expect(idle).toMatchObject({
      id: 'GPU-5c2f8a9e-61b4-4f0d-9e3a-7d1b2c3e4f50',
      index: 0,
      name: 'NVIDIA GeForce RTX 4090',
      state: 'active',
      utilizationPct: 0,
      memoryUsedBytes: 1342 * MiB,
      memoryTotalBytes: 24564 * MiB,
      temperatureC: 38,
      powerW: 21.43,
      powerLimitW: 450,
      fanPct: 0,
      smClockMHz: 210,
      pstate: 'P8',
      throttle: ['idle'],
      mig: false,
    });
    expect(busy).toMatchObject({ utilizationPct: 97, memoryUtilizationPct: 78, pstate: 'P2', throttle: [] });
    expect(busy!.memoryUsedBytes).toBeGreaterThan(idle!.memoryUsedBytes!);
  });

  it('keeps [N/A] and [Not Supported] unknown, never 0', () => {
    const laptop = parseNvidiaLine(laptopNotSupported, nvidiaFields)!.sample;
    expect(laptop).toMatchObject({ powerW: null, powerLimitW: null, fanPct: null, utilizationPct: 4 });
    const p40 = parseNvidiaLine(twoP40Loop[0]![0]!, nvidiaFields)!.sample;
    expect(p40.fanPct).toBeNull();
  });

  it('marks a MIG-partitioned GPU and leaves its utilisation unknown', () => {
    const a100 = parseNvidiaLine(a100Mig, nvidiaFields)!.sample;
    expect(a100).toMatchObject({ mig: true, utilizationPct: null, memoryUtilizationPct: null });
    expect(a100.memoryUsedBytes).toBe(9728 * MiB);
  });

  it('names throttle reasons from the bitmask and ignores lines that are not readings', () => {
    const hot = parseNvidiaLine(twoP40Loop[1]![1]!, nvidiaFields)!.sample;
    expect(hot.throttle).toEqual(['sw-thermal', 'hw-thermal']);
    expect(parseNvidiaLine(gpuLostLine, nvidiaFields)).toBeUndefined();
    expect(parseNvidiaLine('', nvidiaFields)).toBeUndefined();
  });

  it('sums per-process GPU memory over GPUs, and an [N/A] amount stays unknown', () => {
    const apps = parseComputeApps(computeApps);
    expect(apps.get(48211)).toBe((17602 + 9104) * MiB);
    expect(apps.has(51877)).toBe(true);
    expect(apps.get(51877)).toBeNull();
  });
});

describe('NvidiaSource', () => {
  it('runs one long-lived nvidia-smi in loop mode and follows two GPUs as values change', async () => {
    const s = source();
    s.nvidia.start(1000);
    expect(s.started).toHaveLength(1);
    const args = s.started[0]!.args;
    expect(args).toContain('-lms');
    expect(args[args.indexOf('-lms') + 1]).toBe('1000');
    expect(args).toContain('--format=csv,noheader,nounits');
    s.started[0]!.print(twoP40Loop[0]!);
    const first = await s.read();
    expect(first.map((g) => [g.index, g.utilizationPct])).toEqual([
      [0, 0],
      [1, 0],
    ]);
    s.advance(1000);
    s.started[0]!.print(twoP40Loop[1]!);
    const second = await s.read();
    expect(second.map((g) => g.utilizationPct)).toEqual([88, 91]);
    expect(second[1]!.temperatureC).toBe(89);
    // Still the one process: no nvidia-smi per sample.
    expect(s.started).toHaveLength(1);
    s.nvidia.stop();
    expect(s.started[0]!.killed).toBe(true);
  });

  it('restarts nvidia-smi when it exits mid-run; a GPU that stays silent is then marked gone', async () => {
    const s = source();
    s.nvidia.start(1000);
    s.started[0]!.print(twoP40Loop[0]!);
    s.started[0]!.print([gpuLostLine], 'stderr');
    s.started[0]!.exit(0);
    await expect.poll(() => s.started.length, { timeout: 2000 }).toBe(2);
    // The restarted one can only read the first card.
    s.advance(1000);
    s.started[1]!.print([twoP40Loop[1]![0]!]);
    s.started[1]!.print([gpuLostOnStart], 'stderr');
    let gpus = await s.read();
    expect(gpus.map((g) => g.state)).toEqual(['active', 'active']);
    s.advance(5000);
    s.started[1]!.print([twoP40Loop[1]![0]!]);
    gpus = await s.read();
    expect(gpus.map((g) => g.state)).toEqual(['active', 'gone']);
    expect(gpus[1]).toMatchObject({ name: 'Tesla P40', utilizationPct: null, memoryTotalBytes: 24576 * MiB });
    s.nvidia.stop();
  });

  it('backs off when nvidia-smi keeps failing to start, and stops restarting once stopped', async () => {
    const s = source();
    s.nvidia.start(1000);
    for (let i = 0; i < 3; i++) {
      await expect.poll(() => s.started.length, { timeout: 2000 }).toBe(i + 1);
      s.started[i]!.print(["NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."]);
      s.started[i]!.exit(9);
    }
    await expect.poll(() => s.started.length, { timeout: 2000 }).toBe(4);
    s.nvidia.stop();
    expect(s.started[3]!.killed).toBe(true);
    expect(await s.read()).toEqual([]);
  });

  it('drops a field an older driver refuses and asks again for the rest', async () => {
    const s = source();
    s.nvidia.start(1000);
    s.started[0]!.print(['Field "clocks_throttle_reasons.active" is not a valid field to query.', '']);
    s.started[0]!.exit(2);
    await expect.poll(() => s.started.length, { timeout: 2000 }).toBe(2);
    expect(s.started[1]!.args[0]).not.toContain('clocks_throttle_reasons');
    const line = rtx4090Loop[1]![0]!.replace(', 0x0000000000000000', '');
    s.started[1]!.print([line]);
    const [gpu] = await s.read();
    expect(gpu).toMatchObject({ utilizationPct: 97, throttle: null });
    s.nvidia.stop();
  });

  it('reads per-process GPU memory at a slower rate than the samples', async () => {
    const s = source({ appsAnswer: computeApps });
    s.nvidia.start(1000);
    s.started[0]!.print(rtx4090Loop[1]!);
    await s.read();
    await expect.poll(() => s.nvidia.processMemory().get(48211)).toBe((17602 + 9104) * MiB);
    for (let i = 0; i < 4; i++) {
      s.advance(1000);
      await s.read();
    }
    expect(s.appCalls).toHaveLength(1);
    expect(s.appCalls[0]).toContain('--query-compute-apps=pid,used_memory');
    s.advance(1000);
    await s.read();
    expect(s.appCalls).toHaveLength(2);
    s.nvidia.stop();
  });

  it('leaves a suspended laptop GPU asleep: nvidia-smi is not run until the card wakes', async () => {
    const dir = makeTempDir();
    try {
      const sys = new FakeSysfs(dir.path);
      sys.pciDevice('0000:01:00.0', '0x10de', 'suspended');
      const s = source({ sysRoot: dir.path });
      s.nvidia.start(1000);
      const asleep = await s.read();
      expect(s.started).toHaveLength(0);
      expect(asleep).toEqual([
        expect.objectContaining({
          state: 'asleep',
          name: 'NVIDIA GeForce RTX 4070 Laptop GPU',
          utilizationPct: null,
          memoryUsedBytes: null,
        }),
      ]);
      s.advance(1000);
      await s.read();
      expect(s.started).toHaveLength(0);
      // Something else woke it (a game, a CUDA app): now it can be read without waking it.
      sys.setRuntimeStatus('0000:01:00.0', 'active');
      await s.read();
      expect(s.started).toHaveLength(1);
      s.nvidia.stop();
    } finally {
      dir.cleanup();
    }
  });
});
