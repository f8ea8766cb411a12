import type { HardwareProfile } from '../../../shared/contract';
import { AmdSource } from './amd-source';
import { AppleSource } from './apple-source';
import type { GpuSource } from './gpu-source';
import { NvidiaSource, type NvidiaSourceOptions } from './nvidia-source';
import { ProfileSource } from './profile-source';
import type { LineRunner, OnceRunner } from './runners';

export interface SourceOptions {
  platform?: NodeJS.Platform;
  arch?: string;
  /** `/sys` on Linux; tests give a fake root. */
  sysRoot?: string;
  runLines?: LineRunner;
  runOnce?: OnceRunner;
  nvidia?: Omit<NvidiaSourceOptions, 'runLines' | 'runOnce' | 'sysRoot' | 'nameOf'>;
}

/** The profile's name for a PCI address (systeminformation writes "01:00.0", sysfs "0000:01:00.0"). */
const nameByBus =
  (profile: HardwareProfile) =>
  (bus: string): string | undefined =>
    profile.gpus.find((g) => g.bus && bus.toLowerCase().endsWith(g.bus.toLowerCase().slice(-7)))?.model;

/**
 * One source per vendor present: NVIDIA through nvidia-smi, AMD through sysfs (Linux), Apple
 * through ioreg; any other GPU the profile lists is shown with what systeminformation knew.
 */
export function gpuSourcesFor(profile: HardwareProfile, options: SourceOptions = {}): GpuSource[] {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const sysRoot = options.sysRoot ?? '/sys';
  const nameOf = nameByBus(profile);
  const sources: GpuSource[] = [];
  if (profile.gpus.some((g) => g.vendor === 'NVIDIA'))
    sources.push(
      new NvidiaSource({
        ...options.nvidia,
        runLines: options.runLines,
        runOnce: options.runOnce,
        sysRoot: platform === 'linux' ? sysRoot : null,
        nameOf,
      }),
    );
  if (platform === 'linux') {
    const amd = new AmdSource({ sysRoot, nameOf });
    if (amd.cards().length > 0) sources.push(amd);
  }
  if (platform === 'darwin' && arch === 'arm64')
    sources.push(new AppleSource({ runOnce: options.runOnce, totalMemoryBytes: profile.ram.totalBytes }));
  const covered = new Set(sources.map((s) => s.vendor));
  const others = profile.gpus.filter((g) => !covered.has(g.vendor));
  if (others.length > 0) sources.push(new ProfileSource(others));
  return sources;
}
