import { z } from 'zod';
import { fitVerdictSchema } from '../../../shared/contract/estimator';
import type { MonitorSample } from '../../../shared/contract/monitor';
import type {
  MachineFit,
  MachineHardware,
  MachineModel,
  MachineSample,
} from '../../../shared/contract/provider-insight';

// What another Hearth answers is read through these narrow schemas, not the full contract ones: an
// older or newer Hearth with extra or missing fields we do not show still works, while a wrong type
// in a field we do show is a clear error. Text is cleaned and clipped; lists are capped.

// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const text = (max: number) => z.string().transform((s) => s.replace(unsafe, '').slice(0, max));
const size = z.number().nonnegative();
const count = z.number().int().nonnegative().max(1_000_000);

export const remoteHardwareSchema = z.object({
  label: text(200),
  cpu: z.object({ brand: text(200), logicalCores: count }),
  ram: z.object({ totalBytes: size, availableBytes: size }),
  gpus: z
    .array(
      z.object({
        model: text(200),
        vramTotalBytes: size,
        vramFreeBytes: size.nullable(),
      }),
    )
    .max(64),
  unifiedMemory: z.boolean(),
  backends: z.array(text(20)).max(16),
  os: z.object({ platform: text(40) }),
});

export const remoteLibrarySchema = z
  .array(
    z.object({
      id: text(1000),
      name: text(300),
      quant: text(40).nullable(),
      sizeBytes: size,
      error: text(500).nullable(),
    }),
  )
  .max(2000);

export const remoteFitSchema = z.object({
  verdict: fitVerdictSchema,
  gpuLayers: count,
  totalLayers: count,
  contextSize: count,
  speed: z.object({ generationTps: z.number().nonnegative().nullable() }),
});

export function hardwareSummary(profile: z.output<typeof remoteHardwareSchema>): MachineHardware {
  return {
    label: profile.label,
    cpu: { brand: profile.cpu.brand, cores: profile.cpu.logicalCores },
    ramTotalBytes: profile.ram.totalBytes,
    ramAvailableBytes: profile.ram.availableBytes,
    gpus: profile.gpus.map((g) => ({
      model: g.model,
      vramTotalBytes: g.vramTotalBytes,
      vramFreeBytes: g.vramFreeBytes,
    })),
    unifiedMemory: profile.unifiedMemory,
    platform: profile.os.platform,
    backends: profile.backends,
  };
}

export function fitSummary(fit: z.output<typeof remoteFitSchema>): MachineFit {
  return {
    verdict: fit.verdict,
    gpuLayers: fit.gpuLayers,
    totalLayers: fit.totalLayers,
    contextSize: fit.contextSize,
    generationTps: fit.speed.generationTps,
  };
}

type LibraryEntry = z.output<typeof remoteLibrarySchema>[number];

/** A model with its fit, or with why it has none. */
export function modelSummary(
  model: LibraryEntry,
  fit: { ok: true; value: MachineFit } | { ok: false; error: string } | null,
): MachineModel {
  return {
    id: model.id,
    name: model.name,
    quant: model.quant,
    sizeBytes: model.sizeBytes,
    fit: fit?.ok ? fit.value : null,
    fitError: model.error ?? (fit && !fit.ok ? fit.error : null),
  };
}

/** This machine's own monitor sample, in the same shape as one read from another Hearth's /metrics. */
export function sampleSummary(sample: MonitorSample): MachineSample {
  return {
    at: sample.at,
    cpuRatio: sample.host.cpuPct === null ? null : sample.host.cpuPct / 100,
    ramUsedBytes: sample.host.ramUsedBytes,
    ramTotalBytes: sample.host.ramTotalBytes,
    gpus: sample.gpus.map((g) => ({
      index: g.index,
      name: g.name,
      utilizationRatio: g.utilizationPct === null ? null : g.utilizationPct / 100,
      memoryUsedBytes: g.memoryUsedBytes,
      memoryTotalBytes: g.memoryTotalBytes,
      temperatureC: g.temperatureC,
    })),
    tokensPerSecond: sample.tokensPerSecond,
  };
}

/** Runs `task` over `items`, at most `limit` at a time, in order. */
export async function mapLimited<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
