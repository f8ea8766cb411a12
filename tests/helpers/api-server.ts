import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiSettings } from '../../src/main/api/app-api';
import { createHearthApp, type HearthApp, type HearthAppOptions } from '../../src/main/app/hearth-app';
import { startWebBinding, type WebBinding, type WebBindingOptions } from '../../src/main/bindings/web';
import { sourceEngineLauncher } from './engine';

export interface ApiHarness {
  app: HearthApp;
  web: WebBinding;
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

/**
 * The app and its API the way `hearth serve` wires them, in this process, with the engine process
 * run from source: no build needed.
 */
export async function startApiHarness(options: {
  dir: string;
  api?: ApiSettings;
  web?: Partial<WebBindingOptions>;
  app?: Partial<HearthAppOptions>;
}): Promise<ApiHarness> {
  const rendererDir = join(options.dir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hearth</title>');
  const app = createHearthApp({
    dataDir: join(options.dir, 'data'),
    runtime: { runtime: 'server', version: '9.9.9', versions: { node: process.versions.node } },
    engineLauncher: sourceEngineLauncher(),
    engineThreads: 1,
    heartbeatMs: 60_000,
    externalRoots: null,
    log: () => {},
    api: options.api,
    ...options.app,
  });
  const web = await startWebBinding({
    router: app.router,
    events: app.events,
    rendererDir,
    port: 0,
    api: app.api,
    ...options.web,
  });
  return {
    app,
    web,
    origin: `http://127.0.0.1:${web.port}`,
    close: async () => {
      await web.close();
      await app.close();
    },
  };
}

export { rawRequest, type RawResponse } from './raw-http';
