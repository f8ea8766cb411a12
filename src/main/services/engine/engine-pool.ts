import { AppError, type EngineStatus } from '../../../shared/contract';
import type {
  ChatRequest,
  ChatResult,
  ChunkHandler,
  CountRequest,
  EmbedRequest,
  EmbedResult,
  LoadOptions,
  LoadRequest,
  LoadResult,
} from '../../engine-process/protocol';
import type { EngineHost } from './engine-host';

export type LoadInput = Omit<LoadRequest, 'threads'> & { threads?: number } & LoadOptions;

/** What a loaded model holds, as the estimator put it when it was loaded. */
export interface Footprint {
  ramBytes: number;
  vramBytes: number;
}

/** What one more model may use beside those already loaded. */
export interface Budget {
  ramBytes: number;
  vramBytes: number;
}

/** The surface the rest of the app uses, whether one engine process runs or several. */
export type Engine = Pick<
  EngineHost,
  'status' | 'cancelLoad' | 'unload' | 'stop' | 'idleSince' | 'pid' | 'restartCount'
> & {
  load(input: LoadInput, footprint?: Footprint, budget?: Budget): Promise<LoadResult>;
  chat(
    request: ChatRequest,
    onChunk?: ChunkHandler,
    signal?: AbortSignal,
    modelPath?: string,
  ): Promise<ChatResult>;
  embed(request: EmbedRequest, signal?: AbortSignal, modelPath?: string): Promise<EmbedResult>;
};

/** Told of every finished load and reply (the local measurements learn from them). */
export interface EngineObserver {
  loaded?(input: LoadInput, result: LoadResult): void;
  replied?(modelPath: string | null, result: ChatResult): void;
}

interface Slot {
  host: EngineHost;
  usedAt: number;
  footprint: Footprint;
}

/**
 * One engine process per loaded model, up to the user's limit (1 by default, as in LM Studio),
 * and only while memory allows: a model that would not fit beside the others makes the least
 * recently used idle one leave first. Each process crashes, restarts and unloads on its own.
 */
export class EnginePool implements Engine {
  private readonly slots: Slot[] = [];
  private lastUsed: Slot | undefined;
  private readonly observers = new Set<EngineObserver>();

  constructor(
    private readonly createHost: () => EngineHost,
    private readonly maxModels: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  private slotOf(modelPath: string | undefined): Slot | undefined {
    return modelPath ? this.slots.find((s) => s.host.status().modelPath === modelPath) : undefined;
  }

  private touch(slot: Slot): Slot {
    slot.usedAt = this.now();
    this.lastUsed = slot;
    return slot;
  }

  /** The process to talk to when a request names no model: the last one used. */
  private current(): Slot {
    if (this.lastUsed) return this.lastUsed;
    const slot = { host: this.createHost(), usedAt: this.now(), footprint: { ramBytes: 0, vramBytes: 0 } };
    this.slots.push(slot);
    return this.touch(slot);
  }

  /** Which process takes a new model, freeing others when the limit or the memory says so. */
  private async place(modelPath: string, footprint: Footprint, budget?: Budget): Promise<Slot> {
    const same = this.slotOf(modelPath);
    if (same) return same;
    const others = (): Slot[] => this.slots.filter((s) => s.host.status().modelPath !== null);
    const fits = (): boolean => {
      if (!budget) return true;
      const ram = others().reduce((sum, s) => sum + s.footprint.ramBytes, 0);
      const vram = others().reduce((sum, s) => sum + s.footprint.vramBytes, 0);
      return ram + footprint.ramBytes <= budget.ramBytes && vram + footprint.vramBytes <= budget.vramBytes;
    };
    const limit = Math.max(1, this.maxModels());
    // Oldest idle first; a model busy with a reply is never taken away.
    for (const victim of others().sort((a, b) => a.usedAt - b.usedAt)) {
      if (others().length < limit && fits()) break;
      if (victim.host.idleSince() === null) continue;
      await victim.host.unload();
    }
    const empty = this.slots.find((s) => s.host.status().modelPath === null && !s.host.status().loading);
    if (empty) return empty;
    // Every process holds a busy model: with a limit of one, the current process loads over it.
    if (this.slots.length >= limit) return this.current();
    const slot = { host: this.createHost(), usedAt: this.now(), footprint };
    this.slots.push(slot);
    return slot;
  }

  async load(input: LoadInput, footprint?: Footprint, budget?: Budget): Promise<LoadResult> {
    const need = footprint ?? { ramBytes: 0, vramBytes: 0 };
    const slot = this.touch(await this.place(input.modelPath, need, budget));
    slot.footprint = need;
    const result = await slot.host.load(input);
    this.notify((o) => o.loaded?.(input, result));
    return result;
  }

  chat(
    request: ChatRequest,
    onChunk?: ChunkHandler,
    signal?: AbortSignal,
    modelPath?: string,
  ): Promise<ChatResult> {
    const slot = this.touch(this.slotOf(modelPath) ?? this.current());
    const result = slot.host.chat(request, onChunk, signal);
    if (this.observers.size === 0) return result;
    return result.then((reply) => {
      this.notify((o) => o.replied?.(slot.host.status().modelPath, reply));
      return reply;
    });
  }

  embed(request: EmbedRequest, signal?: AbortSignal, modelPath?: string): Promise<EmbedResult> {
    const slot = this.touch(this.slotOf(modelPath) ?? this.current());
    return slot.host.embed(request, signal);
  }

  /**
   * The tokens a conversation takes with one loaded model (never another one: a count for the
   * wrong template would mislead the client sizing its context).
   */
  countTokens(request: CountRequest, modelPath: string): Promise<number> {
    const slot = this.slotOf(modelPath);
    if (!slot) return Promise.reject(new AppError('ENGINE_ERROR', 'The model is not loaded'));
    return this.touch(slot).host.countTokens(request);
  }

  /** An observer that throws never fails the load or reply it watched. */
  private notify(call: (observer: EngineObserver) => void): void {
    for (const observer of this.observers) {
      try {
        call(observer);
      } catch {
        // Observing is best effort: the user's load or reply matters more than its record.
      }
    }
  }

  /** Watches loads and replies; returns the way to stop. */
  observe(observer: EngineObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** The last used process's status, and every model loaded. */
  status(): EngineStatus {
    const loaded = this.slots.flatMap((s) => {
      const status = s.host.status();
      return status.modelPath ? [{ modelPath: status.modelPath, pid: status.pid }] : [];
    });
    const loading = this.slots.map((s) => s.host.status().loading).find((l) => l !== null) ?? null;
    return { ...this.current().host.status(), loading, loaded };
  }

  cancelLoad(): boolean {
    return this.slots.some((s) => s.host.cancelLoad());
  }

  /** Unloads every model (the "eject" button, and shutdown). */
  async unload(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.host.unload()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.host.stop()));
  }

  /** Replies a loaded model can generate at once; 0 when it is not loaded. */
  parallelOf(modelPath: string): number {
    return this.slotOf(modelPath)?.host.parallel ?? 0;
  }

  /** Each process, for the idle unloader. */
  hosts(): EngineHost[] {
    return this.slots.map((s) => s.host);
  }

  idleSince(): number | null {
    return this.current().host.idleSince();
  }

  get pid(): number | undefined {
    return this.current().host.pid;
  }

  get restartCount(): number {
    return this.slots.reduce((n, s) => n + s.host.restartCount, 0);
  }
}
