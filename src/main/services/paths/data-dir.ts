import { homedir } from 'node:os';
import { join } from 'node:path';

export const appName = 'Hearth';

export interface DataDirInput {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

/**
 * The folder Electron's app.getPath('userData') gives for "Hearth", computed without Electron,
 * so the desktop app and `hearth serve` share one data folder. HEARTH_DATA_DIR overrides it.
 */
export function defaultDataDir(
  input: DataDirInput = { platform: process.platform, env: process.env, home: homedir() },
): string {
  const { platform, env, home } = input;
  if (env.HEARTH_DATA_DIR) return env.HEARTH_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), appName);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', appName);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), appName);
}

/** Every path a service may touch, derived from the data dir so tests can point it at a temp folder. */
export interface AppPaths {
  dataDir: string;
  database: string;
  modelsDir: string;
  logsDir: string;
}

export function appPaths(dataDir: string): AppPaths {
  return {
    dataDir,
    database: join(dataDir, 'hearth.db'),
    modelsDir: join(dataDir, 'models'),
    logsDir: join(dataDir, 'logs'),
  };
}
