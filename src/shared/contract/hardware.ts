import { z } from 'zod';
import { route } from './route';

export const backendSchema = z.enum(['cuda', 'vulkan', 'metal', 'cpu']);

export const gpuSchema = z.object({
  vendor: z.string(),
  model: z.string(),
  vramTotalBytes: z.number().nonnegative(),
  /** null where the driver does not say (then the whole total is assumed free, minus headroom). */
  vramUsedBytes: z.number().nonnegative().nullable(),
  vramFreeBytes: z.number().nonnegative().nullable(),
  driver: z.string().nullable(),
  bus: z.string().nullable(),
  /** From our GPU table when the model is known. */
  bandwidthGBs: z.number().positive().nullable(),
  tflops: z.number().positive().nullable(),
});

export const hardwareProfileSchema = z.object({
  /** detected: read from this machine; named/custom: what the user asked about. */
  source: z.enum(['detected', 'named', 'custom']),
  label: z.string(),
  cpu: z.object({
    brand: z.string(),
    physicalCores: z.number().int().positive(),
    logicalCores: z.number().int().positive(),
    speedGHz: z.number().nonnegative(),
    flags: z.object({
      avx: z.boolean(),
      avx2: z.boolean(),
      avx512: z.boolean(),
      f16c: z.boolean(),
      fma: z.boolean(),
      neon: z.boolean(),
    }),
  }),
  ram: z.object({
    totalBytes: z.number().nonnegative(),
    availableBytes: z.number().nonnegative(),
    speedMts: z.number().nonnegative().nullable(),
    /** Measured on this machine when possible, else estimated from the memory type. */
    bandwidthGBs: z.number().positive(),
    bandwidthSource: z.enum(['measured', 'estimated']),
  }),
  gpus: z.array(gpuSchema),
  /** Apple silicon: the GPU uses system RAM. */
  unifiedMemory: z.boolean(),
  backends: z.array(backendSchema),
  disk: z
    .object({
      path: z.string(),
      freeBytes: z.number().nonnegative(),
      totalBytes: z.number().nonnegative(),
      type: z.string().nullable(),
    })
    .nullable(),
  os: z.object({ platform: z.string(), distro: z.string(), release: z.string(), arch: z.string() }),
  readAt: z.number(),
  readMs: z.number(),
});

export const hardwareRoutes = {
  'hardware.get': route({
    input: z
      .object({ refresh: z.boolean().default(false) })
      .strict()
      .optional(),
    output: hardwareProfileSchema,
  }),
};
