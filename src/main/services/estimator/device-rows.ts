import type { DeviceFit } from '../../../shared/contract/estimator';
import type { GpuBudget, MachineBudget } from './machine-budget';
import type { DeviceMemory } from './memory';

const GB = 1e9;
const fmt = (bytes: number): string => `${(bytes / GB).toFixed(1)} GB`;

/**
 * What a GPU may take: its free memory less headroom when it holds layers; all of it when it only
 * runs the big batches of layers left in RAM (its compute buffer is all it holds, and llama.cpp
 * needs just that much free to allocate it; keeping headroom there would refuse CPU runs that work).
 */
export function deviceRoom(device: DeviceMemory, gpu: GpuBudget | undefined): number {
  if (!gpu) return 0;
  const holdsLayers = device.to > device.from || device.output;
  return Math.max(0, gpu.freeBytes - (holdsLayers ? gpu.headroomBytes : 0));
}

/** Each GPU's share of a placement and whether it fits that GPU, for the fit answer. */
export function deviceRows(devices: readonly DeviceMemory[], budget: MachineBudget): DeviceFit[] {
  return devices.map((d, i) => {
    const gpu = budget.gpus[i];
    const free = gpu?.freeBytes ?? 0;
    // Headroom is kept only where layers live (deviceRoom).
    const headroom = d.to > d.from || d.output ? (gpu?.headroomBytes ?? 0) : 0;
    const total = d.weights + d.kv + d.compute;
    const room = deviceRoom(d, gpu);
    return {
      index: i,
      name: gpu?.name ?? `GPU ${i}`,
      firstBlock: d.to > d.from ? d.from : 0,
      blocks: d.to - d.from,
      holdsOutput: d.output,
      weightsBytes: d.weights,
      kvCacheBytes: d.kv,
      computeBytes: d.compute,
      headroomBytes: headroom,
      totalBytes: total,
      availableBytes: free,
      fits: total <= room,
    };
  });
}

/** A note per GPU that overflows: which one, by how much. */
export function overflowNotes(rows: readonly DeviceFit[]): string[] {
  return rows
    .filter((r) => !r.fits)
    .map((r) =>
      r.blocks === 0 && !r.holdsOutput
        ? `GPU ${r.index} (${r.name}) would need ${fmt(r.totalBytes)} to run large prompt batches of the layers in RAM, ` +
          `but has ${fmt(r.availableBytes)} free (set a micro-batch under 32 tokens to keep them on the CPU).`
        : `GPU ${r.index} (${r.name}) would need ${fmt(r.totalBytes)} for its ${r.blocks} blocks${r.holdsOutput ? ' and the output layer' : ''}, ` +
          `but has ${fmt(Math.max(0, r.availableBytes - r.headroomBytes))} free beside its headroom.`,
    );
}
