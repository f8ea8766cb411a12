/** Human formatting shared by the renderer and the CLI. */

/** Bytes as people read memory sizes: "4.9 GB", "512 MB" (decimal units, like file managers). */
export function formatBytes(bytes: number, digits = 1): string {
  if (!Number.isFinite(bytes)) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${bytes < 0 ? '-' : ''}${value.toFixed(unit === 0 ? 0 : digits)} ${units[unit]}`;
}

export function formatParameters(count: number): string {
  return count >= 1e9 ? `${(count / 1e9).toFixed(1)}B` : `${Math.round(count / 1e6)}M`;
}

/**
 * Parses a memory size as people write VRAM: "24GB", "24 GB", "12G", "8192MiB", "0.5 TB".
 * GB means GiB here, because that is what "a 24 GB card" has.
 */
export function parseMemorySize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(t|tb|tib|g|gb|gib|m|mb|mib)?\s*$/i.exec(text);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? 'gb').toLowerCase();
  const scale = unit.startsWith('t') ? 1024 ** 4 : unit.startsWith('m') ? 1024 ** 2 : 1024 ** 3;
  return value > 0 ? value * scale : undefined;
}

export const verdictLabels = {
  'full-gpu': 'Runs fully on the GPU',
  partial: 'Partly on the GPU',
  'cpu-only': 'CPU only',
  'does-not-fit': 'Does not fit',
} as const;
