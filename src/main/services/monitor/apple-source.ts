import type { GpuSample } from '../../../shared/contract';
import { unknownGpu, type GpuSource } from './gpu-source';
import { runOnce, type OnceRunner } from './runners';

export interface IoregAccelerator {
  model: string | null;
  utilizationPct: number | null;
  inUseBytes: number | null;
}

const numberAfter = (text: string, key: string): number | null => {
  const escaped = key.replace(/[.*+?^${}()|[\]\\%]/g, '\\$&');
  const match = new RegExp(`"${escaped}"\\s*=\\s*(\\d+)`).exec(text);
  return match?.[1] === undefined ? null : Number(match[1]);
};

/**
 * `ioreg -r -d 1 -w 0 -c IOAccelerator`: one block per GPU (`+-o AGXAccelerator…`), whose
 * "PerformanceStatistics" dictionary holds "Device Utilization %" and "In use system memory".
 * No sudo needed, unlike powermetrics.
 */
export function parseIoreg(output: string): IoregAccelerator[] {
  return output
    .split(/^\+-o /m)
    .slice(1)
    .map((block) => {
      const stats = /"PerformanceStatistics"\s*=\s*\{([^}]*)\}/.exec(block)?.[1] ?? '';
      return {
        model: /"model"\s*=\s*"([^"]*)"/.exec(block)?.[1] ?? null,
        utilizationPct: numberAfter(stats, 'Device Utilization %'),
        inUseBytes: numberAfter(stats, 'In use system memory'),
      };
    });
}

export interface AppleSourceOptions {
  runOnce?: OnceRunner;
  /** The machine's RAM: on Apple silicon the GPU's memory is the system's. */
  totalMemoryBytes: number;
}

/** Apple silicon GPUs: utilisation and memory in use from the IOAccelerator registry entry. */
export class AppleSource implements GpuSource {
  readonly vendor = 'Apple';

  constructor(private readonly options: AppleSourceOptions) {}

  start(): void {}

  stop(): void {}

  async read(): Promise<GpuSample[]> {
    const result = await (this.options.runOnce ?? runOnce)('ioreg', [
      '-r',
      '-d',
      '1',
      '-w',
      '0',
      '-c',
      'IOAccelerator',
    ]);
    if (result.code !== 0) return [];
    return parseIoreg(result.stdout).map((gpu, index) => ({
      ...unknownGpu({
        id: `apple:${index}`,
        index,
        vendor: 'Apple',
        name: gpu.model ?? 'Apple GPU',
        state: 'active',
      }),
      utilizationPct: gpu.utilizationPct,
      memoryUsedBytes: gpu.inUseBytes,
      memoryTotalBytes: this.options.totalMemoryBytes,
    }));
  }
}
