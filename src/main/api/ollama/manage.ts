import { readJson } from '../api-body';
import { ApiError, ClientGone, toApiError } from '../api-error';
import type { Exchange } from '../generation';
import { sendJson, StreamOut } from '../http-out';
import type { KeepAlive } from '../keep-alive';
import type { ModelCatalog } from '../model-catalog';
import type { ModelManage } from '../model-manager';
import { namedSchema } from './schemas';

export interface OllamaManageDeps {
  catalog: ModelCatalog;
  keepAlive: KeepAlive;
  manage: ModelManage;
  maxBodyBytes: number;
}

/** owner/repo[:quant], also as hf.co/owner/repo:quant (how Ollama itself pulls from Hugging Face). */
const hubName = /^(?:(?:hf\.co|huggingface\.co)\/)?([A-Za-z0-9][\w.-]*\/[\w.-]+)(?::([\w.-]+))?$/;

/** /api/pull: a Hugging Face GGUF through Hearth's downloads, with Ollama's progress lines. */
export async function ollamaPull(deps: OllamaManageDeps, ex: Exchange, headers: Record<string, string>) {
  const body = await readJson(ex.req, namedSchema, deps.maxBodyBytes);
  const name = body.model ?? body.name ?? '';
  const match = hubName.exec(name.trim());
  if (!match?.[1])
    throw new ApiError(
      400,
      `Hearth pulls GGUF models from Hugging Face: name one as owner/repo:QUANT (e.g. bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M), not "${name.slice(0, 100)}"`,
      'invalid_value',
      'model',
    );
  const quant = match[2] && match[2].toLowerCase() !== 'latest' ? match[2] : undefined;
  const stream = body.stream !== false;
  const out = new StreamOut(ex.res, 'ndjson');
  if (stream) out.start(headers);
  try {
    await deps.manage.pull(match[1], quant, (progress) => stream && out.send(progress), ex.signal);
    deps.catalog.invalidate();
    if (stream) out.send({ status: 'success' });
    else sendJson(ex.res, 200, { status: 'success' }, headers);
  } catch (error) {
    if (!stream || error instanceof ClientGone) throw error;
    out.send({ error: toApiError(error).message });
  } finally {
    if (stream) out.end();
  }
}

/** /api/delete: the library model (unloaded first); models other tools own are refused. */
export async function ollamaDelete(deps: OllamaManageDeps, ex: Exchange, headers: Record<string, string>) {
  const body = await readJson(ex.req, namedSchema, deps.maxBodyBytes);
  const found = await deps.catalog.resolve(body.model ?? body.name ?? '');
  await deps.keepAlive.unload(found.model.path);
  await deps.manage.delete(found.model.id);
  deps.catalog.invalidate();
  sendJson(ex.res, 200, {}, headers);
}
