import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createAppApi, type ApiSettings } from '../api/app-api';
import type { HearthApi } from '../api/api-server';
import { ServerState } from '../api/server-state';
import { EventBus } from '../events/event-bus';
import { createRouter, type Router } from '../router/router';
import { AppInfoService, type RuntimeFacts } from '../services/app-info/app-info-service';
import { openChatDatabase } from '../services/chats/chat-database';
import { PresetStore } from '../services/chats/preset-store';
import { startIdleUnloader } from '../services/engine/idle-unloader';
import { ChatService } from '../services/chats/chat-service';
import { ChatStore } from '../services/chats/chat-store';
import type { Db } from '../services/db/open-database';
import type { EngineLauncher } from '../services/engine/engine-child';
import { ChatRunner } from '../services/engine/chat-runner';
import { EngineHost } from '../services/engine/engine-host';
import { EnginePool, type Engine } from '../services/engine/engine-pool';
import { EstimatorService } from '../services/estimator/estimator-service';
import { LearnedSpeeds } from '../services/estimator/measurements/learned-speeds';
import { MeasurementRecorder } from '../services/estimator/measurements/measurement-recorder';
import { MeasurementStore, measurementsFile } from '../services/estimator/measurements/measurement-store';
import { CatalogService } from '../services/catalog/catalog-service';
import { DownloadManager } from '../services/downloads/download-manager';
import type { FileDownloadOptions } from '../services/downloads/file-download';
import { HardwareService, type HardwareServiceOptions } from '../services/hardware/hardware-service';
import { HubClient } from '../services/hub/hub-client';
import { findHubToken } from '../services/hub/hub-token';
import { defaultExternalRoots, type ExternalRoots } from '../services/library/external-sources';
import { LibraryService } from '../services/library/library-service';
import { ModelAdvisor } from '../services/models/model-advisor';
import { ModelLoader } from '../services/models/model-loader';
import { ModelSettingsStore } from '../services/models/model-settings-store';
import { startHeartbeat, systemClock, type Clock } from '../services/monitor/heartbeat';
import { createMonitor, type MonitorOptions } from '../services/monitor/create-monitor';
import type { MonitorService } from '../services/monitor/monitor-service';
import { appPaths, type AppPaths } from '../services/paths/data-dir';
import { ModelPathGuard } from '../services/paths/model-path-guard';
import { publicSettings, SettingsService } from '../services/settings/settings-service';
import { ProviderService } from '../services/providers/provider-service';
import { ProviderStore } from '../services/providers/provider-store';
import type { RemoteLimits } from '../services/providers/remote-http';
import { FileSecretStore, type SecretStore } from '../services/providers/secret-store';
import { LanAnnouncer } from '../services/providers/announce';
import { LanDiscovery } from '../services/providers/discovery';
import { bonjourMdns, type Mdns } from '../services/providers/lan-mdns';
import { insightTarget } from '../services/providers/insight-target';
import { LocalMachineReader } from '../services/providers/local-insight';
import { MachineInsightService } from '../services/providers/remote-insight';
import { createHandlers } from './handlers';

export interface HearthAppOptions {
  dataDir: string;
  runtime: Omit<RuntimeFacts, 'dataDir'>;
  engineLauncher: EngineLauncher;
  /** better-sqlite3 binary for this runtime (the Electron shell passes its own). */
  sqliteBinding?: string;
  heartbeatMs?: number;
  /** How often the idle unloader looks (tests make it fast). */
  idleCheckMs?: number;
  /** Engine threads when a load does not say. */
  engineThreads?: number;
  clock?: Clock;
  log?: (message: string) => void;
  /** Hugging Face endpoint (HF_ENDPOINT, or a fake Hub in tests). */
  hubEndpoint?: string;
  /** resources/catalog.json unless a test points elsewhere. */
  catalogPath?: string;
  /** Other tools' model folders to reuse; null turns that off. */
  externalRoots?: ExternalRoots | null;
  downloadOptions?: Omit<FileDownloadOptions, 'signal' | 'onBytes'>;
  /** The CLI runs only its own downloads and leaves the app's queue alone. */
  cli?: boolean;
  /** Test seams for hardware detection (GPU backends, RAM bandwidth). */
  hardware?: Partial<Omit<HardwareServiceOptions, 'modelsDir'>>;
  /** Shared on the network (`hearth serve --host`): routes open model files only inside the models folders. */
  restrictModelPaths?: boolean;
  /** Test seams for the resource monitor (sysfs root, nvidia-smi timings). */
  monitor?: MonitorOptions;
  /** The OpenAI/Ollama API's settings (allowed origins, admin key, queue, parallel slots). */
  api?: ApiSettings;
  /** `hearth serve` decides on the API from its command line; the desktop app from its settings. */
  serverControl?: 'command-line' | 'app';
  /** Where remote providers' keys live: the desktop passes its keychain; default a 0600 file beside the data. */
  secretStore?: SecretStore;
  /** Test seam: tighter bounds on remote providers. */
  remoteLimits?: Partial<RemoteLimits>;
  /** Multicast DNS for announcing and finding Hearths on the LAN (tests pass a fake network). */
  mdns?: () => Mdns;
}

export interface HearthApp {
  paths: AppPaths;
  router: Router;
  events: EventBus;
  engine: Engine;
  chatStore: ChatStore;
  /** Set when the database was unreadable at start and was moved aside. */
  recovered: { movedTo: string; reason: string } | null;
  hardware: HardwareService;
  estimator: EstimatorService;
  /** What this machine measured on every load and reply (its own SQLite file, never sent anywhere). */
  measurements: MeasurementStore;
  downloads: DownloadManager;
  library: LibraryService;
  monitor: MonitorService;
  /** The OpenAI- and Ollama-compatible API, for a binding to mount (hearth serve does). */
  api: HearthApi;
  /** Where the API listens: the binding that mounts it reports start and stop here. */
  server: ServerState;
  db: Db;
  /** Announcing this Hearth on the LAN while it is shared, and finding others. */
  lan: { announcer: LanAnnouncer; discovery: LanDiscovery };
  close(): Promise<void>;
}

/** The composition root: every service wired once, shared by the Electron shell, `hearth serve` and the CLI. */
export function createHearthApp(options: HearthAppOptions): HearthApp {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((message: string) => console.error(message));
  const paths = appPaths(options.dataDir);
  mkdirSync(paths.dataDir, { recursive: true });
  const startedAt = clock.now();
  const events = new EventBus();
  // Migrated on every start (backup first); a corrupt file is moved aside, never deleted.
  const opened = openChatDatabase(paths.database, { nativeBinding: options.sqliteBinding });
  const db = opened.db;
  if (opened.recovered)
    log(`database: ${opened.recovered.reason}; moved to ${opened.recovered.movedTo}, starting fresh`);
  const chatStore = new ChatStore(db);
  const interrupted = chatStore.markInterrupted();
  if (interrupted > 0)
    log(`chats: ${interrupted} reply(ies) cut by the last shutdown are marked interrupted`);
  const settings = new SettingsService(db, (value) => events.emit('settings.changed', publicSettings(value)));
  const appInfo = new AppInfoService({ ...options.runtime, dataDir: paths.dataDir }, startedAt);
  // One process per loaded model; each reports, the pool tells the windows the whole picture.
  const engine: EnginePool = new EnginePool(
    () =>
      new EngineHost({
        launch: options.engineLauncher,
        defaultThreads: options.engineThreads ?? Math.max(1, Math.min(8, availableParallelism())),
        onStatus: () => events.emit('engine.status', engine.status()),
        onCrash: ({ code, restarts }) =>
          log(`engine: exited unexpectedly (code ${code ?? 'signal'}), restart #${restarts} on next request`),
      }),
    () => settings.get().maxLoadedModels,
  );
  const hardware = new HardwareService({
    ...options.hardware,
    modelsDir: () => settings.get().modelsDir ?? paths.modelsDir,
    clock,
  });
  // Predictions for this machine learn from its own runs, kept apart from the chats database.
  const measurements = MeasurementStore.open(measurementsFile(paths.dataDir), {
    nativeBinding: options.sqliteBinding,
    now: () => clock.now(),
  });
  const estimator = new EstimatorService(hardware, new LearnedSpeeds(measurements));
  const stopRecording = engine.observe(
    new MeasurementRecorder({ store: measurements, estimator, hardware, log }),
  );
  const modelsDir = (): string => settings.get().modelsDir ?? paths.modelsDir;
  const hub = new HubClient({
    endpoint: options.hubEndpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co',
    token: () => findHubToken(settings.get().hfToken),
  });
  const externalRoots = options.externalRoots === undefined ? defaultExternalRoots() : options.externalRoots;
  const library = new LibraryService({
    modelsDir,
    externalRoots,
    onChange: (count) => events.emit('library.changed', { count }),
  });
  const modelPaths = new ModelPathGuard({
    roots: () => [modelsDir(), ...(externalRoots ? Object.values(externalRoots).flat() : [])],
    restricted: options.restrictModelPaths ?? false,
  });
  const downloads = new DownloadManager({
    db,
    hub,
    modelsDir,
    clock,
    fileOptions: options.downloadOptions,
    onlyOwnJobs: options.cli,
    onChange: (job) => {
      events.emit('downloads.changed', job);
      if (job.status === 'done')
        void library.list().then((models) => events.emit('library.changed', { count: models.length }));
    },
  });
  const catalog = new CatalogService(options.catalogPath ?? process.env.HEARTH_CATALOG);
  const advisor = new ModelAdvisor(hub, estimator);
  const modelSettings = new ModelSettingsStore(db);
  const loader = new ModelLoader(
    library,
    estimator,
    engine,
    async () => (await hardware.get()).cpu.physicalCores,
    modelSettings,
  );
  const providerSecrets =
    options.secretStore ?? new FileSecretStore(join(paths.dataDir, 'provider-keys.json'));
  const providers = new ProviderService({
    store: new ProviderStore(db),
    secrets: providerSecrets,
    onChange: (list) => events.emit('providers.changed', list),
    version: options.runtime.version,
    limits: options.remoteLimits,
    localModels: async () =>
      (await library.list())
        .filter((m) => m.error === null && !m.embedding)
        .map((m) => ({
          providerId: 'local',
          id: m.id,
          name: m.name,
          contextLength: m.contextLength,
          details: [m.architecture, m.quant].filter(Boolean).join(' · ') || null,
        })),
  });
  const chatService = new ChatService({
    store: chatStore,
    engine,
    remote: (providerId) => providers.target(providerId),
    ensureModel: async (modelId) => {
      const model = await library.get(modelId);
      if (!engine.status().loaded?.some((l) => l.modelPath === model.path)) await loader.load({ modelId });
      return model.path;
    },
    emit: {
      delta: (delta) => events.emit('chats.delta', delta),
      message: (message) => events.emit('chats.message', message),
    },
  });
  const monitor = createMonitor({
    ...options.monitor,
    hardware,
    intervalMs: () => settings.get().monitorIntervalMs,
    engines: () => engine.hosts(),
    emit: (sample) => events.emit('monitor.sample', sample),
    log,
  });
  const api = createAppApi(
    {
      version: options.runtime.version,
      library,
      engine,
      loader,
      estimator,
      modelSettings,
      downloads,
      events,
      idleUnloadMs: () => settings.get().unloadAfterMinutes * 60_000,
      // An Ollama client asking /api/ps watches the machine for a while, like a scraper.
      gpuMemoryOf: async (modelPath) =>
        (await monitor.scrape(30_000, 3000, 'api-ps'))?.processes.find(
          (p) => p.role === 'engine' && p.modelPath === modelPath,
        )?.gpuMemoryBytes ?? null,
    },
    options.api,
  );
  const server = new ServerState({
    log: api.log,
    controlledBy: options.serverControl ?? 'app',
    allowedOrigins: () => api.allowedOrigins(),
    adminKeySet: options.api?.adminKey !== undefined,
  });
  const insight = new MachineInsightService({
    provider: insightTarget(
      () => providers.list(),
      (name) => providerSecrets.get(name),
    ),
    local: new LocalMachineReader({
      hardware: () => hardware.get(),
      library: () => library.list(),
      fit: (modelPath) => estimator.fit({ modelPath }),
      sample: () => monitor.scrape(30_000, 3000, 'providers-page'),
    }),
  });
  const mdns = options.mdns ?? (() => bonjourMdns(log));
  // Not a secret: it only lets this Hearth leave its own announcement out of what it finds.
  const instanceId = randomUUID();
  const lan = {
    announcer: new LanAnnouncer({ mdns, version: options.runtime.version, instanceId, log }),
    discovery: new LanDiscovery({ mdns, ownInstanceId: instanceId }),
  };
  const stopRequestEvents = api.log.subscribe((entry) => events.emit('server.request', entry));
  const router = createRouter(
    createHandlers({
      appInfo,
      settings,
      engine,
      hardware,
      estimator,
      hub,
      downloads,
      library,
      modelPaths,
      catalog,
      advisor,
      loader,
      modelSettings,
      monitor,
      server,
      chatStore,
      chatService,
      providers,
      insight,
      discovery: lan.discovery,
      presets: new PresetStore(db),
      chatHealth: { recovered: opened.recovered, interrupted },
      databasePath: paths.database,
      db,
      chats: new ChatRunner(engine, (chunk) => events.emit('engine.chunk', chunk)),
    }),
    {
      onInternalError: (route, error) =>
        log(
          `route ${route} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
    },
  );
  if (!options.cli) downloads.start();
  const stopIdleUnloader = startIdleUnloader({
    // A model an API client asked to keep (Ollama's keep_alive) stays past the idle setting.
    engines: () => engine.hosts().filter((host) => !api.keepAlive.pinned(host.status().modelPath)),
    unloadAfterMs: () => settings.get().unloadAfterMinutes * 60_000,
    clock,
    checkEveryMs: options.idleCheckMs,
    onUnload: (modelPath) =>
      log(`engine: unloaded ${modelPath} after ${settings.get().unloadAfterMinutes} idle minutes`),
  });
  const stopHeartbeat = startHeartbeat(events, { intervalMs: options.heartbeatMs ?? 1000, clock, startedAt });
  return {
    paths,
    router,
    events,
    engine,
    chatStore,
    recovered: opened.recovered,
    hardware,
    estimator,
    measurements,
    downloads,
    library,
    monitor,
    api,
    server,
    db,
    lan,
    async close() {
      await Promise.all([lan.announcer.close(), lan.discovery.close()]);
      monitor.close();
      stopRequestEvents();
      api.close();
      stopHeartbeat();
      stopIdleUnloader();
      await downloads.stop();
      await engine.stop();
      stopRecording();
      measurements.close();
      db.close();
    },
  };
}
