import type { HardwareProfile } from '../../../shared/contract';

/**
 * The machine with its GPUs replaced by ones with this much free memory each (`hearth fit --gpus
 * "24GB,12GB"`): the names and speeds of the GPUs Hearth sees (or was told about) are kept where
 * there is one at that position, the first one's elsewhere; the machine is planned as one that can
 * offload, since the point is asking about GPUs this build may not see.
 */
export function withGpuFreeMemory(profile: HardwareProfile, freeBytes: readonly number[]): HardwareProfile {
  const template = profile.gpus[0];
  const gpus = freeBytes.map((free, i) => {
    const base = profile.gpus[i] ?? template;
    return {
      vendor: base?.vendor ?? 'NVIDIA',
      model: base?.model ?? `GPU ${i}`,
      // What is free is what llama.cpp splits by; the total only sizes the headroom kept back.
      vramTotalBytes: Math.max(free, base?.vramTotalBytes ?? 0),
      vramUsedBytes: Math.max(0, (base?.vramTotalBytes ?? 0) - free),
      vramFreeBytes: free,
      driver: base?.driver ?? null,
      bus: base?.bus ?? null,
      bandwidthGBs: base?.bandwidthGBs ?? null,
      tflops: base?.tflops ?? null,
    };
  });
  const offloads = profile.backends.some((b) => b !== 'cpu');
  return {
    ...profile,
    label: `${profile.label}, GPUs with ${freeBytes.length} free-memory override${freeBytes.length > 1 ? 's' : ''}`,
    unifiedMemory: false,
    gpus,
    backends: offloads ? profile.backends : ['cuda', 'cpu'],
  };
}
