import type { RouteOutput } from '../../shared/contract';
import type { Handlers } from '../router/router';
import type { AppInfoService } from '../services/app-info/app-info-service';
import type { Engine } from '../services/engine/engine-pool';
import type { EstimatorService } from '../services/estimator/estimator-service';
import type { CatalogService } from '../services/catalog/catalog-service';
import type { DownloadManager } from '../services/downloads/download-manager';
import type { HardwareService } from '../services/hardware/hardware-service';
import type { HubClient } from '../services/hub/hub-client';
import type { LibraryService } from '../services/library/library-service';
import { pickVariant, type ModelAdvisor } from '../services/models/model-advisor';
import type { ModelLoader } from '../services/models/model-loader';
import type { ModelPathGuard } from '../services/paths/model-path-guard';
import type { ChatService } from '../services/chats/chat-service';
import type { ChatStore } from '../services/chats/chat-store';
import { listBackups, restoreBackup } from '../services/chats/chat-backups';
import { exportConversation, importConversation } from '../services/chats/chat-transfer';
import type { Db } from '../services/db/open-database';
import type { PresetStore } from '../services/chats/preset-store';
import type { ChatRunner } from '../services/engine/chat-runner';
import type { ModelSettingsStore } from '../services/models/model-settings-store';
import type { MonitorService } from '../services/monitor/monitor-service';
import type { ProviderService } from '../services/providers/provider-service';
import type { LanDiscovery } from '../services/providers/discovery';
import type { MachineInsightService } from '../services/providers/remote-insight';
import type { ServerState } from '../api/server-state';
import { publicSettings, type SettingsService } from '../services/settings/settings-service';

export interface HandlerServices {
  appInfo: AppInfoService;
  settings: SettingsService;
  engine: Engine;
  hardware: HardwareService;
  estimator: EstimatorService;
  hub: HubClient;
  downloads: DownloadManager;
  library: LibraryService;
  /** Every route that takes a file path goes through it first. */
  modelPaths: ModelPathGuard;
  catalog: CatalogService;
  advisor: ModelAdvisor;
  loader: ModelLoader;
  chats: ChatRunner;
  chatStore: ChatStore;
  chatService: ChatService;
  presets: PresetStore;
  chatHealth: Omit<RouteOutput<'chats.health'>, 'backups'>;
  databasePath: string;
  db: Db;
  modelSettings: ModelSettingsStore;
  monitor: MonitorService;
  /** The API's address and request log, for the Server page. */
  server: ServerState;
  /** This machine and the remote servers chats can run on. */
  providers: ProviderService;
  /** A machine's hardware, fits and monitor: this one or another Hearth. */
  insight: MachineInsightService;
  /** Hearths announced on the LAN. */
  discovery: LanDiscovery;
}

/** Thin handlers: input is already validated; each calls one service. */
export function createHandlers(services: HandlerServices): Handlers {
  return {
    'app.info': () => services.appInfo.info(),
    'settings.get': () => publicSettings(services.settings.get()),
    'settings.update': (patch) => {
      services.modelPaths.checkModelsDirChange(services.settings.get().modelsDir, patch.modelsDir);
      return publicSettings(services.settings.update(patch));
    },
    'engine.status': () => services.engine.status(),
    'engine.load': (input) => services.loader.load(input),
    'engine.cancelLoad': () => ({ cancelled: services.engine.cancelLoad() }),
    'engine.unload': async () => {
      await services.engine.unload();
      return { ok: true as const };
    },
    'engine.chat': (input) => services.chats.chat(input),
    'engine.stop': ({ requestId }) => services.chats.stop(requestId),
    'chats.list': () => services.chatStore.listConversations(),
    'chats.create': (input) => services.chatService.newConversation(input),
    'chats.messages': ({ conversationId }) => services.chatStore.messages(conversationId),
    'chats.send': (input) => services.chatService.send(input),
    'chats.update': ({ conversationId, ...patch }) => services.chatService.update(conversationId, patch),
    'chats.export': ({ conversationId, format }) =>
      exportConversation(services.chatStore, conversationId, format),
    'chats.import': ({ content }) =>
      importConversation(services.chatStore, content, (id) =>
        services.providers.list().some((p) => p.id === id && p.kind !== 'local'),
      ),
    'chats.health': () => ({ ...services.chatHealth, backups: listBackups(services.databasePath) }),
    'chats.restoreBackup': ({ path }) => restoreBackup(services.db, services.databasePath, path),
    'presets.list': () => services.presets.list(),
    'presets.save': (input) => services.presets.save(input),
    'presets.delete': ({ id }) => {
      services.presets.delete(id);
      return { ok: true as const };
    },
    'chats.regenerate': ({ messageId }) => services.chatService.regenerate(messageId),
    'chats.stop': ({ messageId }) => services.chatService.stop(messageId),
    'chats.search': ({ query }) => services.chatStore.search(query),
    'chats.delete': ({ conversationId }) => {
      services.chatStore.deleteConversation(conversationId);
      return { ok: true as const };
    },
    'chats.restore': ({ conversationId }) => {
      services.chatStore.restoreConversation(conversationId);
      return { ok: true as const };
    },
    'models.settings': async ({ modelId }) => {
      await services.library.get(modelId);
      return services.modelSettings.get(modelId);
    },
    'models.updateSettings': async ({ modelId, settings }) => {
      await services.library.get(modelId);
      return services.modelSettings.set(modelId, settings);
    },
    'hardware.get': (input) => services.hardware.get(input?.refresh ?? false),
    'monitor.watch': ({ watcherId }) => services.monitor.watch(watcherId),
    'monitor.unwatch': ({ watcherId }) => services.monitor.unwatch(watcherId),
    'monitor.history': (input) => services.monitor.history(input?.since),
    'server.status': () => services.server.status(),
    'server.requests': () => services.server.requests(),
    'server.configure': (change) => services.server.configure(change),
    'server.revokeKey': () => services.server.revokeKey(),
    'providers.list': () => services.providers.list(),
    'providers.add': (input) => services.providers.add(input),
    'providers.update': (input) => services.providers.update(input),
    'providers.remove': ({ id }) => services.providers.remove(id),
    'providers.test': ({ id }) => services.providers.test(id),
    'providers.models': ({ id }) => services.providers.models(id),
    'providers.discovered': () => services.discovery.list(),
    'providers.machine': ({ id, withSample }) => services.insight.machine(id, withSample),
    'providers.sample': ({ id }) => services.insight.sample(id),
    'estimator.fit': async ({ modelId, modelPath, ...options }) =>
      services.estimator.fit({
        ...options,
        // A library model's path is the library's own; a client's path goes through the guard.
        modelPath: modelId
          ? (await services.library.get(modelId)).path
          : await services.modelPaths.check(modelPath ?? ''),
      }),
    'downloads.list': () => services.downloads.list(),
    'downloads.start': (input) => services.downloads.enqueue(input),
    'downloads.pause': ({ id }) => services.downloads.pause(id),
    'downloads.resume': ({ id }) => services.downloads.resume(id),
    'downloads.cancel': ({ id }) => services.downloads.cancel(id),
    'library.list': () => services.library.list(),
    'library.delete': ({ id }) => services.library.delete(id),
    'library.import': async ({ path, mode }) =>
      services.library.import(await services.modelPaths.check(path), mode),
    'catalog.list': async () => services.catalog.list(await services.hardware.get()),
    'catalog.recommend': async () => {
      const entry = services.catalog.firstRunPick(await services.hardware.get());
      return { ...(await services.advisor.recommend(entry.repo)), entry };
    },
    'hub.search': async ({ query, cursor }) => {
      const page = await services.hub.search({ query, cursor });
      return { next: page.next, models: page.models.map(({ tags: _tags, ...m }) => m) };
    },
    'hub.model': async ({ repo, fit }) => {
      const { info, variants, architecture } = await services.advisor.variants(repo, fit);
      const { tags: _tags, files: _files, gguf: _gguf, sha: _sha, ...summary } = info;
      return { ...summary, variants, recommended: pickVariant(repo, variants), architecture };
    },
  };
}
