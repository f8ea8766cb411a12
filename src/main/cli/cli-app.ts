import { join } from 'node:path';
import { createHearthApp, type HearthApp } from '../app/hearth-app';
import { forkLauncher } from '../services/engine/fork-launcher';
import { defaultDataDir } from '../services/paths/data-dir';

export interface CliContext {
  version: string;
  /** Folder of the built main process (out/main): the engine entry sits there. */
  outDir: string;
}

/** The app's services for a CLI command: same data folder and database as the desktop app. */
export function openCliApp(context: CliContext, dataDir?: string): HearthApp {
  return createHearthApp({
    dataDir: dataDir ?? defaultDataDir(),
    runtime: { runtime: 'server', version: context.version, versions: { node: process.versions.node } },
    engineLauncher: forkLauncher({ entry: join(context.outDir, 'engine.js') }),
    heartbeatMs: 60_000,
    cli: true,
    log: () => {},
  });
}

/** Calls a contract route and returns its value, or throws its message. */
export async function call<T>(app: HearthApp, route: string, input?: unknown): Promise<T> {
  const result = await app.router.invoke(route, input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as T;
}
