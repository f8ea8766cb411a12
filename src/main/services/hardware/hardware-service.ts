import si from 'systeminformation';
import type { HardwareProfile } from '../../../shared/contract';
import { systemClock, type Clock } from '../monitor/heartbeat';
import { findGpuSpec } from './gpu-specs';
import { estimatedRamBandwidthGBs, measureRamBandwidthGBs } from './ram-bandwidth';

type Backend = HardwareProfile['backends'][number];
type Controller = si.Systeminformation.GraphicsControllerData;

const MiB = 1024 ** 2;

export interface HardwareServiceOptions {
  /** The folder whose disk matters (where models are stored). */
  modelsDir: () => string;
  clock?: Clock;
  /** How long a reading stays fresh; VRAM use changes, the rest does not. */
  ttlMs?: number;
  /** GPU backends this build can use (node-llama-cpp's getLlamaGpuTypes by default). */
  gpuBackends?: () => Promise<Backend[]>;
  ramBandwidthGBs?: () => number;
}

/** node-llama-cpp's view of the GPU backends it has binaries and drivers for. Loads no native code. */
async function llamaGpuBackends(): Promise<Backend[]> {
  const { getLlamaGpuTypes } = await import('node-llama-cpp');
  const types = await getLlamaGpuTypes('supported');
  return types.filter((t): t is Exclude<typeof t, false> => t !== false);
}

const vendorOf = (c: Controller): string => {
  const text = `${c.vendor} ${c.model} ${c.name ?? ''}`.toLowerCase();
  if (text.includes('nvidia')) return 'NVIDIA';
  if (text.includes('amd') || text.includes('advanced micro devices') || text.includes('ati ')) return 'AMD';
  if (text.includes('apple')) return 'Apple';
  if (text.includes('intel')) return 'Intel';
  return c.vendor || 'Unknown';
};

/** Virtual display adapters of VMs and remote desktops: not GPUs anyone can run a model on. */
const isVirtualAdapter = (c: Controller): boolean =>
  /virtio|vmware|cirrus|qxl|bochs|hyper-v|basic display|llvmpipe/i.test(`${c.vendor} ${c.model}`);

export class HardwareService {
  private cached: { profile: HardwareProfile; at: number } | undefined;
  private pending: Promise<HardwareProfile> | undefined;
  private backends: Promise<Backend[]> | undefined;
  private ramBandwidth: number | undefined;

  constructor(private readonly options: HardwareServiceOptions) {}

  async get(refresh = false): Promise<HardwareProfile> {
    const clock = this.options.clock ?? systemClock;
    const fresh = this.cached && clock.now() - this.cached.at < (this.options.ttlMs ?? 30_000);
    if (this.cached && fresh && !refresh) return this.cached.profile;
    this.pending ??= this.read().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async read(): Promise<HardwareProfile> {
    const clock = this.options.clock ?? systemClock;
    const started = clock.now();
    this.backends ??= (this.options.gpuBackends ?? llamaGpuBackends)().catch(() => []);
    const [cpu, flags, mem, layout, graphics, disks, os, blocks, backends] = await Promise.all([
      si.cpu(),
      si.cpuFlags(),
      si.mem(),
      si.memLayout(),
      si.graphics(),
      si.fsSize(),
      si.osInfo(),
      si.blockDevices(),
      this.backends,
    ]);
    const flagSet = new Set(flags.toLowerCase().split(/\s+/));
    const speeds = layout.map((m) => m.clockSpeed ?? 0).filter((s) => s > 0);
    const speedMts = speeds.length ? Math.min(...speeds) : null;
    this.ramBandwidth ??= (this.options.ramBandwidthGBs ?? measureRamBandwidthGBs)();
    const measured = Number.isFinite(this.ramBandwidth) && this.ramBandwidth > 0;
    const unifiedMemory = process.platform === 'darwin' && process.arch === 'arm64';

    const gpus = graphics.controllers
      .filter((c) => !isVirtualAdapter(c))
      .map((c) => {
        const model = (c.name || c.model || 'Unknown GPU').replace(/^NVIDIA\s+/i, 'NVIDIA ').trim();
        const totalMiB = c.memoryTotal ?? c.vram ?? 0;
        const freeMiB = c.memoryFree ?? null;
        const usedMiB = c.memoryUsed ?? (freeMiB !== null && totalMiB ? totalMiB - freeMiB : null);
        // Apple chips of one name differ in GPU cores, and bandwidth with them (M3 Max: 300 or 400 GB/s).
        const cores = vendorOf(c) === 'Apple' && c.cores ? ` ${c.cores}-core` : '';
        const spec = findGpuSpec(`${model}${cores}`, totalMiB ? totalMiB / 1024 : undefined);
        return {
          vendor: vendorOf(c),
          model,
          vramTotalBytes: unifiedMemory ? mem.total : totalMiB * MiB,
          vramUsedBytes: usedMiB === null ? null : usedMiB * MiB,
          vramFreeBytes: freeMiB === null ? null : freeMiB * MiB,
          driver: c.driverVersion || null,
          bus: c.busAddress || c.pciBus || null,
          bandwidthGBs: spec?.bandwidthGBs ?? null,
          tflops: spec?.tflops ?? null,
        };
      })
      .filter((g) => g.vramTotalBytes > 0 || g.vendor === 'Apple');

    const modelsDir = this.options.modelsDir();
    const disk = disks
      .filter(
        (d) =>
          modelsDir === d.mount ||
          modelsDir.startsWith(d.mount.endsWith('/') ? d.mount : `${d.mount}/`) ||
          d.mount === '/',
      )
      .sort((a, b) => b.mount.length - a.mount.length)[0];
    const device = disk ? blocks.find((b) => b.mount === disk.mount) : undefined;

    const profile: HardwareProfile = {
      source: 'detected',
      label: 'This computer',
      cpu: {
        brand: `${cpu.manufacturer} ${cpu.brand}`.trim(),
        physicalCores: Math.max(1, cpu.physicalCores || cpu.cores || 1),
        logicalCores: Math.max(1, cpu.cores || 1),
        speedGHz: cpu.speedMax || cpu.speed || 0,
        flags: {
          avx: flagSet.has('avx'),
          avx2: flagSet.has('avx2'),
          avx512: flagSet.has('avx512f'),
          f16c: flagSet.has('f16c'),
          fma: flagSet.has('fma'),
          neon: process.arch === 'arm64' || flagSet.has('neon') || flagSet.has('asimd'),
        },
      },
      ram: {
        totalBytes: mem.total,
        availableBytes: mem.available,
        speedMts,
        bandwidthGBs: measured ? this.ramBandwidth : estimatedRamBandwidthGBs(speedMts),
        bandwidthSource: measured ? 'measured' : 'estimated',
      },
      gpus,
      unifiedMemory,
      backends: [...new Set<Backend>([...backends, ...(unifiedMemory ? (['metal'] as const) : []), 'cpu'])],
      disk: disk
        ? {
            path: modelsDir,
            freeBytes: disk.available,
            totalBytes: disk.size,
            type: device?.physical || null,
          }
        : null,
      os: { platform: os.platform, distro: os.distro, release: os.release, arch: os.arch },
      readAt: clock.now(),
      readMs: clock.now() - started,
    };
    this.cached = { profile, at: clock.now() };
    return profile;
  }
}
