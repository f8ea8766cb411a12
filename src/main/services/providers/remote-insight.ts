import { AppError } from '../../../shared/contract/errors';
import type {
  MachineHardware,
  MachineInsight,
  MachineModel,
  MachineSample,
} from '../../../shared/contract/provider-insight';
import type { ProviderKind } from '../../../shared/contract/providers';
import { describeRemoteFailure, invokeRemote, readRemoteMetrics, type HearthEndpoint } from './hearth-remote';
import {
  fitSummary,
  hardwareSummary,
  mapLimited,
  modelSummary,
  remoteFitSchema,
  remoteHardwareSchema,
  remoteLibrarySchema,
} from './machine-summary';

/** One machine's three views: what it has, which of its models fit it, and what is busy now. */
export interface MachineReader {
  hardware(): Promise<MachineHardware>;
  models(): Promise<MachineModel[]>;
  /** Null while its monitor has no reading yet. */
  sample(): Promise<MachineSample | null>;
}

/** Fit checks asked of one remote: enough for any real library, bounded for a hostile one. */
const MAX_FITS = 64;

/** Another Hearth, read through its own API with its key: its numbers, its estimator, its monitor. */
export class RemoteHearthReader implements MachineReader {
  constructor(
    private readonly endpoint: HearthEndpoint,
    private readonly now: () => number = Date.now,
  ) {}

  async hardware(): Promise<MachineHardware> {
    return hardwareSummary(await invokeRemote(this.endpoint, 'hardware.get', {}, remoteHardwareSchema));
  }

  async models(): Promise<MachineModel[]> {
    const library = await invokeRemote(this.endpoint, 'library.list', {}, remoteLibrarySchema);
    const usable = library.filter((m) => m.error === null).slice(0, MAX_FITS);
    const fits = await mapLimited(usable, 3, async (model) => {
      try {
        const fit = await invokeRemote(
          this.endpoint,
          'estimator.fit',
          { modelId: model.id },
          remoteFitSchema,
        );
        return { ok: true as const, value: fitSummary(fit) };
      } catch (error) {
        return { ok: false as const, error: describeRemoteFailure(error) };
      }
    });
    const byId = new Map(usable.map((m, i) => [m.id, fits[i] ?? null]));
    return library.map((m) => modelSummary(m, byId.get(m.id) ?? null));
  }

  sample(): Promise<MachineSample | null> {
    return readRemoteMetrics(this.endpoint, this.now);
  }
}

/** A provider as this service needs it, key included (it never leaves the main process). */
export interface InsightTarget {
  id: string;
  kind: ProviderKind;
  baseUrl: string | null;
  key: string | null;
}

export interface MachineInsightOptions {
  /** The provider by id (throws NOT_FOUND for an unknown one). */
  provider: (id: string) => InsightTarget | Promise<InsightTarget>;
  /** This machine ('local'). */
  local: MachineReader;
  /** How another Hearth is read (tests may count or slow the calls). */
  remote?: (endpoint: HearthEndpoint) => MachineReader;
  now?: () => number;
  /** How long hardware and fits answer for (they change rarely; the monitor sample is always fresh). */
  cacheMs?: number;
}

type Part<T> = { value: T; error: null } | { value: null; error: string };

async function part<T>(task: () => Promise<T>): Promise<Part<T>> {
  try {
    return { value: await task(), error: null };
  } catch (error) {
    return { value: null, error: describeRemoteFailure(error) };
  }
}

interface Cached {
  at: number;
  /** The provider's address and key when read: a change reads again. */
  target: string;
  hardware: Promise<MachineHardware>;
  models: Promise<MachineModel[]>;
}

/**
 * "Which box should run this model": this machine or a Hearth provider, each read from its own
 * side. A part that fails (a remote too old to know a route, a malformed answer) comes back as its
 * error while the others still show; only an unknown provider or a kind with no machine to read
 * (Ollama, OpenAI) is refused as a whole.
 */
export class MachineInsightService {
  private cache = new Map<string, Cached>();

  constructor(private readonly options: MachineInsightOptions) {}

  async machine(id: string, withSample = true): Promise<MachineInsight> {
    const { reader, cacheKey, target } = await this.reader(id);
    const cached = this.cached(cacheKey, target, reader);
    const [hardware, models, sample] = await Promise.all([
      part(() => cached.hardware),
      part(() => cached.models),
      withSample ? part(() => reader.sample()) : Promise.resolve({ value: null, error: null }),
    ]);
    // A failed read is not kept: the next ask tries again.
    if (hardware.error !== null || models.error !== null) this.cache.delete(cacheKey);
    return {
      providerId: id,
      hardware: hardware.value,
      hardwareError: hardware.error,
      models: models.value ?? [],
      modelsError: models.error,
      sample: sample.value,
      sampleError: sample.error,
      readAt: this.now(),
    };
  }

  async sample(id: string): Promise<{ sample: MachineSample | null; error: string | null }> {
    const { reader } = await this.reader(id);
    const result = await part(() => reader.sample());
    return { sample: result.value, error: result.error };
  }

  /** Forget what was read about a provider (its key or address changed, it was removed). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  private async reader(id: string): Promise<{ reader: MachineReader; cacheKey: string; target: string }> {
    if (id === 'local') return { reader: this.options.local, cacheKey: id, target: 'local' };
    const provider = await this.options.provider(id);
    if (provider.kind !== 'hearth' || !provider.baseUrl)
      throw new AppError(
        'BAD_INPUT',
        'Only another Hearth shows its hardware, fit and monitor: Ollama and OpenAI-compatible servers do not say',
      );
    const endpoint = { baseUrl: provider.baseUrl, key: provider.key };
    const remote =
      this.options.remote ?? ((e: HearthEndpoint) => new RemoteHearthReader(e, () => this.now()));
    return { reader: remote(endpoint), cacheKey: id, target: `${provider.baseUrl}\n${provider.key ?? ''}` };
  }

  private cached(key: string, target: string, reader: MachineReader): Cached {
    const hit = this.cache.get(key);
    if (hit && hit.target === target && this.now() - hit.at < (this.options.cacheMs ?? 30_000)) return hit;
    const fresh: Cached = { at: this.now(), target, hardware: reader.hardware(), models: reader.models() };
    // Read by part() later; a rejection here must not count as unhandled in between.
    fresh.hardware.catch(() => undefined);
    fresh.models.catch(() => undefined);
    this.cache.set(key, fresh);
    return fresh;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
