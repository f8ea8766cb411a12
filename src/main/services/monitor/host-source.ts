import { readFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem, type CpuInfo } from 'node:os';
import { join } from 'node:path';
import si from 'systeminformation';
import type { HostSample } from '../../../shared/contract';

export interface MemoryReading {
  totalBytes: number;
  availableBytes: number | null;
  usedBytes: number | null;
  swapTotalBytes: number | null;
  swapUsedBytes: number | null;
}

/** Linux's /proc/meminfo (kB): used is what is not available, as free(1) and htop count it. */
export function parseMeminfo(text: string): MemoryReading {
  const kb = (key: string): number | null => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  };
  const total = kb('MemTotal') ?? totalmem();
  const available = kb('MemAvailable');
  const swapTotal = kb('SwapTotal');
  const swapFree = kb('SwapFree');
  return {
    totalBytes: total,
    availableBytes: available,
    usedBytes: available === null ? null : total - available,
    swapTotalBytes: swapTotal,
    swapUsedBytes: swapTotal === null || swapFree === null ? null : swapTotal - swapFree,
  };
}

type Times = CpuInfo['times'];

const busyAndTotal = (t: Times): [number, number] => {
  const total = t.user + t.nice + t.sys + t.idle + t.irq;
  return [total - t.idle, total];
};

/** Per-core and overall CPU % between two readings of os.cpus(). */
export function cpuPercents(before: Times[], after: Times[]): { total: number | null; perCore: number[] } {
  let busy = 0;
  let all = 0;
  const perCore = after.map((t, i) => {
    const previous = before[i];
    if (!previous) return 0;
    const [b1, t1] = busyAndTotal(previous);
    const [b2, t2] = busyAndTotal(t);
    busy += b2 - b1;
    all += t2 - t1;
    return t2 > t1 ? Math.round((1000 * (b2 - b1)) / (t2 - t1)) / 10 : 0;
  });
  return { total: all > 0 ? Math.round((1000 * busy) / all) / 10 : null, perCore };
}

export interface HostSourceOptions {
  /** '/proc' on Linux (a test's fake root elsewhere); null reads memory through systeminformation. */
  procRoot?: string | null;
  cpuTimes?: () => Times[];
  loadAverage?: () => [number, number, number] | null;
  unifiedMemory: boolean;
}

async function memoryFromSi(): Promise<MemoryReading> {
  const m = await si.mem();
  return {
    totalBytes: m.total,
    availableBytes: m.available,
    usedBytes: m.total - m.available,
    swapTotalBytes: m.swaptotal,
    swapUsedBytes: m.swapused,
  };
}

const defaultLoad = (): [number, number, number] | null => {
  // Windows has no load average: os.loadavg() says zeros there, which would read as "idle".
  if (process.platform === 'win32') return null;
  const [a = 0, b = 0, c = 0] = loadavg();
  return [a, b, c];
};

/** CPU, load, RAM and swap of this machine: Node's own counters and /proc, no process per sample on Linux. */
export class HostSource {
  private previous: Times[] | undefined;

  constructor(private readonly options: HostSourceOptions) {}

  private times(): Times[] {
    return (this.options.cpuTimes ?? (() => cpus().map((c) => c.times)))();
  }

  /** Takes the baseline the first sample's CPU % is measured from. */
  start(): void {
    this.previous = this.times();
  }

  private async memory(): Promise<MemoryReading> {
    const procRoot = this.options.procRoot === undefined ? defaultProcRoot() : this.options.procRoot;
    if (procRoot === null) return memoryFromSi();
    return parseMeminfo(await readFile(join(procRoot, 'meminfo'), 'utf8'));
  }

  async read(): Promise<HostSample> {
    const now = this.times();
    const cpu = this.previous ? cpuPercents(this.previous, now) : { total: null, perCore: now.map(() => 0) };
    this.previous = now;
    const memory = await this.memory().catch((): MemoryReading => ({
      totalBytes: totalmem(),
      availableBytes: null,
      usedBytes: null,
      swapTotalBytes: null,
      swapUsedBytes: null,
    }));
    return {
      cpuPct: cpu.total,
      perCorePct: cpu.perCore,
      load: (this.options.loadAverage ?? defaultLoad)(),
      ramTotalBytes: memory.totalBytes,
      ramUsedBytes: memory.usedBytes,
      ramAvailableBytes: memory.availableBytes,
      swapTotalBytes: memory.swapTotalBytes,
      swapUsedBytes: memory.swapUsedBytes,
      unifiedMemory: this.options.unifiedMemory,
    };
  }
}

const defaultProcRoot = (): string | null => (process.platform === 'linux' ? '/proc' : null);
