import type { EventName, EventPayload } from '../../shared/contract';

export type EventListener = (name: EventName, payload: unknown) => void;

/** Fan-out of contract events to every binding (IPC windows, WebSocket clients, CLI). */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch {
        // One broken subscriber must not starve the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
