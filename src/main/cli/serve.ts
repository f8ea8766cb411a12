import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createHearthApp } from '../app/hearth-app';
import { startWebBinding } from '../bindings/web';
import { isLoopback } from '../bindings/web-security';
import { forkLauncher } from '../services/engine/fork-launcher';
import { defaultDataDir } from '../services/paths/data-dir';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir?: string;
  lanKey?: string;
  version: string;
  outDir: string;
}

/** `hearth serve`: the services plus the renderer over HTTP + WebSocket, until SIGINT/SIGTERM. */
export async function serve(options: ServeOptions): Promise<void> {
  const app = createHearthApp({
    dataDir: options.dataDir ?? defaultDataDir(),
    runtime: { runtime: 'server', version: options.version, versions: { node: process.versions.node } },
    engineLauncher: forkLauncher({ entry: join(options.outDir, 'engine.js') }),
  });
  const lanKey = isLoopback(options.host)
    ? undefined
    : (options.lanKey ?? randomBytes(18).toString('base64url'));
  const web = await startWebBinding({
    router: app.router,
    events: app.events,
    rendererDir: join(options.outDir, '..', 'renderer'),
    host: options.host,
    port: options.port,
    lanKey,
  });
  console.log(`Hearth is running at ${web.url}${lanKey ? `#key=${lanKey}` : ''}`);
  if (lanKey) console.log('LAN mode: anyone on your network with this link (and its key) can use Hearth.');
  console.log(`Data: ${app.paths.dataDir}`);
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    void Promise.all([web.close(), app.close()]).finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
