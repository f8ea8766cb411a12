import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { GpuSample } from '../../../shared/contract';
import { unknownGpu, type GpuSource } from './gpu-source';
import { amdVendorId } from './pci-power';

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

const readNumber = (path: string): number | null => {
  const text = readText(path);
  return text !== null && /^-?\d+$/.test(text) ? Number(text) : null;
};

/** The amdgpu hwmon folder of a card (hwmon/hwmonN). */
function hwmonDir(device: string): string | undefined {
  try {
    const name = readdirSync(join(device, 'hwmon')).find((n) => n.startsWith('hwmon'));
    return name ? join(device, 'hwmon', name) : undefined;
  } catch {
    return undefined;
  }
}

/** "0000:03:00.0" when the card's device link resolves to a PCI address. */
function busOf(device: string): string | null {
  try {
    const name = basename(realpathSync(device));
    return /^[0-9a-f]{4,}:[0-9a-f]{2}:[0-9a-f]{2}\.\d$/i.test(name) ? name.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** One amdgpu card from its sysfs files; asleep when runtime PM has powered it down (reading would wake it). */
export function readAmdCard(device: string, card: string, index: number, name: string): GpuSample {
  const base = { id: `amd:${busOf(device) ?? card}`, index, vendor: 'AMD', name };
  if (readText(join(device, 'power', 'runtime_status')) === 'suspended')
    return unknownGpu({ ...base, state: 'asleep' });
  const hwmon = hwmonDir(device);
  const fromHwmon = (file: string, scale: number): number | null => {
    const n = hwmon ? readNumber(join(hwmon, file)) : null;
    return n === null ? null : n / scale;
  };
  const pwm = fromHwmon('pwm1', 1);
  const pwmMax = fromHwmon('pwm1_max', 1) ?? 255;
  const sclkHz = fromHwmon('freq1_input', 1);
  return {
    ...unknownGpu({ ...base, state: 'active' }),
    utilizationPct: readNumber(join(device, 'gpu_busy_percent')),
    memoryUtilizationPct: readNumber(join(device, 'mem_busy_percent')),
    memoryUsedBytes: readNumber(join(device, 'mem_info_vram_used')),
    memoryTotalBytes: readNumber(join(device, 'mem_info_vram_total')),
    // hwmon: millidegrees (temp1 is the edge sensor), microwatts, a 0-255 fan duty.
    temperatureC: fromHwmon('temp1_input', 1000),
    powerW: fromHwmon('power1_average', 1e6) ?? fromHwmon('power1_input', 1e6),
    powerLimitW: fromHwmon('power1_cap', 1e6),
    fanPct: pwm === null ? null : Math.round((pwm / pwmMax) * 100),
    smClockMHz: sclkHz === null ? null : Math.round(sclkHz / 1e6),
  };
}

export interface AmdSourceOptions {
  /** `/sys` unless a test gives a fake root. */
  sysRoot?: string;
  /** Marketing names by PCI bus (from the hardware profile); sysfs knows only ids. */
  nameOf?: (bus: string) => string | undefined;
}

/** AMD GPUs on Linux, straight from the amdgpu driver's sysfs files: no tool to run. */
export class AmdSource implements GpuSource {
  readonly vendor = 'AMD';

  constructor(private readonly options: AmdSourceOptions = {}) {}

  /** Cards of the amdgpu driver (card0, card1…, not their connectors card0-DP-1). */
  cards(): { card: string; device: string }[] {
    const drm = join(this.options.sysRoot ?? '/sys', 'class', 'drm');
    let names: string[];
    try {
      names = readdirSync(drm);
    } catch {
      return [];
    }
    return names
      .filter((n) => /^card\d+$/.test(n))
      .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
      .map((card) => ({ card, device: join(drm, card, 'device') }))
      .filter(({ device }) => readText(join(device, 'vendor'))?.toLowerCase() === amdVendorId);
  }

  start(): void {}

  stop(): void {}

  read(): Promise<GpuSample[]> {
    return Promise.resolve(
      this.cards().map(({ card, device }, index) => {
        const bus = busOf(device);
        const name =
          (bus && this.options.nameOf?.(bus)) ??
          readText(join(device, 'product_name')) ??
          `AMD GPU (${card})`;
        return readAmdCard(device, card, index, name);
      }),
    );
  }
}
