import type { GpuSample } from '../../../shared/contract';

/** What the monitor asks nvidia-smi for, in this order; a field an old driver refuses is dropped. */
export const nvidiaFields = [
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'utilization.gpu',
  'utilization.memory',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'fan.speed',
  'clocks.sm',
  'pstate',
  'clocks_throttle_reasons.active',
  'mig.mode.current',
] as const;

export type NvidiaField = (typeof nvidiaFields)[number];

const MiB = 1024 ** 2;

/** nvidia-smi's clocks_throttle_reasons bits (nvml.h, nvmlClocksThrottleReason*). */
const throttleBits: [number, string][] = [
  [0x1, 'idle'],
  [0x2, 'app-clocks'],
  [0x4, 'power-cap'],
  [0x8, 'hw-slowdown'],
  [0x10, 'sync-boost'],
  [0x20, 'sw-thermal'],
  [0x40, 'hw-thermal'],
  [0x80, 'hw-power-brake'],
  [0x100, 'display-clocks'],
];

/** "[N/A]", "[Not Supported]", "N/A", "[Unknown Error]"… are unknown, never 0. */
export function numberOrNull(value: string | undefined): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

const textOrNull = (value: string | undefined): string | null => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' || /^\[.*\]$/.test(trimmed) || trimmed === 'N/A' ? null : trimmed;
};

export function throttleReasons(value: string | undefined): string[] | null {
  const trimmed = value?.trim() ?? '';
  if (!/^0x[0-9a-f]+$/i.test(trimmed)) return null;
  const bits = Number.parseInt(trimmed.slice(2), 16);
  return throttleBits.filter(([bit]) => (bits & bit) !== 0).map(([, name]) => name);
}

/** The PCI address as sysfs writes it ("0000:01:00.0"); nvidia-smi pads the domain to 8 digits. */
export const normalizeBus = (bus: string): string => bus.trim().toLowerCase().slice(-12);

export interface NvidiaReading {
  sample: GpuSample;
  bus: string | null;
}

/**
 * One line of `nvidia-smi --query-gpu=<fields> --format=csv,noheader,nounits` (one GPU), or
 * undefined for anything else it prints (an error about one GPU, a blank line).
 */
export function parseNvidiaLine(line: string, fields: readonly NvidiaField[]): NvidiaReading | undefined {
  const values = line.split(',').map((v) => v.trim());
  if (values.length !== fields.length) return undefined;
  const get = (field: NvidiaField): string | undefined => {
    const at = fields.indexOf(field);
    return at < 0 ? undefined : values[at];
  };
  const index = numberOrNull(get('index'));
  const uuid = textOrNull(get('uuid'));
  if (index === null || !uuid) return undefined;
  const mib = (field: NvidiaField): number | null => {
    const n = numberOrNull(get(field));
    return n === null ? null : n * MiB;
  };
  const mig = get('mig.mode.current')?.trim() === 'Enabled';
  const bus = textOrNull(get('pci.bus_id'));
  return {
    bus: bus ? normalizeBus(bus) : null,
    sample: {
      id: uuid,
      index,
      vendor: 'NVIDIA',
      name: textOrNull(get('name')) ?? `NVIDIA GPU ${index}`,
      state: 'active',
      // A MIG-partitioned card has no whole-card utilisation: nvidia-smi says [N/A], kept unknown.
      utilizationPct: numberOrNull(get('utilization.gpu')),
      memoryUtilizationPct: numberOrNull(get('utilization.memory')),
      memoryUsedBytes: mib('memory.used'),
      memoryTotalBytes: mib('memory.total'),
      temperatureC: numberOrNull(get('temperature.gpu')),
      powerW: numberOrNull(get('power.draw')),
      powerLimitW: numberOrNull(get('power.limit')),
      fanPct: numberOrNull(get('fan.speed')),
      smClockMHz: numberOrNull(get('clocks.sm')),
      pstate: textOrNull(get('pstate')),
      throttle: throttleReasons(get('clocks_throttle_reasons.active')),
      mig,
    },
  };
}

/** The field an old driver refused: `Field "clocks.sm" is not a valid field to query.` */
export function refusedField(line: string): string | undefined {
  return /Field "([^"]+)" is not a valid field to query/.exec(line)?.[1];
}

/**
 * `nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits`: GPU memory per
 * process in bytes, summed over GPUs (a model split across two cards is one process on both).
 */
export function parseComputeApps(output: string): Map<number, number | null> {
  const byPid = new Map<number, number | null>();
  for (const line of output.split('\n')) {
    const [pidText, usedText] = line.split(',');
    const pid = numberOrNull(pidText);
    if (pid === null || !Number.isInteger(pid)) continue;
    const used = numberOrNull(usedText);
    const before = byPid.get(pid);
    // Windows in WDDM mode says [N/A] per process: unknown stays unknown.
    byPid.set(pid, used === null ? (before ?? null) : (before ?? 0) + used * MiB);
  }
  return byPid;
}
