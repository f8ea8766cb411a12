import { useSyncExternalStore } from 'react';
import { monitorHistoryMs, type MonitorSample } from '../../../../shared/contract';

export interface MonitorState {
  latest: MonitorSample | undefined;
  /** Oldest first, the last 10 minutes (what monitor.history holds, then each live sample). */
  history: readonly MonitorSample[];
  panelOpen: boolean;
}

/**
 * The window's monitor readings, outside React's state: a sample a second re-renders only the
 * components that read them (the strip, and the full view when it is open), never the chat.
 */
class MonitorStore {
  private state: MonitorState = { latest: undefined, history: [], panelOpen: false };
  private samples: MonitorSample[] = [];
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly get = (): MonitorState => this.state;

  private set(patch: Partial<MonitorState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** Merges samples in (live ones, or the server's history on opening): sorted, unique, 10 minutes. */
  add(samples: readonly MonitorSample[]): void {
    if (samples.length === 0) return;
    const last = this.samples.at(-1);
    const inOrder = samples.length === 1 && (!last || samples[0]!.at > last.at);
    if (inOrder) this.samples.push(samples[0]!);
    else {
      const byTime = new Map(this.samples.map((s) => [s.at, s]));
      for (const s of samples) byTime.set(s.at, s);
      this.samples = [...byTime.values()].sort((a, b) => a.at - b.at);
    }
    const horizon = this.samples.at(-1)!.at - monitorHistoryMs;
    while (this.samples[0] && this.samples[0].at < horizon) this.samples.shift();
    this.set({ latest: this.samples.at(-1), history: [...this.samples] });
  }

  setPanelOpen(open: boolean): void {
    this.set({ panelOpen: open });
  }
}

export const monitorStore = new MonitorStore();

export function useMonitor<T>(select: (state: MonitorState) => T): T {
  return useSyncExternalStore(monitorStore.subscribe, () => select(monitorStore.get()));
}
