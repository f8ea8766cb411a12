import {
  monitorHistoryMs,
  monitorIntervalMs,
  type HostSample,
  type MonitorSample,
} from '../../../shared/contract';
import type { GpuSource } from './gpu-source';
import { ProcessSampler, type MonitoredEngine } from './process-sampler';
import { warningsFor } from './warnings';

export interface MonitorServiceOptions {
  /** The sampling interval setting, read at each tick (0.5-5 s). */
  intervalMs: () => number;
  now?: () => number;
  host: { start(): void; read(): Promise<HostSample> };
  /** The GPU sources for this machine, decided when sampling starts. */
  gpuSources: () => Promise<GpuSource[]>;
  engines: () => readonly MonitoredEngine[];
  emit: (sample: MonitorSample) => void;
  historyMs?: number;
  /** How long a watch lasts without renewal. */
  leaseMs?: (intervalMs: number) => number;
  log?: (message: string) => void;
}

const clampInterval = (ms: number): number =>
  Math.min(monitorIntervalMs.max, Math.max(monitorIntervalMs.min, Math.round(ms)));

/**
 * Owns sampling and its watchers: it samples (host, every GPU source, the engine processes) only
 * while someone watches (a window, `hearth top`, an API client, a /metrics scraper), each by a
 * lease it renews, and stops within one interval after the last one leaves. Keeps 10 minutes.
 */
export class MonitorService {
  private readonly watchers = new Map<string, number>();
  private readonly samples: MonitorSample[] = [];
  private readonly processes = new ProcessSampler();
  private readonly waiters = new Set<(sample: MonitorSample | undefined) => void>();
  private sources: GpuSource[] = [];
  private running = false;
  /** Bumped on every start and stop, so a late tick of an old run does nothing. */
  private run = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private activeInterval: number = monitorIntervalMs.default;
  private readonly now: () => number;

  constructor(private readonly options: MonitorServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  private interval(): number {
    return clampInterval(this.options.intervalMs());
  }

  private leaseFor(intervalMs: number): number {
    return (this.options.leaseMs ?? ((i) => Math.max(3000, 3 * i)))(intervalMs);
  }

  /** Starts or renews a watch; the watcher calls again before leaseMs runs out. */
  watch(watcherId: string, leaseMs?: number): { leaseMs: number; intervalMs: number } {
    const intervalMs = this.interval();
    const lease = leaseMs ?? this.leaseFor(intervalMs);
    this.watchers.set(watcherId, this.now() + lease);
    if (!this.running) void this.start();
    return { leaseMs: lease, intervalMs };
  }

  unwatch(watcherId: string): { ok: true } {
    this.watchers.delete(watcherId);
    if (this.watchers.size === 0) this.halt();
    return { ok: true };
  }

  get sampling(): boolean {
    return this.running;
  }

  history(since?: number): { intervalMs: number; samples: MonitorSample[] } {
    return {
      intervalMs: this.interval(),
      samples: since === undefined ? [...this.samples] : this.samples.filter((s) => s.at > since),
    };
  }

  latest(): MonitorSample | undefined {
    return this.samples.at(-1);
  }

  /**
   * A sample for a /metrics scrape: the scraper watches for a while (scrapes come every 15-60 s),
   * and the first scrape waits for the first sample.
   */
  async scrape(
    leaseMs = 120_000,
    waitMs = 8000,
    watcherId = 'metrics-scraper',
  ): Promise<MonitorSample | undefined> {
    this.watch(watcherId, leaseMs);
    const latest = this.latest();
    if (latest && this.now() - latest.at < 2 * this.activeInterval + 1000) return latest;
    return this.nextSample(waitMs);
  }

  /** The next sample taken, or undefined when none comes within waitMs. */
  nextSample(waitMs: number): Promise<MonitorSample | undefined> {
    return new Promise((resolve) => {
      const done = (sample: MonitorSample | undefined): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(sample);
      };
      const timer = setTimeout(() => done(undefined), waitMs);
      this.waiters.add(done);
    });
  }

  private async start(): Promise<void> {
    this.running = true;
    const run = ++this.run;
    this.activeInterval = this.interval();
    this.options.host.start();
    this.processes.start(this.now());
    let sources: GpuSource[] = [];
    try {
      sources = await this.options.gpuSources();
    } catch (error) {
      this.options.log?.(`monitor: no GPU sources (${String(error)})`);
    }
    if (run !== this.run) return;
    this.sources = sources;
    for (const source of sources) source.start(this.activeInterval);
    this.schedule(run, this.activeInterval);
  }

  private halt(): void {
    if (!this.running) return;
    this.running = false;
    this.run++;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const source of this.sources) source.stop();
    this.sources = [];
  }

  private schedule(run: number, delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(run), delayMs);
    this.timer.unref?.();
  }

  private async tick(run: number): Promise<void> {
    if (run !== this.run) return;
    const now = this.now();
    for (const [id, until] of this.watchers) if (until < now) this.watchers.delete(id);
    if (this.watchers.size === 0) return this.halt();
    const interval = this.interval();
    if (interval !== this.activeInterval) {
      // A new rate: the NVIDIA loop is restarted at it.
      this.activeInterval = interval;
      for (const source of this.sources) source.stop();
      for (const source of this.sources) source.start(interval);
    }
    try {
      const sample = await this.collect(now, interval);
      if (run !== this.run) return;
      this.record(sample);
    } catch (error) {
      this.options.log?.(`monitor: sample failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (run === this.run) this.schedule(run, Math.max(0, interval - (this.now() - now)));
  }

  private async collect(at: number, intervalMs: number): Promise<MonitorSample> {
    const [host, gpuLists] = await Promise.all([
      this.options.host.read(),
      Promise.all(this.sources.map((s) => s.read(at).catch(() => []))),
    ]);
    const gpuMemory = new Map<number, number | null>();
    for (const source of this.sources)
      for (const [pid, bytes] of source.processMemory?.() ?? []) gpuMemory.set(pid, bytes);
    const processes = await this.processes.read(this.options.engines(), gpuMemory, at);
    const base = {
      at,
      intervalMs,
      host,
      gpus: gpuLists.flat(),
      processes,
      tokensPerSecond: processes.reduce((sum, p) => sum + (p.tokensPerSecond ?? 0), 0),
    };
    const swaps = [...this.samples, { host }]
      .map((s) => s.host.swapUsedBytes)
      .filter((s): s is number => s !== null);
    return {
      ...base,
      warnings: warningsFor(base, { swapBaselineBytes: swaps.length ? Math.min(...swaps) : null }),
    };
  }

  private record(sample: MonitorSample): void {
    this.samples.push(sample);
    const horizon = sample.at - (this.options.historyMs ?? monitorHistoryMs);
    while (this.samples[0] && this.samples[0].at < horizon) this.samples.shift();
    this.options.emit(sample);
    for (const waiter of [...this.waiters]) waiter(sample);
  }

  close(): void {
    this.watchers.clear();
    this.halt();
    for (const waiter of [...this.waiters]) waiter(undefined);
  }
}
