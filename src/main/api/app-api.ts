import type { DownloadJob } from '../../shared/contract';
import type { EventBus } from '../events/event-bus';
import type { DownloadManager } from '../services/downloads/download-manager';
import type { EnginePool } from '../services/engine/engine-pool';
import type { EstimatorService } from '../services/estimator/estimator-service';
import type { LibraryService } from '../services/library/library-service';
import type { ModelLoader } from '../services/models/model-loader';
import type { ModelSettingsStore } from '../services/models/model-settings-store';
import { createApi, type HearthApi } from './api-server';
import { apiModelLoader } from './model-load';
import { modelManager } from './model-manager';

/** What the person running Hearth chooses for its API. */
export interface ApiSettings {
  /** Browser origins allowed to call it (Open WebUI in a browser, say); none by default. */
  allowedOrigins?: string[];
  /** The key with the admin scope: on the LAN, only it may pull or delete models. */
  adminKey?: string;
  /** Requests waiting for a slot before 503 + Retry-After (default 32). */
  maxQueued?: number;
  /** Parallel slots for every model the API loads (default: what memory allows, up to 4). */
  parallel?: number;
  /** Chat models answer embedding requests too, instead of a 400 (off by default). */
  embeddingsFromChatModels?: boolean;
}

export interface AppApiServices {
  version: string;
  library: LibraryService;
  engine: EnginePool;
  loader: ModelLoader;
  estimator: EstimatorService;
  modelSettings: ModelSettingsStore;
  downloads: DownloadManager;
  events: EventBus;
  /** The app's own idle-unload time, read on each use. */
  idleUnloadMs: () => number;
  /** GPU memory the engine holding a model uses, from the resource monitor. */
  gpuMemoryOf?: (modelPath: string) => Promise<number | null>;
}

/** The API wired to the app's services (the composition root calls this once). */
export function createAppApi(services: AppApiServices, settings: ApiSettings = {}): HearthApi {
  const { engine, library } = services;
  return createApi({
    ...settings,
    version: services.version,
    listModels: () => library.list(),
    engine: {
      chat: (request, onChunk, signal, modelPath) => engine.chat(request, onChunk, signal, modelPath),
      embed: (request, signal, modelPath) => engine.embed(request, signal, modelPath),
      countTokens: (request, modelPath) => engine.countTokens(request, modelPath),
      hosts: () => engine.hosts(),
      isLoaded: (path) => engine.status().loaded?.some((l) => l.modelPath === path) ?? false,
      parallelOf: (path) => engine.parallelOf(path),
    },
    loadModel: apiModelLoader({
      modelPath: async (id) => (await library.get(id)).path,
      fit: (modelPath) => services.estimator.fit({ modelPath }),
      rememberedParallel: (id) => services.modelSettings.get(id).parallel,
      load: (input) => services.loader.load(input),
      parallel: settings.parallel,
    }),
    manage: modelManager({
      enqueue: (input) => services.downloads.enqueue(input),
      get: (id) => services.downloads.get(id),
      cancel: (id) => services.downloads.cancel(id),
      subscribe: (listener) =>
        services.events.subscribe((name, payload) => {
          if (name === 'downloads.changed') listener(payload as DownloadJob);
        }),
      deleteModel: (id) => library.delete(id),
    }),
    idleUnloadMs: services.idleUnloadMs,
    gpuMemoryOf: services.gpuMemoryOf,
  });
}
