import { systemClock, type Clock } from '../monitor/heartbeat';
import type { EngineHost } from './engine-host';

export interface IdleUnloaderOptions {
  engine: EngineHost;
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
    const since = options.engine.idleSince();
    if (busy || after <= 0 || since === null || clock.now() - since < after) return;
    busy = true;
    const modelPath = options.engine.status().modelPath;
    try {
      await options.engine.unload();
      await options.engine.stop();
      if (modelPath) options.onUnload?.(modelPath);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void check().catch(() => {}), options.checkEveryMs ?? 30_000);
  timer.unref();
  return () => clearInterval(timer);
}
