import { AppError, type HardwareProfile } from '../../../shared/contract';
import { safeText } from '../../../shared/domain/safe-text';
import { namedCpu } from './cpu-specs';
import { findGpuSpec, memoryInName } from './gpu-specs';

const GiB = 1024 ** 3;

/** "2x Tesla P40", "2 × P40", "P40 x2" → count and name. */
export function parseGpuQuery(query: string): { count: number; name: string } {
  const text = query.trim();
  const before = /^(\d+)\s*[x×*]\s*(.+)$/i.exec(text);
  if (before?.[1] && before[2]) return { count: Number(before[1]), name: before[2] };
  // A trailing count needs a separate x ("P40 x2"), so "RTX 4090" is not read as RT × 4090.
  const after = /^(.+?)(?:\s+[x×*]\s*|\s*[×*]\s*)(\d+)$/i.exec(text);
  if (after?.[1] && after[2]) return { count: Number(after[2]), name: after[1] };
  return { count: 1, name: text };
}

/**
 * A hardware profile for a machine the user names: the named GPU(s), empty and free, with this
 * machine's CPU and RAM (Apple chips bring their unified memory: "M2 Max 64GB").
 */
export function namedProfile(
  base: HardwareProfile,
  gpuName: string | undefined,
  vramBytes: number | undefined,
  cpuName?: string,
): HardwareProfile {
  if (cpuName) return withNamedCpu(namedProfile(base, gpuName, vramBytes), cpuName, !gpuName && !vramBytes);
  if (!gpuName && vramBytes === undefined) return base;
  const { count, name } = parseGpuQuery(gpuName ?? 'GPU');
  if (count < 1 || count > 16)
    throw new AppError(
      'BAD_INPUT',
      `A machine with ${count} GPUs is not something Hearth can plan for (1-16)`,
    );
  const spec = gpuName ? findGpuSpec(name) : undefined;
  if (gpuName && !spec && vramBytes === undefined) {
    throw new AppError(
      'BAD_INPUT',
      `Unknown GPU "${gpuName}": try a name like "RTX 3060 12 GB" or "2x Tesla P40", or give its VRAM (--vram 24GB)`,
    );
  }
  const label = `${count > 1 ? `${count} × ` : ''}${spec?.name ?? name}${vramBytes ? ` (${Math.round(vramBytes / GiB)} GB)` : ''}`;
  if (spec?.vendor === 'apple') {
    const ramGiB = memoryInName(name);
    const total = vramBytes ?? (ramGiB ? ramGiB * GiB : base.ram.totalBytes);
    return {
      ...base,
      source: 'named',
      label,
      unifiedMemory: true,
      ram: {
        ...base.ram,
        totalBytes: total,
        availableBytes: total * 0.85,
        bandwidthGBs: spec.bandwidthGBs,
        bandwidthSource: 'estimated',
      },
      gpus: [
        {
          vendor: 'Apple',
          model: spec.name,
          vramTotalBytes: total,
          vramUsedBytes: 0,
          vramFreeBytes: total,
          driver: null,
          bus: null,
          bandwidthGBs: spec.bandwidthGBs,
          tflops: spec.tflops,
        },
      ],
      backends: ['metal', 'cpu'],
    };
  }
  const perGpu = vramBytes ?? (spec?.vramGiB ?? 0) * GiB;
  const gpu = {
    vendor: spec?.vendor === 'amd' ? 'AMD' : spec?.vendor === 'intel' ? 'Intel' : 'NVIDIA',
    model: spec?.name ?? name,
    vramTotalBytes: perGpu,
    vramUsedBytes: 0,
    vramFreeBytes: perGpu,
    driver: null,
    bus: null,
    bandwidthGBs: spec?.bandwidthGBs ?? null,
    tflops: spec?.tflops ?? null,
  };
  return {
    ...base,
    source: spec ? 'named' : 'custom',
    label,
    unifiedMemory: false,
    gpus: Array.from({ length: count }, () => ({ ...gpu })),
    // node-llama-cpp ships CUDA for NVIDIA and Vulkan for the others (no ROCm or SYCL build).
    backends:
      spec?.vendor === 'amd' || spec?.vendor === 'intel' ? ['vulkan', 'cpu'] : ['cuda', 'vulkan', 'cpu'],
  };
}

/**
 * A machine whose CPU and memory the user names (`--cpu "Ryzen 9 7950X, DDR5-6000 2ch"`): alone it
 * is a CPU-only machine; beside `--gpu` it is that GPU's host.
 */
function withNamedCpu(profile: HardwareProfile, cpuName: string, cpuOnly: boolean): HardwareProfile {
  const named = namedCpu(profile, cpuName);
  if (!named.known)
    throw new AppError(
      'BAD_INPUT',
      `Unknown CPU "${safeText(cpuName, 100)}": try a name like "Ryzen 9 7950X" or give the memory ("DDR5-6000 2ch")`,
    );
  const apple = profile.unifiedMemory;
  return {
    ...profile,
    source: 'named',
    label: cpuOnly ? `${named.label} (CPU only)` : `${profile.label} + ${named.label}`,
    cpu: named.cpu,
    // Apple's unified memory stays the chip's; elsewhere the named RAM feeds the CPU layers.
    ram: apple ? profile.ram : named.ram,
    ...(cpuOnly ? { gpus: [], backends: ['cpu' as const], unifiedMemory: false } : {}),
  };
}
