import type { HearthApp } from '../app/hearth-app';
import { generateLanKey } from '../bindings/lan-key';
import { shareHosts } from '../bindings/share-hosts';
import { startWebBinding } from '../bindings/web';
import { prometheusText } from '../services/monitor/prometheus';
import { ServerControl } from './server-control';
import { serverPrefsStore } from './server-prefs-store';

/**
 * The desktop app's API: the same web binding `hearth serve` runs (renderer, contract and API),
 * started by the Server page's switches and, at launch, if the person left it on.
 */
export function desktopServer(
  hearth: Pick<HearthApp, 'router' | 'events' | 'api' | 'server' | 'db' | 'monitor' | 'lan'>,
  rendererDir: string,
  log: (message: string) => void = console.error,
): ServerControl {
  const control = new ServerControl({
    state: hearth.server,
    prefs: serverPrefsStore(hearth.db),
    start: (options) =>
      startWebBinding({
        router: hearth.router,
        events: hearth.events,
        rendererDir,
        api: hearth.api,
        // Another Hearth reads this one's monitor here (providers' side-by-side view), as under hearth serve.
        metrics: async () => prometheusText(await hearth.monitor.scrape()),
        ...options,
      }),
    generateKey: generateLanKey,
    setAllowedOrigins: (origins) => hearth.api.setAllowedOrigins(origins),
    lanUrls: (port) => shareHosts('0.0.0.0').map((host) => `http://${host}:${port}/v1`),
    // Announced on the LAN only while shared: no announcement for an API on loopback.
    announce: (listening) =>
      hearth.lan.announcer.set(
        listening?.lanSharing ? { port: listening.port, keyRequired: listening.keySet, api: true } : null,
      ),
  });
  hearth.server.attach(control);
  control.restore().catch((error: unknown) => log(`api: not started: ${String(error)}`));
  return control;
}
