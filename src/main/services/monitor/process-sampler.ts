import type { ProcessSample } from '../../../shared/contract';
import type { EngineStats } from '../../engine-process/protocol';

/** What the monitor needs of an engine process (EngineHost has it). */
export interface MonitoredEngine {
  readonly pid: number | undefined;
  status(): { modelPath: string | null };
  stats(): Promise<EngineStats | null>;
}

/**
 * Layers on the GPU. An engine held on the CPU on purpose (HEARTH_ENGINE_GPU=false) offloads
 * nothing whatever it was asked, so its plan stands in: what it was asked to put on the GPU.
 */
export function effectiveGpuLayers(stats: EngineStats): number | null {
  if (stats.offload !== 'off' || stats.totalLayers === null) return stats.gpuLayers;
  const asked = stats.requestedGpuLayers;
  return asked === 'auto' || asked === null ? stats.totalLayers : Math.min(asked, stats.totalLayers);
}

/** The app's and each engine process's CPU %, memory and model numbers, one row per process. */
export class ProcessSampler {
  private readonly cpuBefore = new Map<number, { micros: number; at: number }>();

  /** The app's own CPU baseline, so the first sample has its CPU % too. */
  start(at: number): void {
    const cpu = process.cpuUsage();
    this.cpuBefore.set(process.pid, { micros: cpu.user + cpu.system, at });
  }

  private cpuPct(pid: number, micros: number, at: number): number | null {
    const before = this.cpuBefore.get(pid);
    this.cpuBefore.set(pid, { micros, at });
    if (!before || at <= before.at) return null;
    return Math.round(((micros - before.micros) / ((at - before.at) * 1000)) * 1000) / 10;
  }

  async read(
    engines: readonly MonitoredEngine[],
    gpuMemory: ReadonlyMap<number, number | null>,
    at: number,
  ): Promise<ProcessSample[]> {
    const cpu = process.cpuUsage();
    const rows: ProcessSample[] = [
      {
        pid: process.pid,
        role: 'app',
        modelPath: null,
        cpuPct: this.cpuPct(process.pid, cpu.user + cpu.system, at),
        rssBytes: process.memoryUsage.rss(),
        gpuMemoryBytes: gpuMemory.get(process.pid) ?? null,
        contextTokens: null,
        contextSize: null,
        tokensPerSecond: null,
        generating: false,
        gpuLayers: null,
        totalLayers: null,
      },
    ];
    const stats = await Promise.all(engines.map((e) => e.stats()));
    const alive = new Set([process.pid]);
    engines.forEach((engine, i) => {
      const pid = engine.pid;
      const s = stats[i];
      if (pid === undefined || !s) return;
      alive.add(pid);
      rows.push({
        pid,
        role: 'engine',
        modelPath: engine.status().modelPath,
        cpuPct: this.cpuPct(pid, s.cpuMicros, at),
        rssBytes: s.rssBytes,
        gpuMemoryBytes: gpuMemory.get(pid) ?? null,
        contextTokens: s.contextTokens,
        contextSize: s.contextSize,
        tokensPerSecond: s.tokensPerSecond,
        generating: s.generating > 0,
        gpuLayers: effectiveGpuLayers(s),
        totalLayers: s.totalLayers,
      });
    });
    for (const pid of this.cpuBefore.keys()) if (!alive.has(pid)) this.cpuBefore.delete(pid);
    return rows;
  }
}
