/** An engine process, as keep-alive sees it. */
interface ModelHost {
  status(): { modelPath: string | null };
  /** Nothing loading or generating since (ms), or null while busy. */
  idleSince(): number | null;
  unload(): Promise<void>;
  stop(): Promise<void>;
}

export interface KeepAliveEngine {
  hosts(): ModelHost[];
}

/** How often an expired model that is still busy is looked at again. */
const busyRecheckMs = 1000;

/**
 * Ollama's keep_alive: after a request, its model stays loaded for that long (0: unloaded at once;
 * negative: until told otherwise, past the app's own idle setting). A request without it leaves the
 * model to the app's idle setting again.
 */
export class KeepAlive {
  private readonly expiries = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly engine: KeepAliveEngine,
    private readonly busy: { activeFor(modelPath: string): number },
    private readonly now: () => number = Date.now,
  ) {}

  /** After a request on the model: its keep_alive in ms, or undefined for the app's default. */
  set(modelPath: string, ms: number | undefined): void {
    clearTimeout(this.timers.get(modelPath));
    this.timers.delete(modelPath);
    if (ms === undefined) {
      this.expiries.delete(modelPath);
      return;
    }
    if (ms < 0) {
      this.expiries.set(modelPath, Infinity);
      return;
    }
    this.expiries.set(modelPath, this.now() + ms);
    this.arm(modelPath, ms);
  }

  /** When the model will be unloaded by keep_alive (Infinity: never), or undefined when it did not say. */
  expiresAt(modelPath: string): number | undefined {
    return this.expiries.get(modelPath);
  }

  /** Kept loaded by keep_alive: the app's idle unloader leaves it alone. */
  pinned(modelPath: string | null): boolean {
    return modelPath !== null && this.expiries.has(modelPath);
  }

  /** Frees the model's memory and its process now. */
  async unload(modelPath: string): Promise<boolean> {
    this.set(modelPath, undefined);
    const host = this.engine.hosts().find((h) => h.status().modelPath === modelPath);
    if (!host) return false;
    await host.unload();
    await host.stop();
    return true;
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(modelPath: string, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(modelPath);
      if (this.busy.activeFor(modelPath) > 0) return this.arm(modelPath, busyRecheckMs);
      void this.unload(modelPath).catch(() => {});
    }, ms);
    timer.unref();
    this.timers.set(modelPath, timer);
  }
}
