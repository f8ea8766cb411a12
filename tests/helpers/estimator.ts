import { join } from 'node:path';
import type { HardwareProfile } from '../../src/shared/contract';
import { modelFacts, type ModelFacts } from '../../src/main/services/estimator/model-facts';
import { fileByteSource } from '../../src/main/services/gguf/byte-source';
import { readGgufHeader, type GgufHeader } from '../../src/main/services/gguf/gguf-reader';
import { namedProfile } from '../../src/main/services/hardware/named-profile';
import { realShapes, writeShapedModel, type QuantMix, type WrittenGguf } from '../fixtures/gguf';

const GiB = 1024 ** 3;

/** The models of the acceptance table, each at the quant people download most. */
export const modelTable: { id: keyof typeof realShapes; mix: QuantMix }[] = [
  { id: 'llama31_8b', mix: 'Q4_K_M' },
  { id: 'llama31_70b', mix: 'Q4_K_M' },
  { id: 'qwen25_7b', mix: 'Q5_K_M' },
  { id: 'mixtral_8x7b', mix: 'Q4_K_M' },
  { id: 'phi3_mini', mix: 'Q8_0' },
  { id: 'gpt_oss_20b', mix: 'MXFP4' },
];

/** The GPU profiles of the acceptance table. */
export const gpuTable = [
  { id: 'rtx3060', query: 'RTX 3060 12 GB', vramGiB: 12, count: 1 },
  { id: 'rtx4090', query: 'RTX 4090', vramGiB: 24, count: 1 },
  { id: '2xP40', query: '2x Tesla P40', vramGiB: 24, count: 2 },
  { id: 'h100', query: 'H100 80GB', vramGiB: 80, count: 1 },
] as const;

export interface ShapedModel {
  path: string;
  written: WrittenGguf;
  header: GgufHeader;
  facts: ModelFacts;
}

export async function writeShaped(
  dir: string,
  id: keyof typeof realShapes,
  mix: QuantMix,
): Promise<ShapedModel> {
  const path = join(dir, `${id}-${mix}.gguf`);
  const written = writeShapedModel(path, realShapes[id], mix);
  const source = await fileByteSource(path);
  try {
    const header = await readGgufHeader(source);
    return { path, written, header, facts: modelFacts(header) };
  } finally {
    await source.close();
  }
}

/** A desktop with no GPU: 8 cores with AVX2, 64 GB of RAM of which 48 are free, 50 GB/s. */
export const cpuOnlyProfile: HardwareProfile = {
  source: 'detected',
  label: 'Test desktop',
  cpu: {
    brand: 'Test CPU',
    physicalCores: 8,
    logicalCores: 16,
    speedGHz: 4,
    flags: { avx: true, avx2: true, avx512: false, f16c: true, fma: true, neon: false },
  },
  ram: {
    totalBytes: 64 * GiB,
    availableBytes: 48 * GiB,
    speedMts: 3200,
    bandwidthGBs: 50,
    bandwidthSource: 'estimated',
  },
  gpus: [],
  unifiedMemory: false,
  backends: ['cpu'],
  disk: null,
  os: { platform: 'linux', distro: 'Debian', release: '12', arch: 'x64' },
  readAt: 0,
  readMs: 0,
};

export const profileWith = (
  query?: string,
  vramBytes?: number,
  base: HardwareProfile = cpuOnlyProfile,
): HardwareProfile => namedProfile(base, query, vramBytes);
