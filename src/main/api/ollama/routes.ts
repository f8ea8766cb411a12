import type { ServerResponse } from 'node:http';
import type { ApiError } from '../api-error';
import type { ApiRoute } from '../api-server';
import { sendError } from '../http-out';
import { ollamaEmbed, ollamaEmbeddings, type OllamaEmbedDeps } from './embed';
import { ollamaChat, ollamaGenerate, type OllamaGenerateDeps } from './generate';
import { ollamaDelete, ollamaPull, type OllamaManageDeps } from './manage';
import { ollamaPs, ollamaShow, ollamaTags, ollamaVersion, type OllamaModelsDeps } from './models';

export type OllamaDeps = OllamaGenerateDeps & OllamaModelsDeps & OllamaManageDeps & OllamaEmbedDeps;

/** Ollama's error shape: {"error": "message"}, with Retry-After when it applies. */
export function writeOllamaError(
  res: ServerResponse,
  error: ApiError,
  headers: Record<string, string>,
): void {
  sendError(res, error.status, { error: error.message }, error, headers);
}

/** The Ollama endpoints, by path. */
export function ollamaRoutes(deps: OllamaDeps): Array<[string, ApiRoute]> {
  return [
    ['/api/version', { method: 'GET', handler: async (ex, h) => ollamaVersion(deps, ex, h) }],
    ['/api/tags', { method: 'GET', handler: (ex, h) => ollamaTags(deps, ex, h) }],
    ['/api/show', { method: 'POST', handler: (ex, h) => ollamaShow(deps, ex, h) }],
    ['/api/ps', { method: 'GET', handler: (ex, h) => ollamaPs(deps, ex, h) }],
    ['/api/chat', { method: 'POST', handler: (ex, h) => ollamaChat(deps, ex, h) }],
    ['/api/generate', { method: 'POST', handler: (ex, h) => ollamaGenerate(deps, ex, h) }],
    ['/api/embed', { method: 'POST', handler: (ex, h) => ollamaEmbed(deps, ex, h) }],
    ['/api/embeddings', { method: 'POST', handler: (ex, h) => ollamaEmbeddings(deps, ex, h) }],
    ['/api/pull', { method: 'POST', admin: true, handler: (ex, h) => ollamaPull(deps, ex, h) }],
    ['/api/delete', { method: 'DELETE', admin: true, handler: (ex, h) => ollamaDelete(deps, ex, h) }],
  ];
}
