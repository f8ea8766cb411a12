import type { Handlers } from '../router/router';
import type { AppInfoService } from '../services/app-info/app-info-service';
import type { SettingsService } from '../services/settings/settings-service';

export interface HandlerServices {
  appInfo: AppInfoService;
  settings: SettingsService;
}

/** Thin handlers: input is already validated; each calls one service. */
export function createHandlers(services: HandlerServices): Handlers {
  return {
    'app.info': () => services.appInfo.info(),
    'settings.get': () => services.settings.get(),
    'settings.update': (patch) => services.settings.update(patch),
  };
}
