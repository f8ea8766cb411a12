import { app, BrowserWindow, ipcMain, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHearthApp, type HearthApp } from '../app/hearth-app';
import { bindIpc } from '../bindings/electron-ipc';
import { electronSqliteBinding } from './native-binding';
import { createSenderCheck } from './security';
import { utilityLauncher } from './utility-launcher';
import { createMainWindow } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
let mainWindow: BrowserWindow | undefined;
let hearth: HearthApp | undefined;

function appUrl(): string {
  // electron-vite sets this in development; the built app loads its own file.
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  return !app.isPackaged && devUrl ? devUrl : pathToFileURL(join(here, '../renderer/index.html')).href;
}

function openWindow(): void {
  mainWindow = createMainWindow(
    { BrowserWindow, shell },
    { preload: join(here, '../preload/index.cjs'), appUrl: appUrl() },
  );
  mainWindow.on('closed', () => (mainWindow = undefined));
}

async function start(): Promise<void> {
  hearth = createHearthApp({
    dataDir: app.getPath('userData'),
    runtime: {
      runtime: 'desktop',
      version: app.getVersion(),
      versions: {
        node: process.versions.node,
        electron: process.versions.electron,
        chrome: process.versions.chrome,
      },
    },
    engineLauncher: utilityLauncher(join(here, 'engine.js')),
    sqliteBinding: electronSqliteBinding({
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appPath: app.getAppPath(),
      electronVersion: process.versions.electron,
    }),
  });
  bindIpc({
    ipcMain,
    router: hearth.router,
    events: hearth.events,
    isTrustedSender: createSenderCheck(() => mainWindow, appUrl()),
    targets: () => (mainWindow ? [mainWindow.webContents] : []),
  });
  openWindow();
}

// One Hearth at a time: a second launch focuses the first.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return openWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!mainWindow && hearth) openWindow();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !hearth) return;
    event.preventDefault();
    quitting = true;
    void hearth.close().finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Hearth failed to start:', error);
      app.exit(1);
    });
}
