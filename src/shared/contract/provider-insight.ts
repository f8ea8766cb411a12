import { z } from 'zod';
import { fitVerdictSchema } from './estimator';
import { route } from './route';

/**
 * A Hearth another machine announces on the LAN (mDNS `_hearth._tcp`). Everything here came from the
 * network unasked: it is checked and trimmed, and adding it still needs the person's click, its key
 * and a connection test.
 */
export const discoveredHearthSchema = z.object({
  /** The machine's name as it announces it (cleaned of control characters, at most 63 characters). */
  name: z.string(),
  /** The address the announcement came from (an IP literal). */
  host: z.string(),
  port: z.number().int().min(1).max(65535),
  /** What to add: http://host:port (IPv6 in brackets). */
  baseUrl: z.string(),
  /** The Hearth version it announces, when it is a plain version string. */
  version: z.string().nullable(),
  /** Whether it asks for a key (a Hearth shared on the LAN always does). */
  keyRequired: z.boolean(),
});

/** What a machine has, in the few numbers that decide where a model runs. */
export const machineHardwareSchema = z.object({
  label: z.string(),
  cpu: z.object({ brand: z.string(), cores: z.number().int().nonnegative() }),
  ramTotalBytes: z.number().nonnegative(),
  ramAvailableBytes: z.number().nonnegative(),
  gpus: z.array(
    z.object({
      model: z.string(),
      vramTotalBytes: z.number().nonnegative(),
      vramFreeBytes: z.number().nonnegative().nullable(),
    }),
  ),
  unifiedMemory: z.boolean(),
  platform: z.string(),
  backends: z.array(z.string()),
});

/** Whether a model fits the machine it is installed on, as that machine's own estimator says. */
export const machineFitSchema = z.object({
  verdict: fitVerdictSchema,
  gpuLayers: z.number().int().nonnegative(),
  totalLayers: z.number().int().nonnegative(),
  contextSize: z.number().int().nonnegative(),
  /** Predicted generation speed on that machine (tokens/s); null when it cannot tell. */
  generationTps: z.number().nullable(),
});

export const machineModelSchema = z.object({
  /** The model's id on its machine (what its API and `providers.models` name it by). */
  id: z.string(),
  name: z.string(),
  quant: z.string().nullable(),
  sizeBytes: z.number().nonnegative(),
  fit: machineFitSchema.nullable(),
  /** Why there is no fit verdict (the file is unreadable, the estimator failed). */
  fitError: z.string().nullable(),
});

/** One monitor reading: what is busy on that machine now. */
export const machineSampleSchema = z.object({
  at: z.number(),
  /** 0-1 over all cores. */
  cpuRatio: z.number().nullable(),
  ramUsedBytes: z.number().nullable(),
  ramTotalBytes: z.number().nullable(),
  gpus: z.array(
    z.object({
      index: z.number().int().nonnegative(),
      name: z.string(),
      utilizationRatio: z.number().nullable(),
      memoryUsedBytes: z.number().nullable(),
      memoryTotalBytes: z.number().nullable(),
      temperatureC: z.number().nullable(),
    }),
  ),
  tokensPerSecond: z.number().nullable(),
});

/** A part that could not be read comes back as its error, so the other parts still show. */
export const machineInsightSchema = z.object({
  providerId: z.string(),
  hardware: machineHardwareSchema.nullable(),
  hardwareError: z.string().nullable(),
  models: z.array(machineModelSchema),
  modelsError: z.string().nullable(),
  sample: machineSampleSchema.nullable(),
  sampleError: z.string().nullable(),
  readAt: z.number(),
});

export const machineSampleResultSchema = z.object({
  sample: machineSampleSchema.nullable(),
  error: z.string().nullable(),
});

const providerId = z.object({ id: z.string().min(1).max(100) }).strict();

export const providerInsightRoutes = {
  /** Hearths other machines announce on the LAN now (this machine excluded); browsing runs while asked. */
  'providers.discovered': route({
    input: z.object({}).strict().optional(),
    output: z.array(discoveredHearthSchema),
  }),
  /**
   * A machine's hardware, its models with their fit on that machine, and its latest monitor reading:
   * this machine ('local') or a Hearth provider, read through its API with its key.
   */
  'providers.machine': route({
    input: z
      .object({
        id: z.string().min(1).max(100),
        /** false: leave the monitor reading out (the model picker wants only the fits). */
        withSample: z.boolean().default(true),
      })
      .strict(),
    output: machineInsightSchema,
  }),
  /** Only the latest monitor reading (cheap: for live numbers). */
  'providers.sample': route({ input: providerId, output: machineSampleResultSchema }),
};

export type DiscoveredHearth = z.output<typeof discoveredHearthSchema>;
export type MachineHardware = z.output<typeof machineHardwareSchema>;
export type MachineFit = z.output<typeof machineFitSchema>;
export type MachineModel = z.output<typeof machineModelSchema>;
export type MachineSample = z.output<typeof machineSampleSchema>;
export type MachineInsight = z.output<typeof machineInsightSchema>;
