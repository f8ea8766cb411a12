import type { HardwareProfile } from '../../../shared/contract';
import { repackRule, type RepackRule } from './repack';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export interface GpuBudget {
  name: string;
  totalBytes: number;
  /** What is free right now (the total when the driver does not say). */
  freeBytes: number;
  /** Kept back for the desktop, other apps and the GPU runtime's own context. */
  headroomBytes: number;
  bandwidthGBs: number | null;
  tflops: number | null;
}

export interface MachineBudget {
  gpus: GpuBudget[];
  /** False when this build cannot offload (CPU-only binary, or no usable backend for the GPU). */
  canOffload: boolean;
  unifiedMemory: boolean;
  ramTotalBytes: number;
  ramAvailableBytes: number;
  ramHeadroomBytes: number;
  ramBandwidthGBs: number;
  cpuTflops: number;
  /** Weight types the CPU backend repacks here (none when a GPU backend is loaded); absent: none. */
  cpuRepack?: RepackRule;
}

/** VRAM kept free: the runtime's context (~0.3-0.5 GB) plus a share for the desktop, capped for big cards. */
export function vramHeadroom(totalBytes: number): number {
  return Math.min(1.5 * GiB, 512 * MiB + 0.04 * totalBytes);
}

/** RAM kept for the OS and the apps already open. */
export function ramHeadroom(totalBytes: number): number {
  return Math.min(2 * GiB, Math.max(512 * MiB, 0.1 * totalBytes));
}

/** Peak FP32 FLOPS of the CPU: cores x clock x FLOPs per cycle of its widest FMA units. */
export function cpuTflops(cpu: HardwareProfile['cpu']): number {
  const perCycle = cpu.flags.avx512
    ? 64
    : cpu.flags.avx2 && cpu.flags.fma
      ? 32
      : cpu.flags.neon
        ? 16
        : cpu.flags.avx
          ? 16
          : 8;
  return (cpu.physicalCores * Math.max(cpu.speedGHz, 1) * perCycle) / 1000;
}

export function budgetFromProfile(profile: HardwareProfile): MachineBudget {
  const canOffload = profile.backends.some((b) => b !== 'cpu');
  let gpus: GpuBudget[] = profile.gpus.map((gpu) => ({
    name: gpu.model,
    totalBytes: gpu.vramTotalBytes,
    freeBytes: gpu.vramFreeBytes ?? gpu.vramTotalBytes,
    headroomBytes: vramHeadroom(gpu.vramTotalBytes),
    bandwidthGBs: gpu.bandwidthGBs,
    tflops: gpu.tflops,
  }));
  if (profile.unifiedMemory) {
    // Apple GPUs may wire about 2/3 of RAM (3/4 above 36 GB) and share it with everything else.
    const share = profile.ram.totalBytes > 36 * GiB ? 0.75 : 0.67;
    const total = profile.ram.totalBytes * share;
    gpus = gpus.slice(0, 1).map((gpu) => ({
      ...gpu,
      totalBytes: total,
      freeBytes: Math.min(total, profile.ram.availableBytes),
      headroomBytes: 0,
    }));
  }
  const usable = gpus.filter((g) => g.totalBytes > 0);
  return {
    gpus: usable,
    canOffload,
    unifiedMemory: profile.unifiedMemory,
    ramTotalBytes: profile.ram.totalBytes,
    ramAvailableBytes: profile.ram.availableBytes,
    ramHeadroomBytes: ramHeadroom(profile.ram.totalBytes),
    ramBandwidthGBs: profile.ram.bandwidthGBs,
    cpuTflops: cpuTflops(profile.cpu),
    cpuRepack: repackRule(profile.cpu, canOffload && usable.length > 0),
  };
}
