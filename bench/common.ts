import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Generated models and builds live outside the repo's tracked files. */
export const benchCacheDir = fileURLToPath(new URL('../.cache/bench/', import.meta.url));
export const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

export interface BenchContext {
  progress(message: string): void;
}

export function machineInfo(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    logicalCores: cpu.length,
    memoryBytes: totalmem(),
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
  };
}
