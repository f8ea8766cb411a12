import type { HardwareProfile, MonitorSample } from '../../../shared/contract';
import type { HardwareService } from '../hardware/hardware-service';
import { HostSource } from './host-source';
import { MonitorService } from './monitor-service';
import type { MonitoredEngine } from './process-sampler';
import { gpuSourcesFor, type SourceOptions } from './sources';

/** What tests and benches may change: fake roots and runners, quicker nvidia-smi restarts. */
export interface MonitorOptions extends SourceOptions {
  /** `/proc` on Linux. */
  procRoot?: string | null;
  historyMs?: number;
  leaseMs?: (intervalMs: number) => number;
}

/** The monitor as the app runs it: this machine's host counters and its GPUs' sources. */
export function createMonitor(
  options: MonitorOptions & {
    hardware: Pick<HardwareService, 'get'>;
    intervalMs: () => number;
    engines: () => readonly MonitoredEngine[];
    emit: (sample: MonitorSample) => void;
    log?: (message: string) => void;
  },
): MonitorService {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  // Which GPUs there are is read once: a fresh hardware reading runs nvidia-smi, which would wake
  // a laptop's sleeping GPU each time someone opens the monitor.
  let profile: Promise<HardwareProfile> | undefined;
  return new MonitorService({
    intervalMs: options.intervalMs,
    host: new HostSource({
      procRoot: options.procRoot,
      unifiedMemory: platform === 'darwin' && arch === 'arm64',
    }),
    gpuSources: async () => {
      profile ??= options.hardware.get();
      return gpuSourcesFor(
        await profile.catch((error: unknown) => {
          profile = undefined;
          throw error;
        }),
        options,
      );
    },
    engines: options.engines,
    emit: options.emit,
    historyMs: options.historyMs,
    leaseMs: options.leaseMs,
    log: options.log,
  });
}
