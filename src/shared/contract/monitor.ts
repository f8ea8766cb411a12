import { z } from 'zod';
import { route } from './route';

/** A reading the hardware or driver did not give: shown as unknown, never as 0. */
const reading = z.number().nullable();

export const monitorIntervalMs = { min: 500, max: 5000, default: 1000 } as const;
/** How far back monitor.history reaches. */
export const monitorHistoryMs = 10 * 60_000;

export const gpuSampleSchema = z.object({
  /** Stable across samples: the NVIDIA UUID, or vendor:card for the others. */
  id: z.string(),
  index: z.number().int(),
  vendor: z.string(),
  name: z.string(),
  /** asleep: a laptop GPU powered down, not woken to be read; gone: it stopped answering (driver reset). */
  state: z.enum(['active', 'asleep', 'gone']),
  utilizationPct: reading,
  memoryUtilizationPct: reading,
  memoryUsedBytes: reading,
  memoryTotalBytes: reading,
  temperatureC: reading,
  powerW: reading,
  powerLimitW: reading,
  fanPct: reading,
  smClockMHz: reading,
  /** NVIDIA performance state, P0 (full speed) to P12 (idle). */
  pstate: z.string().nullable(),
  /** Active clock-throttle reasons by name (thermal, power-brake, hw-slowdown, power-cap…); null when unknown. */
  throttle: z.array(z.string()).nullable(),
  /** A MIG-partitioned GPU reports no whole-card utilisation. */
  mig: z.boolean(),
});

export const hostSampleSchema = z.object({
  cpuPct: reading,
  perCorePct: z.array(z.number()),
  /** 1, 5 and 15 minute load averages; null on Windows. */
  load: z.tuple([z.number(), z.number(), z.number()]).nullable(),
  ramTotalBytes: z.number(),
  ramUsedBytes: reading,
  ramAvailableBytes: reading,
  swapTotalBytes: reading,
  swapUsedBytes: reading,
  /** Apple silicon: the GPU works from this same memory. */
  unifiedMemory: z.boolean(),
});

export const processSampleSchema = z.object({
  pid: z.number().int(),
  role: z.enum(['app', 'engine']),
  /** The engine's model file (null for the app itself, or an engine with nothing loaded). */
  modelPath: z.string().nullable(),
  /** % of one core (200 = two cores busy), as top shows it. */
  cpuPct: reading,
  rssBytes: reading,
  gpuMemoryBytes: reading,
  contextTokens: reading,
  contextSize: reading,
  /** Generation speed of the replies running now; 0 when idle. */
  tokensPerSecond: reading,
  generating: z.boolean(),
  /** Layers on the GPU and in the model; fewer on the GPU means the rest runs from system RAM. */
  gpuLayers: reading,
  totalLayers: reading,
});

export const monitorWarningSchema = z.object({
  kind: z.enum([
    'vram-high',
    'spilled-to-ram',
    'swap-during-generation',
    'gpu-hot',
    'gpu-throttled',
    'context-full',
    'gpu-gone',
  ]),
  /** What it is about: a GPU id, an engine pid, or "host". */
  subject: z.string(),
  severity: z.enum(['warning', 'critical']),
  /** What is happening, in a plain sentence. */
  message: z.string(),
  /** What to do about it. */
  action: z.string(),
});

export const monitorSampleSchema = z.object({
  at: z.number(),
  intervalMs: z.number(),
  host: hostSampleSchema,
  gpus: z.array(gpuSampleSchema),
  processes: z.array(processSampleSchema),
  /** Sum over the engines generating now. */
  tokensPerSecond: z.number(),
  warnings: z.array(monitorWarningSchema),
});

const watcherId = z.string().min(1).max(100);

export const monitorRoutes = {
  /**
   * Starts sampling for this watcher (a window, `hearth top`, a script) or renews its lease:
   * call again before leaseMs runs out. Sampling stops soon after the last watcher leaves.
   */
  'monitor.watch': route({
    input: z.object({ watcherId }).strict(),
    output: z.object({ leaseMs: z.number(), intervalMs: z.number() }),
  }),
  'monitor.unwatch': route({
    input: z.object({ watcherId }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  /** The ring buffer (up to 10 minutes), oldest first; `since` keeps only samples after it. */
  'monitor.history': route({
    input: z.object({ since: z.number().optional() }).strict().optional(),
    output: z.object({ intervalMs: z.number(), samples: z.array(monitorSampleSchema) }),
  }),
};

export const monitorEvents = {
  /** One sample per interval, only while someone watches. */
  'monitor.sample': monitorSampleSchema,
};

export type GpuSample = z.output<typeof gpuSampleSchema>;
export type HostSample = z.output<typeof hostSampleSchema>;
export type ProcessSample = z.output<typeof processSampleSchema>;
export type MonitorWarning = z.output<typeof monitorWarningSchema>;
export type MonitorSample = z.output<typeof monitorSampleSchema>;
