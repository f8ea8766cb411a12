import { ApiError, ClientGone } from './api-error';

/** What the scheduler needs from the engine: which models are in memory, their slots, loading one. */
export interface SlotEngine {
  isLoaded(modelPath: string): boolean;
  /** Replies the loaded model generates at once (its context's sequences). */
  slots(modelPath: string): number;
  load(modelId: string): Promise<void>;
}

interface Waiting {
  modelId: string;
  modelPath: string;
  start: () => void;
  fail: (error: Error) => void;
}

export interface SchedulerOptions {
  /** Requests that may wait for a slot; one more is answered 503 with Retry-After. */
  maxQueued: number;
  now?: () => number;
}

/**
 * Admission for generations: each loaded model runs as many at once as it has sequences, the rest
 * wait in one bounded first-come queue. A model not in memory is loaded when nothing is running
 * (it may take the memory of the others), and nobody behind it skips ahead meanwhile. A request
 * whose client leaves while it waits is dropped and never starts.
 */
export class Scheduler {
  private readonly queue: Waiting[] = [];
  private readonly active = new Map<string, number>();
  private loading: string | undefined;
  /** Recent generation times, for a Retry-After worth following. */
  private recentMs: number[] = [];

  constructor(
    private readonly engine: SlotEngine,
    private readonly options: SchedulerOptions,
  ) {}

  /** Waits for a slot on the model (loading it first if needed); call the result when done. */
  async acquire(model: { id: string; path: string }, signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw new ClientGone();
    const now = this.options.now ?? Date.now;
    let started = 0;
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.queue.indexOf(entry);
        if (at >= 0) this.queue.splice(at, 1);
        reject(new ClientGone());
      };
      const entry: Waiting = {
        modelId: model.id,
        modelPath: model.path,
        start: () => {
          signal.removeEventListener('abort', onAbort);
          started = now();
          resolve();
        },
        fail: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(entry);
      this.pump();
      if (this.queue.length > this.options.maxQueued && this.queue.at(-1) === entry) {
        this.queue.pop();
        entry.fail(this.busy());
      }
    });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active.set(model.path, (this.active.get(model.path) ?? 1) - 1);
      this.recentMs = [...this.recentMs.slice(-19), now() - started];
      this.pump();
    };
  }

  /** Generations running and waiting, for the request log and /api/ps. */
  stats(): { active: number; queued: number; loading: string | null } {
    return { active: this.totalActive(), queued: this.queue.length, loading: this.loading ?? null };
  }

  activeFor(modelPath: string): number {
    return this.active.get(modelPath) ?? 0;
  }

  private totalActive(): number {
    let total = 0;
    for (const count of this.active.values()) total += count;
    return total;
  }

  private busy(): ApiError {
    const average = this.recentMs.length
      ? this.recentMs.reduce((sum, ms) => sum + ms, 0) / this.recentMs.length
      : 1000;
    const retryAfterS = Math.min(60, Math.max(1, Math.ceil(average / 1000)));
    return new ApiError(
      503,
      `Hearth is busy: ${this.totalActive()} replies are running and ${this.options.maxQueued} waiting; try again in ${retryAfterS} s`,
      'engine_overloaded',
      null,
      retryAfterS,
    );
  }

  private pump(): void {
    if (this.loading) return;
    for (let i = 0; i < this.queue.length; i++) {
      const entry = this.queue[i]!;
      if (this.engine.isLoaded(entry.modelPath)) {
        const running = this.active.get(entry.modelPath) ?? 0;
        if (running >= this.engine.slots(entry.modelPath)) continue;
        this.queue.splice(i--, 1);
        this.active.set(entry.modelPath, running + 1);
        entry.start();
        continue;
      }
      if (this.totalActive() === 0) this.load(entry.modelId, entry.modelPath);
      return;
    }
  }

  private load(modelId: string, modelPath: string): void {
    this.loading = modelPath;
    const failAll = (error: unknown): void => {
      // Everyone waiting for this model gets the loader's reason (it does not fit, say).
      for (const entry of this.queue.filter((e) => e.modelPath === modelPath)) {
        this.queue.splice(this.queue.indexOf(entry), 1);
        entry.fail(error instanceof Error ? error : new Error(String(error)));
      }
    };
    this.engine.load(modelId).then(
      () => {
        this.loading = undefined;
        // Never load in a loop: a load that left no model is a failure for those waiting.
        if (!this.engine.isLoaded(modelPath)) failAll(new Error('The model did not stay loaded'));
        this.pump();
      },
      (error: unknown) => {
        this.loading = undefined;
        failAll(error);
        this.pump();
      },
    );
  }
}
