import { createHash } from 'node:crypto';
import { readJson } from '../api-body';
import type { Exchange } from '../generation';
import { sendJson } from '../http-out';
import type { KeepAlive } from '../keep-alive';
import type { ModelCatalog } from '../model-catalog';
import type { ApiModel } from '../model-names';
import { namedSchema } from './schemas';
import { modelDetails } from './translate';

/**
 * The Ollama API version Hearth speaks. Clients check it before anything else (VS Code Copilot
 * wants a recent one); Hearth's own version goes beside it.
 */
export const ollamaApiVersion = '0.12.0';

/** Far in the future, as Ollama reports a model kept loaded for good. */
const forever = Date.UTC(2318, 0, 1);

export interface OllamaModelsDeps {
  catalog: ModelCatalog;
  keepAlive: KeepAlive;
  maxBodyBytes: number;
  version: string;
  isLoaded(modelPath: string): boolean;
  /** Measured GPU memory of the engine holding the model, or null (no GPU, or nothing measured). */
  gpuMemoryOf(modelPath: string): Promise<number | null>;
  /** When an idle model leaves memory by the app's setting, or null when it stays. */
  idleExpiry(modelPath: string): number | null;
}

/** A stable digest per model (Ollama's is its manifest's; ours names the library entry). */
const digestOf = (model: ApiModel): string => createHash('sha256').update(model.model.id).digest('hex');

const tagOf = (m: ApiModel) => ({
  name: m.alias,
  model: m.alias,
  modified_at: new Date(m.model.modifiedAt).toISOString(),
  size: m.model.sizeBytes,
  digest: digestOf(m),
  details: modelDetails(m.model),
});

export function ollamaVersion(deps: OllamaModelsDeps, ex: Exchange, headers: Record<string, string>): void {
  sendJson(ex.res, 200, { version: ollamaApiVersion, hearth: deps.version }, headers);
}

export async function ollamaTags(deps: OllamaModelsDeps, ex: Exchange, headers: Record<string, string>) {
  const models = await deps.catalog.all();
  sendJson(ex.res, 200, { models: models.map(tagOf) }, headers);
}

export async function ollamaShow(deps: OllamaModelsDeps, ex: Exchange, headers: Record<string, string>) {
  const body = await readJson(ex.req, namedSchema, deps.maxBodyBytes);
  const found = await deps.catalog.resolve(body.model ?? body.name ?? '');
  const model = found.model;
  const arch = model.architecture ?? 'unknown';
  sendJson(
    ex.res,
    200,
    {
      license: model.license ?? '',
      modelfile: `# Served by Hearth from ${model.id}\nFROM ${found.alias}\n`,
      parameters: '',
      template: '',
      details: modelDetails(model),
      // VS Code Copilot reads the context length here, under the architecture's name.
      model_info: {
        'general.architecture': arch,
        'general.basename': model.name,
        'general.parameter_count': model.parameters ?? 0,
        [`${arch}.context_length`]: model.contextLength ?? 0,
      },
      // Ollama lists an embedding model as "embedding" only (no completion).
      capabilities: model.embedding ? ['embedding'] : ['completion', ...(model.toolCalls ? ['tools'] : [])],
      modified_at: new Date(model.modifiedAt).toISOString(),
    },
    headers,
  );
}

export async function ollamaPs(deps: OllamaModelsDeps, ex: Exchange, headers: Record<string, string>) {
  const loaded = (await deps.catalog.all()).filter((m) => deps.isLoaded(m.model.path));
  sendJson(
    ex.res,
    200,
    {
      models: await Promise.all(
        loaded.map(async (m) => {
          const kept = deps.keepAlive.expiresAt(m.model.path);
          const expires = kept ?? deps.idleExpiry(m.model.path) ?? forever;
          return {
            ...tagOf(m),
            expires_at: new Date(Math.min(expires, forever)).toISOString(),
            // What the driver says the engine holds, not an estimate (Ollama's can be far off).
            size_vram: (await deps.gpuMemoryOf(m.model.path)) ?? 0,
            context_length: m.model.contextLength ?? 0,
          };
        }),
      ),
    },
    headers,
  );
}
