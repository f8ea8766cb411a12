import type { BrowserWindow, BrowserWindowConstructorOptions, Shell } from 'electron';
import { isAllowedExternalUrl, isAppUrl } from './security';

export function mainWindowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Hearth',
    backgroundColor: '#1c1917',
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
    },
  };
}

export interface WindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  shell: Pick<Shell, 'openExternal'>;
}

/** Creates the one main window with its navigation guards; `appUrl` is the page it may show. */
export function createMainWindow(
  deps: WindowDeps,
  options: { preload: string; appUrl: string },
): BrowserWindow {
  const window = new deps.BrowserWindow(mainWindowOptions(options.preload));
  const openOutside = (url: string): void => {
    if (isAllowedExternalUrl(url)) void deps.shell.openExternal(url);
  };
  // New windows are never created: allowed https links go to the user's browser, the rest nowhere.
  window.webContents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, options.appUrl)) return;
    event.preventDefault();
    openOutside(url);
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.appUrl);
  return window;
}
