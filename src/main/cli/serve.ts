import { join } from 'node:path';
import { createHearthApp } from '../app/hearth-app';
import { generateLanKey, lanKeyProblem } from '../bindings/lan-key';
import { shareHosts } from '../bindings/share-hosts';
import { startWebBinding } from '../bindings/web';
import { isLoopback } from '../bindings/web-security';
import { forkLauncher } from '../services/engine/fork-launcher';
import { prometheusText } from '../services/monitor/prometheus';
import { defaultDataDir } from '../services/paths/data-dir';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir?: string;
  lanKey?: string;
  version: string;
  outDir: string;
  /** The OpenAI/Ollama API under /v1 and /api (on unless --no-api). */
  api?: boolean;
  allowOrigin?: string[];
  adminKey?: string;
  parallel?: number;
  /** Chat models answer embedding requests too (off: a 400 says to use an embedding model). */
  embeddingsFromChatModels?: boolean;
}

const wildcard = new Set(['0.0.0.0', '::', '[::]']);

/** `hearth serve`: the services plus the renderer over HTTP + WebSocket, until SIGINT/SIGTERM. */
export async function serve(options: ServeOptions): Promise<void> {
  const shared = !isLoopback(options.host);
  // A key given is always required (even on loopback: other users of this machine reach it too).
  const lanKey = options.lanKey ?? process.env.HEARTH_LAN_KEY ?? (shared ? generateLanKey() : undefined);
  const problem = lanKey === undefined ? undefined : lanKeyProblem(lanKey);
  if (problem) throw new Error(`refusing to start: ${problem}`);
  const adminKey = options.adminKey ?? process.env.HEARTH_ADMIN_KEY;
  const adminProblem = adminKey === undefined ? undefined : lanKeyProblem(adminKey);
  if (adminProblem) throw new Error(`refusing to start: the admin key is weak: ${adminProblem}`);
  const allowedOrigins =
    options.allowOrigin ?? process.env.HEARTH_ALLOWED_ORIGINS?.split(',').filter((o) => o.trim() !== '');
  const app = createHearthApp({
    dataDir: options.dataDir ?? defaultDataDir(),
    runtime: { runtime: 'server', version: options.version, versions: { node: process.versions.node } },
    engineLauncher: forkLauncher({ entry: join(options.outDir, 'engine.js') }),
    restrictModelPaths: shared,
    api: {
      allowedOrigins,
      adminKey,
      parallel: options.parallel,
      embeddingsFromChatModels: options.embeddingsFromChatModels === true,
    },
    serverControl: 'command-line',
  });
  const web = await startWebBinding({
    router: app.router,
    events: app.events,
    rendererDir: join(options.outDir, '..', 'renderer'),
    host: options.host,
    port: options.port,
    lanKey,
    api: options.api === false ? undefined : app.api,
    metrics: async () => prometheusText(await app.monitor.scrape()),
  });
  const link = (host: string): string => `http://${host}:${web.port}/${lanKey ? `?key=${lanKey}` : ''}`;
  if (options.api !== false)
    app.server.started({
      host: options.host,
      port: web.port,
      lanSharing: shared,
      lanUrls: shared ? shareHosts(options.host).map((host) => `http://${host}:${web.port}/v1`) : [],
      keySet: lanKey !== undefined,
    });
  // Announced on the LAN (mDNS `_hearth._tcp`) only when shared; the announcement carries no key.
  if (shared)
    await app.lan.announcer.set({
      port: web.port,
      keyRequired: lanKey !== undefined,
      api: options.api !== false,
    });
  const here = wildcard.has(options.host) ? '127.0.0.1' : (shareHosts(options.host)[0] ?? options.host);
  console.log(`Hearth is running at ${link(here)}`);
  if (shared) {
    console.log(
      'On your network, open one of these links (each carries the key, which the browser then keeps):',
    );
    for (const host of shareHosts(options.host)) console.log(`  ${link(host)}`);
    console.log(
      'Anyone with the link can use Hearth. Scripts send the key as "Authorization: Bearer <key>".',
    );
    console.log(
      'Over the network, Hearth opens model files only in its models folder and the folders it scans.',
    );
  }
  if (options.api !== false)
    console.log(
      `API: http://${here}:${web.port}/v1 (OpenAI) and http://${here}:${web.port}/api (Ollama)${lanKey ? ', with the key as "Authorization: Bearer <key>"' : ''}`,
    );
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
