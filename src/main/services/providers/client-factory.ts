import type { RemoteProviderKind } from '../../../shared/contract';
import { HearthClient, versionSchema } from './hearth-client';
import { OllamaClient } from './ollama-client';
import { OpenAiClient } from './openai-client';
import { authHeaders, type ClientOptions, type ProviderClient } from './provider-types';
import { RemoteError } from './remote-error';
import { quickLimits, remoteRequest } from './remote-http';

/** The client that speaks `kind`'s dialect. */
export function clientFor(kind: RemoteProviderKind, options: ClientOptions): ProviderClient {
  if (kind === 'hearth') return new HearthClient(options);
  if (kind === 'ollama') return new OllamaClient(options);
  return new OpenAiClient(options);
}

/**
 * Which dialect a server speaks, asked once: a Hearth's /api/version names Hearth, Ollama's gives
 * only a version, and anything else (vLLM, llama-server, …) is taken as OpenAI-compatible.
 */
export async function detectKind(options: ClientOptions, signal?: AbortSignal): Promise<RemoteProviderKind> {
  try {
    const res = await remoteRequest({
      url: new URL(`${options.baseUrl}/api/version`),
      headers: authHeaders(options.key),
      signal,
      limits: { ...quickLimits, ...options.limits },
    });
    const parsed = versionSchema.safeParse(await res.json());
    if (parsed.success && parsed.data.hearth) return 'hearth';
    if (parsed.success && parsed.data.version) return 'ollama';
  } catch (error) {
    // A wrong key or a dead server is the answer; a 404 or a non-JSON page means another dialect.
    if (!(error instanceof RemoteError)) throw error;
    if (error.status === 401 || error.status === 403) throw error;
    if (error.kind === 'unreachable' || error.kind === 'timeout' || error.kind === 'aborted') throw error;
  }
  return 'openai';
}
