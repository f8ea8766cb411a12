import { z } from 'zod';
import { route } from './route';

/** One API generation as the Server page's log shows it: never the key, never the prompt. */
export const apiRequestSchema = z.object({
  /** When the request arrived (ms since the epoch). */
  at: z.number(),
  client: z.string(),
  endpoint: z.string(),
  model: z.string(),
  status: z.union([z.number().int(), z.literal('cancelled')]),
  promptTokens: z.number(),
  completionTokens: z.number(),
  tokensPerSecond: z.number(),
  durationMs: z.number(),
});

export const serverStatusSchema = z.object({
  /** Whether the OpenAI/Ollama API answers now. */
  running: z.boolean(),
  /** Who decides on/off and sharing: `hearth serve`'s command line, or the desktop app's settings. */
  controlledBy: z.enum(['command-line', 'app']),
  /** The address it listens on (0.0.0.0 when shared on every interface); null while off. */
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  /** The API's base URL on this machine, e.g. http://127.0.0.1:8080/v1; null while off. */
  baseUrl: z.string().nullable(),
  /** Where other machines reach it (empty unless shared on the LAN). */
  lanUrls: z.array(z.string()),
  lanSharing: z.boolean(),
  allowedOrigins: z.array(z.string()),
  /** Whether clients must send a key; the key itself never crosses this boundary. */
  keySet: z.boolean(),
  adminKeySet: z.boolean(),
});

const serverReadRoutes = {
  'server.status': route({ input: z.object({}).strict().optional(), output: serverStatusSchema }),
  /** The recent API requests (up to a few hundred), oldest first. */
  'server.requests': route({
    input: z.object({}).strict().optional(),
    output: z.array(apiRequestSchema),
  }),
};

/** A key is in the answer only when it was just made: the one time the person sees it. */
const withKey = z.object({ status: serverStatusSchema, key: z.string().nullable() });

const serverControlRoutes = {
  /** Desktop only (under `hearth serve` its command line decides): turn the API and LAN sharing on or off. */
  'server.configure': route({
    input: z
      .object({
        enabled: z.boolean().optional(),
        lanSharing: z.boolean().optional(),
        /** Ports below 1024 need privileges; 0 is not offered (the address must stay stable for tools). */
        port: z.number().int().min(1024).max(65535).optional(),
        /** Browser origins (http(s)://host[:port]) allowed to call the API; never "*". */
        allowedOrigins: z.array(z.string().min(1).max(200)).max(32).optional(),
      })
      .strict(),
    output: withKey,
  }),
  /** A new LAN key; the old one is refused from now on. */
  'server.revokeKey': route({ input: z.object({}).strict().optional(), output: withKey }),
};

export const serverRoutes = { ...serverReadRoutes, ...serverControlRoutes };

/**
 * Routes only the desktop window may call: over HTTP anyone holding the LAN key could otherwise turn
 * sharing off or revoke the key and lock everyone else out.
 */
export const desktopOnlyRoutes: ReadonlySet<string> = new Set(Object.keys(serverControlRoutes));

export const serverEvents = {
  /** One finished (or cancelled) API request. */
  'server.request': apiRequestSchema,
};

export type ServerStatus = z.output<typeof serverStatusSchema>;
export type ApiRequestEntry = z.output<typeof apiRequestSchema>;
