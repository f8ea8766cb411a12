import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcChannels } from '../../../../src/shared/contract';
import { EventBus } from '../../../../src/main/events/event-bus';
import {
  MockApp,
  MockBrowserWindow,
  MockDialog,
  MockIpcMain,
  MockProtocol,
  MockSafeStorage,
  MockShell,
  MockUtilityProcess,
} from '../../../mocks/electron';

/** The Electron module main.ts sees; rebuilt for each test, with the Hearth services stubbed. */
const state = vi.hoisted(() => ({
  electron: {} as Record<string, unknown>,
  routes: [] as string[],
  /** What the API switches saw: started with the renderer folder, closed on quit. */
  apiServer: [] as string[],
}));

// Getters, because vitest evaluates a mock factory once, while each test needs a fresh app.
vi.mock('electron', () => {
  const live = (name: string) => ({ enumerable: true, get: () => state.electron[name] });
  const names = [
    'app',
    'protocol',
    'ipcMain',
    'shell',
    'BrowserWindow',
    'utilityProcess',
    'dialog',
    'safeStorage',
  ];
  return Object.defineProperties({}, Object.fromEntries(names.map((name) => [name, live(name)])));
});
vi.mock('../../../../src/main/electron/native-binding', () => ({
  electronSqliteBinding: () => '/tmp/better_sqlite3.node',
}));
vi.mock('../../../../src/main/api/desktop-server', () => ({
  desktopServer: (_hearth: unknown, rendererDir: string) => {
    state.apiServer.push(`start ${rendererDir.split(/[\\/]/).pop() ?? ''}`);
    return {
      close: async () => {
        state.apiServer.push('close');
      },
    };
  },
}));
vi.mock('../../../../src/main/app/hearth-app', () => ({
  createHearthApp: () => ({
    router: {
      invoke: async (route: string) => {
        state.routes.push(route);
        return { ok: true, value: null };
      },
    },
    events: new EventBus(),
    close: async () => undefined,
  }),
}));

function electronMock() {
  const app = new MockApp();
  const protocol = new MockProtocol(app);
  const ipcMain = new MockIpcMain();
  const dialog = new MockDialog();
  MockBrowserWindow.created = [];
  MockBrowserWindow.app = app;
  state.electron = {
    app,
    protocol,
    ipcMain,
    shell: new MockShell(),
    BrowserWindow: MockBrowserWindow,
    utilityProcess: MockUtilityProcess,
    dialog,
    safeStorage: new MockSafeStorage(),
  };
  state.routes = [];
  state.apiServer = [];
  return { app, protocol, ipcMain, dialog };
}

async function startShell(): Promise<ReturnType<typeof electronMock>> {
  const mocks = electronMock();
  vi.resetModules();
  await import('../../../../src/main/electron/main');
  return mocks;
}

async function becomeReady(app: MockApp): Promise<MockBrowserWindow> {
  app.ready();
  await vi.waitFor(() => expect(MockBrowserWindow.created).toHaveLength(1));
  return MockBrowserWindow.created[0]!;
}

describe('the Electron shell at startup', () => {
  beforeEach(() => {
    delete process.env.ELECTRON_RENDERER_URL;
  });
  afterEach(() => {
    MockBrowserWindow.app = undefined;
    delete process.env.ELECTRON_RENDERER_URL;
  });

  it('registers app:// as privileged before ready, and guards web contents from the start', async () => {
    const { app, protocol } = await startShell();
    expect(app.isReady).toBe(false);
    expect(protocol.privileged.map((s) => s.scheme)).toEqual(['app']);
    expect(app.listenerCount('web-contents-created')).toBe(1);
    expect(app.createWebContents().navigate('https://evil.example/')).toBe(true);
  });

  it('serves the renderer over app:// and loads the window from there, guarded', async () => {
    const { app, protocol } = await startShell();
    const window = await becomeReady(app);
    expect(protocol.handlers.has('app')).toBe(true);
    expect(window.loadedUrl).toBe('app://hearth/index.html');
    expect(window.webContents.navigate('https://evil.example/')).toBe(true);
    expect(window.webContents.navigate('app://hearth/index.html#/chat')).toBe(false);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
      action: 'deny',
    });
  });

  it('answers IPC from the app:// window and refuses other pages', async () => {
    const { app, ipcMain } = await startShell();
    const window = await becomeReady(app);
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    expect(await ipcMain.invoke(ipcChannels.invoke, event, { route: 'app.info' })).toMatchObject({
      ok: true,
    });
    window.webContents.mainFrame.url = 'file:///etc/passwd';
    expect(await ipcMain.invoke(ipcChannels.invoke, event, { route: 'app.info' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(state.routes).toEqual(['app.info']);
  });

  it('opens the GGUF file dialog for the app:// window, attached to it, and for no other page', async () => {
    const { app, ipcMain, dialog } = await startShell();
    const window = await becomeReady(app);
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    dialog.answer = { canceled: false, filePaths: ['/models/tiny.gguf'] };
    expect(await ipcMain.invoke(ipcChannels.pickModelFile, event)).toBe('/models/tiny.gguf');
    expect(dialog.opened.map((d) => d.window)).toEqual([window]);
    window.webContents.mainFrame.url = 'file:///etc/passwd';
    await expect(ipcMain.invoke(ipcChannels.pickModelFile, event)).rejects.toThrow(/may not/);
    expect(dialog.opened).toHaveLength(1);
  });

  it('loads the dev server in development, and keeps its pages navigable and trusted', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
    const { app, ipcMain } = await startShell();
    const window = await becomeReady(app);
    expect(window.loadedUrl).toBe('http://localhost:5173/');
    expect(window.webContents.navigate('http://localhost:5173/#/models')).toBe(false);
    expect(window.webContents.navigate('http://localhost:5174/')).toBe(true);
    const event = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
    expect(await ipcMain.invoke(ipcChannels.invoke, event, { route: 'app.info' })).toMatchObject({
      ok: true,
    });
  });

  it('sets up the API switches with the app (the server starts only if left on) and closes them on quit', async () => {
    const { app } = await startShell();
    await becomeReady(app);
    expect(state.apiServer).toEqual(['start renderer']);
    const quit = new Promise((resolve) => app.once('will-quit', resolve));
    app.emit('before-quit', { preventDefault: () => undefined });
    await quit;
    expect(state.apiServer).toEqual(['start renderer', 'close']);
  });

  it('ignores the dev server variable in a packaged app', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
    const mocks = electronMock();
    mocks.app.isPackaged = true;
    vi.resetModules();
    await import('../../../../src/main/electron/main');
    const window = await becomeReady(mocks.app);
    expect(window.loadedUrl).toBe('app://hearth/index.html');
  });
});
