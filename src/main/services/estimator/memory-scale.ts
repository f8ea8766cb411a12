import type { MemorySplit } from './memory';
import type { MemoryClasses } from './measurements/learned-memory';

/** This machine's measured corrections per buffer class: GPU memory, and RAM. */
export interface MemoryScale {
  gpu?: MemoryClasses;
  cpu?: MemoryClasses;
}

/**
 * A split with this machine's corrections applied, before any budget check, so the placement,
 * the verdict and the largest context all follow what its loads measured. The CPU's mapped and
 * repacked weights are parts of its weights and scale with them.
 */
export function scaleSplit(split: MemorySplit, scale: MemoryScale | undefined): MemorySplit {
  if (!scale) return split;
  const g = scale.gpu;
  const c = scale.cpu;
  return {
    gpu: g
      ? {
          weights: split.gpu.weights * g.weights,
          kv: split.gpu.kv * g.kv,
          compute: split.gpu.compute * g.compute,
        }
      : split.gpu,
    devices: g
      ? split.devices.map((d) => ({
          ...d,
          weights: d.weights * g.weights,
          kv: d.kv * g.kv,
          compute: d.compute * g.compute,
        }))
      : split.devices,
    cpu: c
      ? {
          ...split.cpu,
          weights: split.cpu.weights * c.weights,
          repacked: split.cpu.repacked * c.weights,
          mapped: split.cpu.mapped * c.weights,
          kv: split.cpu.kv * c.kv,
          compute: split.cpu.compute * c.compute,
        }
      : split.cpu,
  };
}
