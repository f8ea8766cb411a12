import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { EventBus } from '../events/event-bus';
import { createRouter, type Router } from '../router/router';
import { AppInfoService, type RuntimeFacts } from '../services/app-info/app-info-service';
import { openDatabase, type Db } from '../services/db/open-database';
import type { EngineLauncher } from '../services/engine/engine-child';
import { EngineHost } from '../services/engine/engine-host';
import { EstimatorService } from '../services/estimator/estimator-service';
import { HardwareService, type HardwareServiceOptions } from '../services/hardware/hardware-service';
import { startHeartbeat, systemClock, type Clock } from '../services/monitor/heartbeat';
import { appPaths, type AppPaths } from '../services/paths/data-dir';
import { SettingsService } from '../services/settings/settings-service';
import { createHandlers } from './handlers';

export interface HearthAppOptions {
  dataDir: string;
  runtime: Omit<RuntimeFacts, 'dataDir'>;
  engineLauncher: EngineLauncher;
  /** better-sqlite3 binary for this runtime (the Electron shell passes its own). */
  sqliteBinding?: string;
  heartbeatMs?: number;
  /** Engine threads when a load does not say. */
  engineThreads?: number;
  clock?: Clock;
  log?: (message: string) => void;
  /** Test seams for hardware detection (GPU backends, RAM bandwidth). */
  hardware?: Partial<Omit<HardwareServiceOptions, 'modelsDir'>>;
}

export interface HearthApp {
  paths: AppPaths;
  router: Router;
  events: EventBus;
  engine: EngineHost;
  hardware: HardwareService;
  estimator: EstimatorService;
  db: Db;
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
  const db = openDatabase(paths.database, { nativeBinding: options.sqliteBinding });
  const settings = new SettingsService(db, (value) => events.emit('settings.changed', value));
  const appInfo = new AppInfoService({ ...options.runtime, dataDir: paths.dataDir }, startedAt);
  const engine = new EngineHost({
    launch: options.engineLauncher,
    defaultThreads: options.engineThreads ?? Math.max(1, Math.min(8, availableParallelism())),
    onStatus: (status) => events.emit('engine.status', status),
    onCrash: ({ code, restarts }) =>
      log(`engine: exited unexpectedly (code ${code ?? 'signal'}), restart #${restarts} on next request`),
  });
  const hardware = new HardwareService({
    ...options.hardware,
    modelsDir: () => settings.get().modelsDir ?? paths.modelsDir,
    clock,
  });
  const estimator = new EstimatorService(hardware);
  const router = createRouter(
    createHandlers({
      appInfo,
      settings,
      engine,
      hardware,
      estimator,
      onChunk: (text) => events.emit('engine.chunk', { text }),
    }),
    {
      onInternalError: (route, error) =>
        log(
          `route ${route} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
    },
  );
  const stopHeartbeat = startHeartbeat(events, { intervalMs: options.heartbeatMs ?? 1000, clock, startedAt });
  return {
    paths,
    router,
    events,
    engine,
    hardware,
    estimator,
    db,
    async close() {
      stopHeartbeat();
      await engine.stop();
      db.close();
    },
  };
}
