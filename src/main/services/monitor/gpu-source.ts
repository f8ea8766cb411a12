import type { GpuSample } from '../../../shared/contract';

/** One vendor's way of reading its GPUs; every source returns the same sample shape. */
export interface GpuSource {
  readonly vendor: string;
  /** Called when the first watcher arrives (NVIDIA starts its one long-running nvidia-smi here). */
  start(intervalMs: number): void;
  /** Called within one interval after the last watcher leaves: nothing may keep running. */
  stop(): void;
  /** The latest reading of each GPU it covers. */
  read(now: number): Promise<GpuSample[]>;
  /** GPU memory per process id, where the vendor's tools tell it (null: listed, amount unknown). */
  processMemory?(): ReadonlyMap<number, number | null>;
}

/** A GPU with every reading unknown, to be filled in by what a source knows. */
export function unknownGpu(base: Pick<GpuSample, 'id' | 'index' | 'vendor' | 'name' | 'state'>): GpuSample {
  return {
    ...base,
    utilizationPct: null,
    memoryUtilizationPct: null,
    memoryUsedBytes: null,
    memoryTotalBytes: null,
    temperatureC: null,
    powerW: null,
    powerLimitW: null,
    fanPct: null,
    smClockMHz: null,
    pstate: null,
    throttle: null,
    mig: false,
  };
}
