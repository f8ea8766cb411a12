/**
 * A small hand-written stand-in for the parts of Electron the shell uses, so window options,
 * navigation guards and sender checks are unit-tested without an Electron binary.
 */
import { EventEmitter } from 'node:events';
import type { BrowserWindowConstructorOptions } from 'electron';

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class MockWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = MockWebContents.nextId++;
  readonly mainFrame = { url: '' };
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: WindowOpenHandler | undefined;
  destroyed = false;

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Simulates a navigation attempt; returns true when the app prevented it. */
  navigate(url: string): boolean {
    let prevented = false;
    this.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

export class MockBrowserWindow extends EventEmitter {
  static created: MockBrowserWindow[] = [];
  readonly webContents = new MockWebContents();
  loadedUrl: string | undefined;
  shown = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    MockBrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
}

export class MockShell {
  readonly opened: string[] = [];
  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

export class MockIpcMain {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Calls a handler as ipcRenderer.invoke from `sender` would. */
  async invoke(
    channel: string,
    event: { sender: MockWebContents; senderFrame: { url: string } | null },
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

/** contextBridge + ipcRenderer as the preload sees them. */
export class MockRenderer {
  readonly exposed = new Map<string, unknown>();
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  readonly listeners = new EventEmitter();
  readonly contextBridge = {
    exposeInMainWorld: (key: string, api: unknown): void => {
      this.exposed.set(key, api);
    },
  };
  readonly ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]): Promise<unknown> => {
      this.invocations.push({ channel, args });
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, listener: (...args: unknown[]) => void): void => {
      this.listeners.on(channel, listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void): void => {
      this.listeners.removeListener(channel, listener);
    },
  };
}

/** A utilityProcess child: records what the host posts, and lets the test play the child's side. */
export class MockUtilityProcess extends EventEmitter {
  static forks: { entry: string; options: Record<string, unknown>; child: MockUtilityProcess }[] = [];
  readonly pid = 4242;
  readonly posted: unknown[] = [];
  killed = false;
  static fork(entry: string, _args: string[], options: Record<string, unknown>): MockUtilityProcess {
    const child = new MockUtilityProcess();
    MockUtilityProcess.forks.push({ entry, options, child });
    return child;
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.killed = true;
    this.emit('exit', null);
    return true;
  }
}
