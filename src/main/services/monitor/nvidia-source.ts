import type { GpuSample } from '../../../shared/contract';
import { unknownGpu, type GpuSource } from './gpu-source';
import {
  normalizeBus,
  nvidiaFields,
  parseComputeApps,
  parseNvidiaLine,
  refusedField,
  type NvidiaField,
} from './nvidia-smi';
import { nvidiaVendorId, pciDisplayDevices } from './pci-power';
import { runOnce, spawnLines, type LineProcess, type LineRunner, type OnceRunner } from './runners';

export interface NvidiaSourceOptions {
  command?: string;
  runLines?: LineRunner;
  runOnce?: OnceRunner;
  /** Where sysfs is (Linux), to see a suspended laptop GPU without waking it; null elsewhere. */
  sysRoot?: string | null;
  now?: () => number;
  /** First restart delay after nvidia-smi exits; doubles per failure up to restartMaxMs. */
  restartBaseMs?: number;
  restartMaxMs?: number;
  /** A GPU with no line for this long is gone (driver reset, fell off the bus). */
  goneAfterMs?: (intervalMs: number) => number;
  /** Per-process memory is read this often (a one-shot nvidia-smi; the loop keeps the driver up). */
  appsEveryMs?: number;
  /** Names for GPUs seen only asleep, by PCI bus (from the hardware profile). */
  nameOf?: (bus: string) => string | undefined;
}

interface Known {
  sample: GpuSample;
  bus: string | null;
  seenAt: number;
}

/**
 * NVIDIA GPUs through one long-running `nvidia-smi --query-gpu=… -lms <interval>`: never a process
 * per sample (without persistence mode each start re-initialises the driver, ~1.5 s, at full power).
 * Restarted with back-off when it exits; a GPU that stops answering is marked gone.
 */
export class NvidiaSource implements GpuSource {
  readonly vendor = 'NVIDIA';
  private fields: NvidiaField[] = [...nvidiaFields];
  private proc: LineProcess | undefined;
  private readonly known = new Map<string, Known>();
  private running = false;
  private sleeping = false;
  private intervalMs = 1000;
  private failures = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private apps = new Map<number, number | null>();
  private appsAt = -Infinity;
  private appsPending = false;
  private readonly now: () => number;

  constructor(private readonly options: NvidiaSourceOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  start(intervalMs: number): void {
    this.intervalMs = intervalMs;
    if (this.running) return;
    this.running = true;
    this.launchUnlessAsleep();
  }

  stop(): void {
    this.running = false;
    this.sleeping = false;
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.proc?.kill();
    this.proc = undefined;
    // A later watcher starts afresh: GPUs unseen since then are not "gone".
    this.known.clear();
    this.apps.clear();
    this.appsAt = -Infinity;
  }

  /** The loop's pid, for tests and the bench (its CPU is part of the monitor's cost). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  private suspendedDevices(): string[] | undefined {
    if (!this.options.sysRoot) return undefined;
    const devices = pciDisplayDevices(this.options.sysRoot, nvidiaVendorId);
    if (devices.length === 0 || devices.some((d) => d.runtimeStatus !== 'suspended')) return undefined;
    return devices.map((d) => d.bus);
  }

  /** A laptop's powered-down GPU stays asleep: nvidia-smi would wake it (and keep it awake). */
  private launchUnlessAsleep(): void {
    this.sleeping = this.suspendedDevices() !== undefined;
    if (!this.sleeping) this.launch();
  }

  private launch(): void {
    let refused: string | undefined;
    let delivered = false;
    const args = [
      `--query-gpu=${this.fields.join(',')}`,
      '--format=csv,noheader,nounits',
      '-lms',
      String(this.intervalMs),
    ];
    const proc = (this.options.runLines ?? spawnLines)(this.options.command ?? 'nvidia-smi', args, {
      onLine: (line) => {
        refused ??= refusedField(line);
        const reading = parseNvidiaLine(line, this.fields);
        if (!reading) return;
        delivered = true;
        this.known.set(reading.sample.id, { ...reading, seenAt: this.now() });
      },
      onExit: () => {
        if (this.proc !== proc) return;
        this.proc = undefined;
        if (!this.running) return;
        if (refused && this.fields.includes(refused as NvidiaField)) {
          // An older driver without this field: ask for the rest, that one stays unknown.
          this.fields = this.fields.filter((f) => f !== refused);
          this.launch();
          return;
        }
        if (delivered) this.failures = 0;
        const base = this.options.restartBaseMs ?? 1000;
        const delay = Math.min(this.options.restartMaxMs ?? 30_000, base * 2 ** this.failures);
        this.failures++;
        this.restartTimer = setTimeout(() => {
          this.restartTimer = undefined;
          if (this.running) this.launchUnlessAsleep();
        }, delay);
        this.restartTimer.unref?.();
      },
    });
    this.proc = proc;
  }

  read(now: number): Promise<GpuSample[]> {
    if (this.running && this.sleeping) {
      const asleep = this.suspendedDevices();
      if (!asleep) {
        this.sleeping = false;
        this.launch();
      } else return Promise.resolve(this.asleepSamples(asleep));
    }
    this.pollApps(now);
    const goneAfter = (this.options.goneAfterMs ?? ((i) => Math.max(5 * i, 5000)))(this.intervalMs);
    const samples = [...this.known.values()].map(({ sample, seenAt }) =>
      now - seenAt <= goneAfter
        ? sample
        : { ...unknownGpu({ ...sample, state: 'gone' }), memoryTotalBytes: sample.memoryTotalBytes },
    );
    return Promise.resolve(samples.sort((a, b) => a.index - b.index));
  }

  private asleepSamples(buses: string[]): GpuSample[] {
    const byBus = new Map([...this.known.values()].map((k) => [k.bus, k.sample]));
    return buses.map((bus, i) => {
      const seen = byBus.get(normalizeBus(bus));
      return {
        ...unknownGpu({
          id: seen?.id ?? `pci:${bus}`,
          index: seen?.index ?? i,
          vendor: 'NVIDIA',
          name: seen?.name ?? this.options.nameOf?.(bus) ?? 'NVIDIA GPU',
          state: 'asleep',
        }),
        memoryTotalBytes: seen?.memoryTotalBytes ?? null,
      };
    });
  }

  private pollApps(now: number): void {
    if (!this.proc || this.appsPending || now - this.appsAt < (this.options.appsEveryMs ?? 5000)) return;
    this.appsPending = true;
    this.appsAt = now;
    void (this.options.runOnce ?? runOnce)(this.options.command ?? 'nvidia-smi', [
      '--query-compute-apps=pid,used_memory',
      '--format=csv,noheader,nounits',
    ])
      .then((result) => {
        if (result.code === 0 && this.running) this.apps = parseComputeApps(result.stdout);
      })
      .finally(() => (this.appsPending = false));
  }

  processMemory(): ReadonlyMap<number, number | null> {
    return this.apps;
  }
}
