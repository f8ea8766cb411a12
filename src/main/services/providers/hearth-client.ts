import { z } from 'zod';
import { OpenAiClient } from './openai-client';
import { RemoteError } from './remote-error';
import { quickLimits, remoteRequest } from './remote-http';

/** What /api/version says: Ollama's dialect, plus `hearth` with Hearth's own version. */
export const versionSchema = z.object({
  version: z.string().max(100).optional().catch(undefined),
  hearth: z.string().max(100).optional().catch(undefined),
});

/** Another Hearth: its OpenAI-compatible API for models and chats, its /api/version for health. */
export class HearthClient extends OpenAiClient {
  override async version(signal?: AbortSignal): Promise<string | null> {
    const res = await remoteRequest({
      url: this.url('/api/version'),
      headers: this.headers(),
      signal,
      limits: { ...quickLimits, ...this.limits() },
    });
    const parsed = versionSchema.safeParse(await res.json());
    if (!parsed.success || !parsed.data.hearth)
      throw new RemoteError('protocol', 'it does not answer as a Hearth (no version in /api/version)');
    return `Hearth ${parsed.data.hearth}`;
  }
}
