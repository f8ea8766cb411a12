import { z } from 'zod';
import { route } from './route';

/** Where a model runs: this machine (the engine pool) or a server elsewhere, by the dialect it speaks. */
export const providerKindSchema = z.enum(['local', 'hearth', 'ollama', 'openai']);
/** The kinds a person can add (this machine is always there). */
export const remoteProviderKindSchema = z.enum(['hearth', 'ollama', 'openai']);

/** The id of "this machine": always present, always first. */
export const LOCAL_PROVIDER_ID = 'local';

export const providerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: providerKindSchema,
  /** The server's base URL (e.g. http://gpu-box.local:7860); null for this machine. */
  baseUrl: z.string().nullable(),
  /** Whether a key is stored for it; the key itself never crosses the boundary. */
  hasKey: z.boolean(),
  createdAt: z.number(),
});

export const providerHealthSchema = z.object({
  ok: z.boolean(),
  /** Round trip of the health request; null when it did not answer. */
  latencyMs: z.number().nullable(),
  /** What the server says it is (e.g. "hearth 0.3.0", "ollama 0.5.7"); null when unknown. */
  version: z.string().nullable(),
  error: z.string().nullable(),
  checkedAt: z.number(),
});

export const providerModelSchema = z.object({
  providerId: z.string(),
  /** The name the remote uses for it (sent back as `model`). */
  id: z.string(),
  name: z.string(),
  contextLength: z.number().int().nullable(),
  /** A short line: family, parameters, quantization, when the server tells. */
  details: z.string().nullable(),
});

const id = z.string().min(1).max(100);
const name = z.string().trim().min(1).max(100);
/** Checked again (http/https only, no credentials, no file:) by the service, with a clear message. */
const baseUrl = z.string().trim().min(1).max(2000);
const key = z.string().min(1).max(4096);

export const providerRoutes = {
  /** Every provider, this machine first (id 'local'). */
  'providers.list': route({ input: z.object({}).strict().optional(), output: z.array(providerSchema) }),
  /** Tests the connection first; a bad URL or an unreachable server is refused with the reason. */
  'providers.add': route({
    input: z
      .object({ name: name.optional(), kind: remoteProviderKindSchema, baseUrl, key: key.optional() })
      .strict(),
    output: providerSchema,
  }),
  /** Rename, or set the key (null removes it). */
  'providers.update': route({
    input: z.object({ id, name: name.optional(), key: key.nullable().optional() }).strict(),
    output: providerSchema,
  }),
  'providers.remove': route({
    input: z.object({ id }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  /** Reachable, latency, version. */
  'providers.test': route({ input: z.object({ id }).strict(), output: providerHealthSchema }),
  /** The models the provider offers, as it names them. */
  'providers.models': route({ input: z.object({ id }).strict(), output: z.array(providerModelSchema) }),
};

/**
 * Routes that make this Hearth connect to an address the caller names, or change which servers it
 * trusts: only a client on this computer may call them. Over the LAN, anyone holding the key could
 * otherwise point this machine at hosts on its own network and read back what they answer.
 */
export const thisMachineOnlyRoutes: ReadonlySet<string> = new Set([
  'providers.add',
  'providers.update',
  'providers.remove',
]);

export const providerEvents = {
  /** The provider list changed (added, renamed, removed, key set): the whole list. */
  'providers.changed': z.array(providerSchema),
};

export type ProviderKind = z.output<typeof providerKindSchema>;
export type RemoteProviderKind = z.output<typeof remoteProviderKindSchema>;
export type Provider = z.output<typeof providerSchema>;
export type ProviderHealth = z.output<typeof providerHealthSchema>;
export type ProviderModel = z.output<typeof providerModelSchema>;
