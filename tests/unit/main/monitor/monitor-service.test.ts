import { afterEach, describe, expect, it } from 'vitest';
import type { GpuSample, HostSample, MonitorSample } from '../../../../src/shared/contract';
import type { EngineStats } from '../../../../src/main/engine-process/protocol';
import { unknownGpu, type GpuSource } from '../../../../src/main/services/monitor/gpu-source';
import { MonitorService } from '../../../../src/main/services/monitor/monitor-service';
import type { MonitoredEngine } from '../../../../src/main/services/monitor/process-sampler';

const GiB = 1024 ** 3;

class FakeGpuSource implements GpuSource {
  readonly vendor = 'NVIDIA';
  starts: number[] = [];
  stops = 0;
  reads = 0;
  running = false;
  used = 20 * GiB;

  start(intervalMs: number): void {
    this.running = true;
    this.starts.push(intervalMs);
  }

  stop(): void {
    this.running = false;
    this.stops++;
  }

  read(): Promise<GpuSample[]> {
    this.reads++;
    return Promise.resolve([
      {
        ...unknownGpu({ id: 'GPU-a', index: 0, vendor: 'NVIDIA', name: 'RTX 4090', state: 'active' }),
        utilizationPct: (this.reads * 37) % 100,
        memoryUsedBytes: this.used,
        memoryTotalBytes: 24 * GiB,
      },
    ]);
  }

  processMemory(): ReadonlyMap<number, number | null> {
    return new Map([[777, 6 * GiB]]);
  }
}

const host = (): { start(): void; read(): Promise<HostSample> } => ({
  start: () => {},
  read: () =>
    Promise.resolve({
      cpuPct: 10,
      perCorePct: [10],
      load: null,
      ramTotalBytes: 32 * GiB,
      ramUsedBytes: 8 * GiB,
      ramAvailableBytes: 24 * GiB,
      swapTotalBytes: 0,
      swapUsedBytes: 0,
      unifiedMemory: false,
    }),
});

function fakeEngine(): MonitoredEngine & { tokens: number } {
  let cpu = 0;
  const engine = {
    pid: 777,
    tokens: 100,
    status: () => ({ modelPath: '/m/tiny.gguf' }),
    stats: (): Promise<EngineStats> => {
      engine.tokens += 40;
      cpu += 500_000;
      return Promise.resolve({
        cpuMicros: cpu,
        rssBytes: GiB,
        contextSize: 2048,
        contextTokens: engine.tokens,
        generating: 1,
        tokensPerSecond: 40,
        gpuLayers: 10,
        totalLayers: 10,
        requestedGpuLayers: 10,
        offload: 'gpu',
      });
    },
  };
  return engine;
}

function monitor(options: { historyMs?: number; leaseMs?: number; interval?: () => number } = {}) {
  const gpu = new FakeGpuSource();
  const emitted: MonitorSample[] = [];
  const engine = fakeEngine();
  const service = new MonitorService({
    intervalMs: options.interval ?? (() => 500),
    host: host(),
    gpuSources: () => Promise.resolve([gpu]),
    engines: () => [engine],
    emit: (s) => emitted.push(s),
    historyMs: options.historyMs,
    leaseMs: options.leaseMs === undefined ? undefined : () => options.leaseMs!,
  });
  return { service, gpu, emitted, engine };
}

describe('MonitorService', () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it('samples only while watched, at the set rate, and stops its sources when the last watcher leaves', async () => {
    const m = monitor();
    close = () => m.service.close();
    expect(m.service.sampling).toBe(false);
    expect(m.gpu.starts).toEqual([]);
    const started = Date.now();
    expect(m.service.watch('window-1')).toMatchObject({ intervalMs: 500 });
    m.service.watch('hearth-top');
    await expect.poll(() => m.emitted.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    const elapsed = Date.now() - started;
    // Three samples at 2 Hz: about 1.5 s, never one per watcher.
    expect(elapsed).toBeGreaterThan(1300);
    expect(m.gpu.starts).toEqual([500]);
    const [a, b] = m.emitted.slice(-2);
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(450);
    expect(a!.gpus[0]!.utilizationPct).not.toBe(b!.gpus[0]!.utilizationPct);
    m.service.unwatch('window-1');
    expect(m.service.sampling).toBe(true);
    m.service.unwatch('hearth-top');
    expect(m.service.sampling).toBe(false);
    expect(m.gpu.running).toBe(false);
    // No sample in more than an interval after that.
    expect(await m.service.nextSample(700)).toBeUndefined();
  });

  it('drops a watcher that does not renew its lease, within one interval of the lease ending', async () => {
    const m = monitor({ leaseMs: 800 });
    close = () => m.service.close();
    const watchedAt = Date.now();
    m.service.watch('tab');
    await expect.poll(() => m.service.sampling, { timeout: 5000, interval: 20 }).toBe(false);
    const stoppedAfter = Date.now() - watchedAt;
    expect(stoppedAfter).toBeGreaterThanOrEqual(800);
    expect(stoppedAfter).toBeLessThan(800 + 500 + 200);
    expect(m.gpu.running).toBe(false);
  });

  it('keeps a watcher that renews', async () => {
    const m = monitor({ leaseMs: 800 });
    close = () => m.service.close();
    m.service.watch('tab');
    const renew = setInterval(() => m.service.watch('tab'), 300);
    try {
      await expect.poll(() => m.emitted.length, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
      expect(m.service.sampling).toBe(true);
    } finally {
      clearInterval(renew);
    }
  });

  it('rows the engine process with its CPU, GPU memory and a rising context fill, and warns', async () => {
    const m = monitor();
    close = () => m.service.close();
    m.gpu.used = 23 * GiB;
    m.service.watch('w');
    await expect.poll(() => m.emitted.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    const [first, second] = m.emitted.map((s) => s.processes.find((p) => p.role === 'engine')!);
    expect(second).toMatchObject({ pid: 777, gpuMemoryBytes: 6 * GiB, rssBytes: GiB, contextSize: 2048 });
    expect(second!.contextTokens!).toBeGreaterThan(first!.contextTokens!);
    // 0.5 s of CPU in 0.5 s of wall: one core.
    expect(second!.cpuPct).toBeGreaterThan(70);
    expect(second!.cpuPct).toBeLessThan(130);
    expect(m.emitted[1]!.tokensPerSecond).toBe(40);
    expect(m.emitted[1]!.processes.find((p) => p.role === 'app')!.pid).toBe(process.pid);
    expect(m.emitted[1]!.warnings.map((w) => w.kind)).toEqual(['vram-high']);
  });

  it('keeps a ring buffer of the history window, oldest first, and answers what came since', async () => {
    const m = monitor({ historyMs: 1200, leaseMs: 60_000 });
    close = () => m.service.close();
    m.service.watch('w');
    await expect.poll(() => m.emitted.length, { timeout: 8000 }).toBeGreaterThanOrEqual(5);
    const { samples } = m.service.history();
    expect(samples.length).toBeLessThanOrEqual(4);
    expect(samples.at(-1)!.at - samples[0]!.at).toBeLessThanOrEqual(1200);
    expect(samples.map((s) => s.at)).toEqual([...samples.map((s) => s.at)].sort((a, b) => a - b));
    const since = samples.at(-2)!.at;
    expect(m.service.history(since).samples).toEqual([samples.at(-1)]);
  }, 15_000);

  it('restarts its sources at a new rate when the setting changes', async () => {
    let interval = 500;
    const m = monitor({ interval: () => interval });
    close = () => m.service.close();
    m.service.watch('w');
    await expect.poll(() => m.emitted.length, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    interval = 800;
    await expect.poll(() => m.gpu.starts, { timeout: 5000 }).toEqual([500, 800]);
    await expect.poll(() => m.emitted.at(-1)!.intervalMs, { timeout: 5000 }).toBe(800);
  });

  it('gives a /metrics scrape a sample, waiting for the first one', async () => {
    const m = monitor();
    close = () => m.service.close();
    const sample = await m.service.scrape();
    expect(sample?.gpus[0]?.name).toBe('RTX 4090');
    expect(m.service.sampling).toBe(true);
  });
});
