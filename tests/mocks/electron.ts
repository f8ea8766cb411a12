/**
 * A small hand-written stand-in for the parts of Electron the shell uses, so window options,
 * navigation guards, permissions, the app:// protocol and sender checks are unit-tested without
 * an Electron binary. Where Electron's order of events matters, the mock follows it (noted below).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  OpenDialogOptions,
  OpenDialogReturnValue,
} from 'electron';

type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };
type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: { requestingUrl: string; isMainFrame: boolean },
) => void;
type PermissionCheckHandler = (
  contents: unknown,
  permission: string,
  requestingOrigin: string,
  details: { isMainFrame: boolean },
) => boolean;

/** A session: records the permission handlers the app installs and asks them like Chromium would. */
export class MockSession {
  static readonly defaultSession = new MockSession();
  requestHandler: PermissionRequestHandler | null = null;
  checkHandler: PermissionCheckHandler | null = null;
  deviceHandler: ((details: unknown) => boolean) | null = null;
  installs = 0;

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.installs++;
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void {
    this.deviceHandler = handler;
  }
  /** A page asks for `permission` (Electron grants everything when no handler is set). */
  request(permission: string, requestingUrl: string): Promise<boolean> {
    const handler = this.requestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((done) => handler(null, permission, done, { requestingUrl, isMainFrame: true }));
  }
  /** Chromium checks `permission` for `origin` without prompting. */
  check(permission: string, origin: string): boolean {
    return this.checkHandler ? this.checkHandler(null, permission, origin, { isMainFrame: true }) : true;
  }
}

export class MockWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = MockWebContents.nextId++;
  readonly mainFrame = { url: '' };
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: WindowOpenHandler | undefined;
  destroyed = false;

  constructor(readonly session: MockSession = MockSession.defaultSession) {
    super();
  }
  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /**
   * A page-initiated navigation; true when the app prevented it. Like Electron's navigation
   * throttle: will-navigate for the top frame first, and will-frame-navigate only if that let it by.
   */
  navigate(url: string, { isMainFrame = true }: { isMainFrame?: boolean } = {}): boolean {
    if (isMainFrame && this.emitNavigation('will-navigate', url, isMainFrame)) return true;
    return this.emitNavigation('will-frame-navigate', url, isMainFrame);
  }
  /** A server redirect during a navigation (of any frame, also ones the app started); true when prevented. */
  redirect(url: string, { isMainFrame = true }: { isMainFrame?: boolean } = {}): boolean {
    return this.emitNavigation('will-redirect', url, isMainFrame);
  }
  /** The page tries to attach a <webview>; true when prevented. */
  attachWebview(src: string): boolean {
    let prevented = false;
    this.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, { src });
    return prevented;
  }
  private emitNavigation(name: string, url: string, isMainFrame: boolean): boolean {
    let prevented = false;
    const event = {
      url,
      isMainFrame,
      isSameDocument: false,
      frame: null,
      preventDefault: () => (prevented = true),
    };
    this.emit(name, event, url, false, isMainFrame);
    return prevented;
  }
}

/**
 * `app`: emits web-contents-created whenever a web contents comes to be, as Electron does, and
 * becomes ready only when the test says so (to check what happens before 'ready').
 */
export class MockApp extends EventEmitter {
  isPackaged = false;
  isReady = false;
  exitCode: number | undefined;
  private markReady: () => void = () => undefined;
  private readonly readyPromise = new Promise<void>((resolve) => (this.markReady = resolve));

  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  ready(): void {
    this.isReady = true;
    this.markReady();
    this.emit('ready');
  }
  getPath(name: string): string {
    return `/tmp/hearth-mock/${name}`;
  }
  getAppPath(): string {
    return '/tmp/hearth-mock/app';
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  quit(): void {
    this.emit('will-quit');
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  createWebContents(session?: MockSession): MockWebContents {
    const contents = new MockWebContents(session);
    this.emit('web-contents-created', {}, contents);
    return contents;
  }
}

/**
 * `protocol`: the privileged schemes and the handlers the app registers. Given the app, it holds
 * the code to Electron's timing rules: schemes before 'ready', handlers after.
 */
export class MockProtocol {
  readonly privileged: CustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  constructor(private readonly app?: MockApp) {}
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    if (this.app?.isReady) throw new Error('registerSchemesAsPrivileged must be called before app is ready');
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (this.app && !this.app.isReady) throw new Error('protocol.handle must be called after app is ready');
    this.handlers.set(scheme, handler);
  }
  /** What the renderer would receive for `url`. */
  async fetch(url: string, method = 'GET'): Promise<Response> {
    const handler = this.handlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME ${url}`);
    return handler(new Request(url, { method }));
  }
}

export class MockBrowserWindow extends EventEmitter {
  static created: MockBrowserWindow[] = [];
  /** When set, each new window's web contents is announced on it with web-contents-created. */
  static app: MockApp | undefined;
  readonly webContents = new MockWebContents();
  loadedUrl: string | undefined;
  shown = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    MockBrowserWindow.created.push(this);
    MockBrowserWindow.app?.emit('web-contents-created', {}, this.webContents);
  }
  /** Like Electron: the window showing `contents`, or null (a web contents of no window). */
  static fromWebContents(contents: unknown): MockBrowserWindow | null {
    return MockBrowserWindow.created.find((w) => w.webContents === contents) ?? null;
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

/** `dialog`: records each open dialog and answers what the test says the user picked. */
export class MockDialog {
  readonly opened: { window: unknown; options: OpenDialogOptions }[] = [];
  /** The user's answer to the next dialogs: cancelled by default. */
  answer: OpenDialogReturnValue = { canceled: true, filePaths: [] };
  showOpenDialog(window: unknown, options: OpenDialogOptions): Promise<OpenDialogReturnValue> {
    this.opened.push({ window, options });
    return Promise.resolve(this.answer);
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

/** contextBridge, ipcRenderer and webUtils as the preload sees them. */
export class MockRenderer {
  readonly exposed = new Map<string, unknown>();
  /** Files the page holds that come from the disk, with their paths (others are built in JS). */
  readonly diskFiles = new Map<unknown, string>();
  /** What main answers on a channel; the contract's `{ ok: true, value: null }` when unset. */
  readonly replies = new Map<string, unknown>();
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
      return Promise.resolve(
        this.replies.has(channel) ? this.replies.get(channel) : { ok: true, value: null },
      );
    },
    on: (channel: string, listener: (...args: unknown[]) => void): void => {
      this.listeners.on(channel, listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void): void => {
      this.listeners.removeListener(channel, listener);
    },
  };
  /** Like Electron's: throws for what is not a File, '' for a File made in JS. */
  readonly webUtils = {
    getPathForFile: (file: unknown): string => {
      if (!(file instanceof File)) throw new TypeError('Expected a File');
      return this.diskFiles.get(file) ?? '';
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

/**
 * safeStorage: strings encrypted with a key only this "keychain" holds (AES here; the OS keychain in
 * Electron). Like Electron, decrypting what another keychain encrypted throws, and
 * `isEncryptionAvailable()` is false on a Linux without a secret service (`available = false`).
 */
export class MockSafeStorage {
  available = true;
  private readonly key = randomBytes(32);

  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
  }
  decryptString(encrypted: Buffer): string {
    if (!this.available) throw new Error('Decryption is not available.');
    try {
      const iv = encrypted.subarray(3, 15);
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(encrypted.subarray(15, 31));
      return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
  }
}
