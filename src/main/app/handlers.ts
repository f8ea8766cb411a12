import type { Handlers } from '../router/router';
import type { AppInfoService } from '../services/app-info/app-info-service';
import type { EngineHost } from '../services/engine/engine-host';
import type { EstimatorService } from '../services/estimator/estimator-service';
import type { HardwareService } from '../services/hardware/hardware-service';
import type { SettingsService } from '../services/settings/settings-service';

export interface HandlerServices {
  appInfo: AppInfoService;
  settings: SettingsService;
  engine: EngineHost;
  hardware: HardwareService;
  estimator: EstimatorService;
  /** Where streamed reply text goes (the event bus). */
  onChunk: (text: string) => void;
}

/** Thin handlers: input is already validated; each calls one service. */
export function createHandlers(services: HandlerServices): Handlers {
  return {
    'app.info': () => services.appInfo.info(),
    'settings.get': () => services.settings.get(),
    'settings.update': (patch) => services.settings.update(patch),
    'engine.status': () => services.engine.status(),
    'engine.load': (input) => services.engine.load(input),
    'engine.prompt': (input) => services.engine.prompt(input, services.onChunk),
    'hardware.get': (input) => services.hardware.get(input?.refresh ?? false),
    'estimator.fit': (input) => services.estimator.fit(input),
  };
}
