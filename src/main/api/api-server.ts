import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LibraryModel } from '../../shared/contract';
import { anthropicRoutes, isAnthropicPath } from './anthropic/routes';
import { writeAnthropicError } from './anthropic/errors';
import { ApiError, ClientGone, toApiError } from './api-error';
import { guardRequest, normalizeOrigin, preflight, type ApiMountContext } from './api-guard';
import { openExchange, type ChatEngine, type Exchange } from './generation';
import { KeepAlive, type KeepAliveEngine } from './keep-alive';
import { ModelCatalog } from './model-catalog';
import type { ModelManage } from './model-manager';
import { ollamaRoutes, writeOllamaError } from './ollama/routes';
import { chatCompletions, completions, listModels, writeOpenAiError, type OpenAiDeps } from './openai/routes';
import { responses } from './openai/responses';
import { openAiEmbeddings } from './openai/embeddings';
import { RequestLog } from './request-log';
import { Scheduler } from './scheduler';
import { AppError } from '../../shared/contract';

export type { ApiMountContext } from './api-guard';

export interface ApiOptions {
  version: string;
  /** The library's models (the API lists the usable ones). */
  listModels: () => Promise<LibraryModel[]>;
  engine: ChatEngine &
    KeepAliveEngine & {
      isLoaded(modelPath: string): boolean;
      parallelOf(modelPath: string): number;
    };
  /** Loads a library model with the estimator's settings and the API's parallel slots. */
  loadModel: (modelId: string) => Promise<void>;
  manage: ModelManage;
  /** Browser origins allowed to call the API; none by default. */
  allowedOrigins?: string[];
  /** The key with the admin scope (pull, delete) on the LAN. */
  adminKey?: string;
  /** Requests waiting for a slot before 503s start (default 32). */
  maxQueued?: number;
  maxBodyBytes?: number;
  /** How long the app keeps an idle model (its own setting), for /api/ps. */
  idleUnloadMs?: () => number;
  /** GPU memory the engine holding a model uses, as the driver reports it (null: not known). */
  gpuMemoryOf?: (modelPath: string) => Promise<number | null>;
  /** Let chat models make vectors too (last-token or mean pooling, as llama.cpp gives them). */
  embeddingsFromChatModels?: boolean;
}

type Handler = (ex: Exchange, headers: Record<string, string>) => Promise<void>;

export interface ApiRoute {
  method: string;
  /** Changes the disk: on the LAN only the admin key may call it. */
  admin?: boolean;
  handler: Handler;
}

/** The API mounted on the web binding's server: it owns /v1/* and Ollama's /api/* paths. */
export interface HearthApi {
  owns(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, ctx: ApiMountContext): Promise<void>;
  log: RequestLog;
  scheduler: Scheduler;
  keepAlive: KeepAlive;
  /** The browser origins allowed now (normalized). */
  allowedOrigins(): string[];
  /** Replaces them (the desktop Server page); a value that is not an http(s) origin is refused. */
  setAllowedOrigins(origins: readonly string[]): void;
  close(): void;
}

/**
 * OpenAI- and Ollama-compatible endpoints over the app's services: each dialect translates its wire
 * format to the engine's one chat request and stream; the security check is the web binding's.
 */
export function createApi(options: ApiOptions): HearthApi {
  let origins: ReadonlySet<string> = new Set((options.allowedOrigins ?? []).map(normalizeOrigin));
  const log = new RequestLog();
  const catalog = new ModelCatalog({ list: options.listModels });
  const scheduler = new Scheduler(
    {
      isLoaded: (path) => options.engine.isLoaded(path),
      slots: (path) => Math.max(1, options.engine.parallelOf(path)),
      load: options.loadModel,
    },
    { maxQueued: options.maxQueued ?? 32 },
  );
  const keepAlive = new KeepAlive(options.engine, scheduler);
  const maxBodyBytes = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const openai: OpenAiDeps = {
    scheduler,
    engine: options.engine,
    log,
    catalog,
    maxBodyBytes,
    fingerprint: `hearth-${options.version}`,
  };
  const embedding = { ...openai, embeddingsFromChatModels: options.embeddingsFromChatModels === true };
  const routes = new Map<string, ApiRoute>([
    ['/v1/models', { method: 'GET', handler: (ex, h) => listModels(openai, ex, h) }],
    ['/v1/chat/completions', { method: 'POST', handler: (ex, h) => chatCompletions(openai, ex, h) }],
    ['/v1/completions', { method: 'POST', handler: (ex, h) => completions(openai, ex, h) }],
    ['/v1/responses', { method: 'POST', handler: (ex, h) => responses(openai, ex, h) }],
    ['/v1/embeddings', { method: 'POST', handler: (ex, h) => openAiEmbeddings(embedding, ex, h) }],
    ...anthropicRoutes(openai),
    ...ollamaRoutes({
      ...embedding,
      version: options.version,
      keepAlive,
      manage: options.manage,
      isLoaded: (path) => options.engine.isLoaded(path),
      gpuMemoryOf: async (path) => (await options.gpuMemoryOf?.(path)) ?? null,
      idleExpiry: (path) => {
        const after = options.idleUnloadMs?.() ?? 0;
        if (after <= 0) return null;
        const host = options.engine.hosts().find((h) => h.status().modelPath === path);
        return (host?.idleSince() ?? Date.now()) + after;
      },
    }),
  ]);

  const writeError = (path: string, res: ServerResponse, error: ApiError, headers: Record<string, string>) =>
    isAnthropicPath(path)
      ? writeAnthropicError(res, error, headers)
      : path.startsWith('/v1/')
        ? writeOpenAiError(res, error, headers)
        : writeOllamaError(res, error, headers);

  return {
    owns: (path) => path.startsWith('/v1/') || routes.has(path),
    log,
    scheduler,
    keepAlive,
    allowedOrigins: () => [...origins],
    setAllowedOrigins(list) {
      const next: string[] = [];
      for (const origin of list) {
        try {
          next.push(normalizeOrigin(origin));
        } catch (error) {
          throw new AppError('BAD_INPUT', `allowedOrigins: ${(error as Error).message}`);
        }
      }
      origins = new Set(next);
    },
    close: () => keepAlive.close(),
    async handle(req, res, ctx) {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (req.method === 'OPTIONS') {
        const answer = preflight(req, ctx, { allowedOrigins: () => origins });
        res.writeHead(answer.status, { ...answer.headers, 'Content-Length': '0' }).end();
        return;
      }
      const route = routes.get(path);
      const guard = guardRequest(
        req,
        ctx,
        { allowedOrigins: () => origins, adminKey: options.adminKey },
        route?.admin === true,
      );
      if (!guard.ok) return writeError(path, res, guard.error, guard.headers);
      if (!route)
        return writeError(path, res, new ApiError(404, `No API at ${path}`, 'not_found'), guard.headers);
      if (req.method !== route.method && !(route.method === 'GET' && req.method === 'HEAD'))
        return writeError(
          path,
          res,
          new ApiError(405, `Use ${route.method} for ${path}`, 'method_not_allowed'),
          { ...guard.headers, Allow: route.method },
        );
      const exchange = openExchange(req, res, path);
      try {
        await route.handler(exchange, guard.headers);
      } catch (error) {
        if (error instanceof ClientGone || exchange.signal.aborted) return;
        writeError(path, res, toApiError(error), guard.headers);
      }
    },
  };
}
