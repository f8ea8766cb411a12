import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import WebSocket from 'ws';
import type { MonitorSample, Result } from '../../../shared/contract';
import { HardwareService } from '../../services/hardware/hardware-service';
import { createMonitor } from '../../services/monitor/create-monitor';

/** Samples for `hearth top`, from a running Hearth or from this machine alone. */
export interface SampleFeed {
  /** Shown in the header: where the numbers come from. */
  label: string;
  /** The newest sample at once where there is one, then each new one. */
  onSample(listener: (sample: MonitorSample) => void): void;
  close(): Promise<void>;
}

export class HearthUnreachable extends Error {}

/**
 * A running Hearth (`hearth serve`): it knows its engines. top watches it like a window does, by a
 * lease it renews, and gets the samples over the same WebSocket as the app.
 */
export async function remoteFeed(baseUrl: string, key: string | undefined): Promise<SampleFeed> {
  const headers: Record<string, string> = key ? { Authorization: `Bearer ${key}` } : {};
  const call = async <T>(route: string, input?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(new URL('/api/invoke', baseUrl), {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ route, input }),
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      throw new HearthUnreachable(`no Hearth at ${baseUrl} (${String(error)})`);
    }
    const result = (await response.json().catch(() => {
      throw new HearthUnreachable(`${baseUrl} does not answer as Hearth does`);
    })) as Result<T>;
    if (!result.ok) throw new Error(`${baseUrl}: ${result.error.message}`);
    return result.value;
  };
  const watcherId = `hearth-top-${randomUUID()}`;
  const { leaseMs } = await call<{ leaseMs: number }>('monitor.watch', { watcherId });
  const renew = setInterval(() => void call('monitor.watch', { watcherId }).catch(() => {}), leaseMs / 3);
  const listeners = new Set<(sample: MonitorSample) => void>();
  const url = new URL('/api/events', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url, { headers });
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { name: string; payload: MonitorSample };
    if (message.name === 'monitor.sample') for (const listener of listeners) listener(message.payload);
  });
  socket.on('error', () => {});
  const history = await call<{ samples: MonitorSample[] }>('monitor.history', {
    since: Date.now() - 5000,
  }).catch(() => ({ samples: [] }));
  return {
    label: baseUrl.replace(/\/$/, ''),
    onSample(listener) {
      listeners.add(listener);
      const latest = history.samples.at(-1);
      if (latest) listener(latest);
    },
    async close() {
      clearInterval(renew);
      socket.close();
      await call('monitor.unwatch', { watcherId }).catch(() => {});
    },
  };
}

/** This machine alone, when no Hearth serves here: host and GPUs, no engines. */
export function localFeed(intervalMs: number): SampleFeed {
  const listeners = new Set<(sample: MonitorSample) => void>();
  const hardware = new HardwareService({
    modelsDir: homedir,
    // Only the GPU list matters here: no bandwidth benchmark, no native engine code.
    ramBandwidthGBs: () => Number.NaN,
    gpuBackends: () => Promise.resolve([]),
  });
  const monitor = createMonitor({
    hardware,
    intervalMs: () => intervalMs,
    engines: () => [],
    emit: (sample) => {
      for (const listener of listeners) listener(sample);
    },
  });
  monitor.watch('hearth-top', Number.MAX_SAFE_INTEGER);
  return {
    label: 'this machine (no Hearth serving here: engines not shown)',
    onSample: (listener) => listeners.add(listener),
    close() {
      monitor.close();
      return Promise.resolve();
    },
  };
}
