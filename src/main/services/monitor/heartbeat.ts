import type { EventBus } from '../../events/event-bus';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Emits app.heartbeat on an interval; returns a stop function. */
export function startHeartbeat(
  bus: EventBus,
  options: { intervalMs: number; clock?: Clock; startedAt: number },
): () => void {
  const clock = options.clock ?? systemClock;
  const timer = setInterval(() => {
    const at = clock.now();
    bus.emit('app.heartbeat', { at, uptimeMs: at - options.startedAt });
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
