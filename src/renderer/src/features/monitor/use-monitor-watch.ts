import { useEffect } from 'react';
import { useClient } from '../../lib/hooks';
import { monitorStore } from './monitor-store';

/** An id for this window (crypto.randomUUID is missing on plain-http LAN pages). */
/** Asked afresh each time: it changes while a renewal is awaited. */
const hidden = (): boolean => document.visibilityState === 'hidden';

const newWatcherId = (): string =>
  `window-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * Watches the monitor while this window is visible: a lease renewed before it runs out, given up
 * when the window is hidden or closed (or lapsing by itself if the window just disappears), so the
 * backend samples only while someone looks.
 */
export function useMonitorWatch(): void {
  const client = useClient();
  useEffect(() => {
    const watcherId = newWatcherId();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let active = true;
    const renew = async (): Promise<void> => {
      clearTimeout(timer);
      if (!active || hidden()) return;
      let next = 2000;
      try {
        next = (await client.invoke('monitor.watch', { watcherId })).leaseMs / 3;
      } catch {
        // Not reachable now (server restarting): try again soon.
      }
      if (active && !hidden()) timer = setTimeout(() => void renew(), next);
    };
    const leave = (): void => {
      clearTimeout(timer);
      void client.invoke('monitor.unwatch', { watcherId }).catch(() => {});
    };
    const onVisibility = (): void => {
      if (hidden()) leave();
      else void renew();
    };
    const off = client.on('monitor.sample', (sample) => monitorStore.add([sample]));
    document.addEventListener('visibilitychange', onVisibility);
    // Not in the way of the window's first paint and first keystroke: the monitor can wait a moment.
    const idle = window.requestIdleCallback?.(() => void renew(), { timeout: 1500 });
    if (idle === undefined) timer = setTimeout(() => void renew(), 500);
    return () => {
      if (idle !== undefined) window.cancelIdleCallback(idle);
      active = false;
      off();
      document.removeEventListener('visibilitychange', onVisibility);
      leave();
    };
  }, [client]);
}
