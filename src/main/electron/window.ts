import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

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
}

/**
 * Creates the one main window showing `appUrl`. Its navigation guards come from
 * guardAllWebContents, which Electron applies as the window's web contents is created.
 */
export function createMainWindow(
  deps: WindowDeps,
  options: { preload: string; appUrl: string },
): BrowserWindow {
  const window = new deps.BrowserWindow(mainWindowOptions(options.preload));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.appUrl);
  return window;
}
