import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { findGpuSpec } from '../../src/main/services/hardware/gpu-specs';
import type { SpeedBackend, SpeedDevice, SpeedWork } from '../../src/main/services/estimator/speed-model';

const modelSchema = z.object({
  key: z.string(),
  name: z.string(),
  quant: z.string(),
  fileBytes: z.number().positive(),
  parameters: z.number().positive(),
  activeParameters: z.number().positive(),
  layers: z.number().int().positive(),
  experts: z.object({ count: z.number(), used: z.number() }).nullable(),
  activeBytes: z.number().positive(),
});

const rowSchema = z.object({
  id: z.string().min(1),
  device: z.string().min(1),
  backend: z.enum(['cuda', 'rocm', 'vulkan', 'metal', 'cpu']),
  model: z.string(),
  pp: z.number().positive().nullable(),
  ppTokens: z.number().int().positive(),
  tg: z.number().positive().nullable(),
  tgTokens: z.number().int().positive(),
  flashAttention: z.boolean(),
  build: z.string().nullable(),
  source: z.string().url(),
  via: z.string().nullable(),
  note: z.string().nullable(),
});

export const publicBenchSchema = z.object({
  note: z.string(),
  models: z.array(modelSchema),
  rows: z.array(rowSchema),
});

export type BenchModel = z.infer<typeof modelSchema>;
export type BenchRow = z.infer<typeof rowSchema>;

/** A public result with what the speed model needs to predict it. */
export interface CalibrationRow {
  row: BenchRow;
  device: SpeedDevice;
  work: SpeedWork;
}

export const publicBenchPath = new URL('../data/llama-bench-public.json', import.meta.url);

/** Reads and checks the public results; every device must be in Hearth's GPU table. */
export function loadPublicRows(path: URL | string = publicBenchPath): CalibrationRow[] {
  const data = publicBenchSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const models = new Map(data.models.map((m) => [m.key, m]));
  return data.rows.map((row) => {
    const model = models.get(row.model);
    if (!model) throw new Error(`row ${row.id}: unknown model ${row.model}`);
    const spec = findGpuSpec(row.device);
    if (!spec) throw new Error(`row ${row.id}: ${row.device} is not in resources/gpu-specs.json`);
    const device: SpeedDevice = {
      backend: row.backend as SpeedBackend,
      family: spec.family,
      bandwidthGBs: spec.bandwidthGBs,
      fp16Tflops: spec.tflops,
      int8Tops: spec.int8Tops,
      ...(spec.boardPowerW !== undefined && { boardPowerW: spec.boardPowerW }),
    };
    const work: SpeedWork = {
      gpuBytes: model.activeBytes,
      cpuBytes: 0,
      activeParams: model.activeParameters,
      gpuShare: 1,
      layers: model.layers,
      moe: model.experts !== null,
      quantized: !/^(F16|BF16|F32)$/i.test(model.quant),
    };
    return { row, device, work };
  });
}

/**
 * Results from llama.cpp's current scoreboards (2025-2026 builds) rather than older write-ups:
 * its kernels changed enough (CUDA graphs, int8 tensor-core prompt kernels) that a family's
 * constants should come from its newest results where it has any.
 */
export function isCurrent(row: BenchRow): boolean {
  return /discussions\/(15013|15021|10879|15396)$|issues\/14863$/.test(row.source);
}

/** Which llama.cpp the row ran: today's scoreboards, or a 2024 or 2023 build. */
export type Era = 'current' | '2024' | '2023';

export function eraOf(row: BenchRow): Era {
  if (isCurrent(row)) return 'current';
  return /2024/.test(row.build ?? '') ? '2024' : '2023';
}

/** About 30 % of rows, chosen by a hash of their id: the same rows every run, on every machine. */
export function isHeldOut(id: string): boolean {
  const byte = createHash('sha256').update(id).digest()[0] ?? 0;
  return byte % 10 < 3;
}

export function splitRows<T extends { row: { id: string } }>(rows: T[]): { fitted: T[]; heldOut: T[] } {
  return {
    fitted: rows.filter((r) => !isHeldOut(r.row.id)),
    heldOut: rows.filter((r) => isHeldOut(r.row.id)),
  };
}
