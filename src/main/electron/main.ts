import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopServer } from '../api/desktop-server';
import type { ServerControl } from '../api/server-control';
import { createHearthApp, type HearthApp } from '../app/hearth-app';
import { bindIpc } from '../bindings/electron-ipc';
import { appEntryUrl, handleAppProtocol, registerAppScheme } from './app-protocol';
import { bindModelFileDialog } from './model-file-dialog';
import { electronSqliteBinding } from './native-binding';
import { SafeStorageSecretStore } from './secret-store-safe';
import { createSenderCheck } from './security';
import { utilityLauncher } from './utility-launcher';
import { guardAllWebContents } from './web-contents-guards';
import { createMainWindow } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
let mainWindow: BrowserWindow | undefined;
let hearth: HearthApp | undefined;
let apiServer: ServerControl | undefined;

function appUrl(): string {
  // electron-vite sets this in development; otherwise the built renderer comes over app://.
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  return !app.isPackaged && devUrl ? devUrl : appEntryUrl;
}

function openWindow(): void {
  mainWindow = createMainWindow(
    { BrowserWindow },
    { preload: join(here, '../preload/index.cjs'), appUrl: appUrl() },
  );
  mainWindow.on('closed', () => (mainWindow = undefined));
}

async function start(): Promise<void> {
  handleAppProtocol(protocol, join(here, '../renderer'));
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
    // Remote providers' keys: encrypted by the OS keychain.
    secretStore: new SafeStorageSecretStore(
      join(app.getPath('userData'), 'provider-keys.enc.json'),
      safeStorage,
    ),
    sqliteBinding: electronSqliteBinding({
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appPath: app.getAppPath(),
      electronVersion: process.versions.electron,
    }),
  });
  // Off by default; the Server page turns it on (and shares it on the LAN with a key).
  apiServer = desktopServer(hearth, join(here, '../renderer'));
  const isTrustedSender = createSenderCheck(() => mainWindow, appUrl());
  bindIpc({
    ipcMain,
    router: hearth.router,
    events: hearth.events,
    isTrustedSender,
    targets: () => (mainWindow ? [mainWindow.webContents] : []),
  });
  bindModelFileDialog({
    ipcMain,
    dialog,
    isTrustedSender,
    windowOf: (contents) => BrowserWindow.fromWebContents(contents),
  });
  openWindow();
}

// One Hearth at a time: a second launch focuses the first.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme(protocol); // Electron accepts privileged schemes only before 'ready'.
  guardAllWebContents(app, { appUrl: appUrl(), shell });
  app.on('second-instance', () => {
    if (!mainWindow) return openWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
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
    void Promise.all([apiServer?.close(), hearth.close()]).finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Hearth failed to start:', error);
      app.exit(1);
    });
}
