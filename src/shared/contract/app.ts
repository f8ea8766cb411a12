import { z } from 'zod';
import { route } from './route';

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  dataDir: z.string(),
  /** 'desktop' inside Electron, 'server' under `hearth serve`. */
  runtime: z.enum(['desktop', 'server']),
  versions: z.object({
    node: z.string(),
    electron: z.string().nullable(),
    chrome: z.string().nullable(),
  }),
  startedAt: z.number(),
});

export const appRoutes = {
  'app.info': route({ input: z.object({}).strict().optional(), output: appInfoSchema }),
};

export const appEvents = {
  /** A tick from the backend, proving events flow main -> renderer. */
  'app.heartbeat': z.object({ at: z.number(), uptimeMs: z.number() }),
};
