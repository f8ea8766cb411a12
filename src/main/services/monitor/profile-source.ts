import type { GpuInfo, GpuSample } from '../../../shared/contract';
import { unknownGpu, type GpuSource } from './gpu-source';

/**
 * GPUs no vendor source reads (Intel, AMD on Windows and macOS…): what the hardware profile
 * (systeminformation) says of them, read once, with every live reading unknown.
 */
export class ProfileSource implements GpuSource {
  readonly vendor = 'other';

  constructor(private readonly gpus: readonly GpuInfo[]) {}

  start(): void {}

  stop(): void {}

  read(): Promise<GpuSample[]> {
    return Promise.resolve(
      this.gpus.map((gpu, index) => ({
        ...unknownGpu({
          id: `${gpu.vendor.toLowerCase()}:${gpu.bus ?? index}`,
          index,
          vendor: gpu.vendor,
          name: gpu.model,
          state: 'active',
        }),
        memoryTotalBytes: gpu.vramTotalBytes > 0 ? gpu.vramTotalBytes : null,
      })),
    );
  }
}
