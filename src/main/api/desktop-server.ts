import type { HearthApp } from '../app/hearth-app';
import { generateLanKey } from '../bindings/lan-key';
import { shareHosts } from '../bindings/share-hosts';
import { startWebBinding } from '../bindings/web';
import { ServerControl } from './server-control';
import { serverPrefsStore } from './server-prefs-store';

/**
 * The desktop app's API: the same web binding `hearth serve` runs (renderer, contract and API),
 * started by the Server page's switches and, at launch, if the person left it on.
 */
export function desktopServer(
  hearth: Pick<HearthApp, 'router' | 'events' | 'api' | 'server' | 'db'>,
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
        ...options,
      }),
    generateKey: generateLanKey,
    setAllowedOrigins: (origins) => hearth.api.setAllowedOrigins(origins),
    lanUrls: (port) => shareHosts('0.0.0.0').map((host) => `http://${host}:${port}/v1`),
  });
  hearth.server.attach(control);
  control.restore().catch((error: unknown) => log(`api: not started: ${String(error)}`));
  return control;
}
