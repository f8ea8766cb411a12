import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { HearthApp } from '../src/main/app/hearth-app';
import { startWebBinding } from '../src/main/bindings/web';
import { benchApp } from './common';

/** The whole app as `hearth serve` runs it (fresh data folder), with the official client on its API. */
export async function startApiApp(
  dataDir: string,
  parallel: number,
): Promise<{ app: HearthApp; client: OpenAI; close: () => Promise<void> }> {
  rmSync(dataDir, { recursive: true, force: true });
  const app = benchApp(dataDir, { api: { parallel } });
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  const web = await startWebBinding({ router: app.router, events: app.events, rendererDir, api: app.api });
  return {
    app,
    client: new OpenAI({ baseURL: `${web.url}v1`, apiKey: 'unused', maxRetries: 0 }),
    close: async () => {
      await web.close();
      await app.close();
    },
  };
}

/** A model file under the app's models folder, with the bench's threads and context remembered; its id. */
export async function placeModel(
  app: HearthApp,
  source: string,
  fileName: string,
  settings: { threads: number; contextSize: number },
): Promise<string> {
  const models = join(app.paths.dataDir, 'models');
  mkdirSync(models, { recursive: true });
  copyFileSync(source, join(models, fileName));
  const modelId = `hearth:${fileName}`;
  const set = await app.router.invoke('models.updateSettings', { modelId, settings });
  if (!set.ok) throw new Error(set.error.message);
  return modelId;
}
