import { systemClock, type Clock } from '../monitor/heartbeat';
import type { EngineHost } from './engine-host';

type IdleHost = Pick<EngineHost, 'idleSince' | 'status' | 'unload' | 'stop'>;

export interface IdleUnloaderOptions {
  /** Each engine process (one per loaded model). */
  engines: () => IdleHost[];
  /** The user's setting, read at each check: 0 keeps the model loaded. */
  unloadAfterMs: () => number;
  clock?: Clock;
  checkEveryMs?: number;
  onUnload?: (modelPath: string) => void;
}

/**
 * Frees a model's memory (and its process) once nothing has used it for the configured time, as
 * Ollama's keep-alive does. The next message loads it again.
 */
export function startIdleUnloader(options: IdleUnloaderOptions): () => void {
  const clock = options.clock ?? systemClock;
  let busy = false;
  const check = async (): Promise<void> => {
    const after = options.unloadAfterMs();
    if (busy || after <= 0) return;
    busy = true;
    try {
      for (const engine of options.engines()) {
        const since = engine.idleSince();
        if (since === null || clock.now() - since < after) continue;
        const modelPath = engine.status().modelPath;
        await engine.unload();
        await engine.stop();
        if (modelPath) options.onUnload?.(modelPath);
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check().catch(() => {}), options.checkEveryMs ?? 30_000);
  timer.unref();
  return () => clearInterval(timer);
}
