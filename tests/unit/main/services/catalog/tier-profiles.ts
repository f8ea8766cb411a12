import type { HardwareProfile } from '../../../../../src/shared/contract';

const GiB = 1024 ** 3;

interface Machine {
  label: string;
  ramGiB: number;
  /** What is free once the desktop and a browser are open. */
  freeRamGiB: number;
  ramBandwidthGBs: number;
  gpu?: { model: string; vramGiB: number; bandwidthGBs: number; tflops: number; vendor?: string };
  apple?: boolean;
}

/** A machine as the hardware service would describe it, for the recommendation tiers. */
export function machine(m: Machine): HardwareProfile {
  const gpu = m.gpu;
  return {
    source: 'custom',
    label: m.label,
    cpu: {
      brand: m.apple ? 'Apple M' : 'Test CPU',
      physicalCores: 8,
      logicalCores: 16,
      speedGHz: 3.5,
      flags: m.apple
        ? { avx: false, avx2: false, avx512: false, f16c: false, fma: false, neon: true }
        : { avx: true, avx2: true, avx512: false, f16c: true, fma: true, neon: false },
    },
    ram: {
      totalBytes: m.ramGiB * GiB,
      availableBytes: m.freeRamGiB * GiB,
      speedMts: null,
      bandwidthGBs: m.ramBandwidthGBs,
      bandwidthSource: 'estimated',
    },
    gpus: gpu
      ? [
          {
            vendor: gpu.vendor ?? 'NVIDIA',
            model: gpu.model,
            vramTotalBytes: gpu.vramGiB * GiB,
            vramUsedBytes: null,
            vramFreeBytes: null,
            driver: null,
            bus: null,
            bandwidthGBs: gpu.bandwidthGBs,
            tflops: gpu.tflops,
          },
        ]
      : [],
    unifiedMemory: !!m.apple,
    backends: gpu ? [m.apple ? 'metal' : 'cuda', 'cpu'] : ['cpu'],
    disk: null,
    os: { platform: m.apple ? 'darwin' : 'linux', distro: '', release: '', arch: m.apple ? 'arm64' : 'x64' },
    readAt: 0,
    readMs: 0,
  };
}

export const tiers = {
  cpuOnly8: machine({ label: 'CPU only, 8 GB', ramGiB: 8, freeRamGiB: 6, ramBandwidthGBs: 25 }),
  laptop8: machine({
    label: '8 GB GPU laptop, 16 GB RAM',
    ramGiB: 16,
    freeRamGiB: 11,
    ramBandwidthGBs: 60,
    gpu: { model: 'GeForce RTX 4060 Laptop GPU', vramGiB: 8, bandwidthGBs: 256, tflops: 15 },
  }),
  gpu12: machine({
    label: 'RTX 3060 12 GB, 32 GB RAM',
    ramGiB: 32,
    freeRamGiB: 26,
    ramBandwidthGBs: 50,
    gpu: { model: 'GeForce RTX 3060', vramGiB: 12, bandwidthGBs: 360, tflops: 12.7 },
  }),
  gpu24: machine({
    label: 'RTX 4090 24 GB, 32 GB RAM',
    ramGiB: 32,
    freeRamGiB: 26,
    ramBandwidthGBs: 60,
    gpu: { model: 'GeForce RTX 4090', vramGiB: 24, bandwidthGBs: 1008, tflops: 82.6 },
  }),
  gpu24ram64: machine({
    label: 'RTX 4090 24 GB, 64 GB RAM',
    ramGiB: 64,
    freeRamGiB: 56,
    ramBandwidthGBs: 70,
    gpu: { model: 'GeForce RTX 4090', vramGiB: 24, bandwidthGBs: 1008, tflops: 82.6 },
  }),
  mac16: machine({
    label: 'MacBook Air M3, 16 GB',
    ramGiB: 16,
    freeRamGiB: 11,
    ramBandwidthGBs: 100,
    apple: true,
    gpu: { model: 'Apple M3', vramGiB: 16, bandwidthGBs: 100, tflops: 3.6, vendor: 'Apple' },
  }),
  mac36: machine({
    label: 'MacBook Pro M3 Pro, 36 GB',
    ramGiB: 36,
    freeRamGiB: 28,
    ramBandwidthGBs: 150,
    apple: true,
    gpu: { model: 'Apple M3 Pro', vramGiB: 36, bandwidthGBs: 150, tflops: 7.4, vendor: 'Apple' },
  }),
  mac64: machine({
    label: 'Mac Studio M2 Max, 64 GB',
    ramGiB: 64,
    freeRamGiB: 54,
    ramBandwidthGBs: 400,
    apple: true,
    gpu: { model: 'Apple M2 Max', vramGiB: 64, bandwidthGBs: 400, tflops: 13.6, vendor: 'Apple' },
  }),
};
