import { AppError, type EngineStatus } from '../../../shared/contract';
import type {
  EngineToHost,
  HostToEngine,
  LoadOptions,
  LoadRequest,
  LoadResult,
  ChatRequest,
  ChatResult,
  ChunkHandler,
  CountRequest,
  EmbedRequest,
  EmbedResult,
  EngineStats,
  RequestType,
} from '../../engine-process/protocol';
import type { EngineChild, EngineLauncher } from './engine-child';

export type EngineState = 'idle' | 'starting' | 'ready' | 'stopping' | 'stopped';

export interface EngineHostOptions {
  launch: EngineLauncher;
  /** How long a started process may take to say it is ready. */
  startTimeoutMs?: number;
  /** How long a model load may take before the process is killed (a stuck native load cannot be aborted). */
  loadTimeoutMs?: number;
  /** How long stop() waits for a clean exit before it kills. */
  stopGraceMs?: number;
  onCrash?: (info: { code: number | null; restarts: number }) => void;
  onLoadProgress?: (progress: number) => void;
  onStatus?: (status: EngineStatus) => void;
  /** Threads when a load does not say (the engine issue will derive it from the physical cores). */
  defaultThreads?: number;
}

interface Pending {
  type: RequestType;
  resolve(value: unknown): void;
  reject(error: AppError): void;
  onChunk?: ChunkHandler;
  timer?: ReturnType<typeof setTimeout>;
  /** The user cancelled it: however it ends, it reports CANCELLED. */
  cancelled?: boolean;
}

interface Running {
  child: EngineChild;
  ready: Promise<void>;
  exited: Promise<void>;
}

/**
 * Owns the inference process: starts it lazily, speaks the protocol, enforces the load timeout,
 * stops it politely then by force, and after a crash starts a new one on the next request and
 * reloads the model that was loaded, so the app never goes down with the engine.
 */
export class EngineHost {
  private running: Running | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lastLoad: (LoadRequest & LoadOptions) | undefined;
  private needsReload = false;
  private stopping = false;
  private restarts = 0;
  private currentState: EngineState = 'idle';
  /** The load in progress: its request id, for a cancel, and how far it got. */
  private loading: { id: number; modelPath: string; progress: number } | undefined;
  private killedOnPurpose: Running | undefined;
  private activeChats = 0;
  private lastActive = Date.now();

  constructor(private readonly options: EngineHostOptions) {}

  get state(): EngineState {
    return this.currentState;
  }

  private set state(next: EngineState) {
    if (next === this.currentState) return;
    this.currentState = next;
    this.options.onStatus?.(this.status());
  }

  status(): EngineStatus {
    return {
      state: this.currentState,
      pid: this.running?.child.pid ?? null,
      restarts: this.restarts,
      modelPath: this.lastLoad?.modelPath ?? null,
      loading: this.loading ? { modelPath: this.loading.modelPath, progress: this.loading.progress } : null,
    };
  }

  /** Nothing loading or generating since `at` (ms): what the idle unloader looks at. */
  idleSince(): number | null {
    if (this.activeChats > 0 || this.loading || !this.lastLoad) return null;
    return this.lastActive;
  }

  /**
   * Cancels the load in progress: the engine aborts it between tensors; one stuck in a native
   * call is ended with its process after a grace period. The load then fails with CANCELLED.
   */
  cancelLoad(graceMs = 3000): boolean {
    const loading = this.loading;
    const running = this.running;
    if (!loading || !running) return false;
    const pending = this.pending.get(loading.id);
    if (pending) pending.cancelled = true;
    running.child.send({ type: 'abort', id: this.nextId++, target: loading.id });
    const timer = setTimeout(() => {
      if (this.loading?.id !== loading.id) return;
      // Ended on purpose: not a crash to count or report.
      this.killedOnPurpose = running;
      running.child.kill();
    }, graceMs);
    timer.unref();
    return true;
  }

  get pid(): number | undefined {
    return this.running?.child.pid;
  }

  /** Replies the loaded model can generate at once (its context's sequences). */
  get parallel(): number {
    return Math.max(1, this.lastLoad?.parallel ?? 1);
  }

  get restartCount(): number {
    return this.restarts;
  }

  /**
   * The process's CPU, memory, context fill and live speed, for the resource monitor; null when
   * no process runs or it does not answer in time (a stats request never kills or starts one).
   */
  stats(timeoutMs = 2000): Promise<EngineStats | null> {
    if (!this.running || this.currentState !== 'ready') return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), timeoutMs);
      timer.unref();
      this.request({ type: 'stats' }, {}).then(
        (value) => {
          clearTimeout(timer);
          resolve(value as EngineStats);
        },
        () => {
          clearTimeout(timer);
          resolve(null);
        },
      );
    });
  }

  async load(input: Omit<LoadRequest, 'threads'> & { threads?: number } & LoadOptions): Promise<LoadResult> {
    const request: LoadRequest & LoadOptions = {
      ...input,
      threads: input.threads ?? this.options.defaultThreads ?? 4,
    };
    await this.ensureStarted();
    // The model loaded before is gone once a new load starts (the engine unloads it first).
    this.lastLoad = undefined;
    let result: LoadResult;
    try {
      result = (await this.request(
        { type: 'load', ...request },
        {
          timeoutMs: this.options.loadTimeoutMs ?? 120_000,
          onStart: (id) => {
            this.loading = { id, modelPath: request.modelPath, progress: 0 };
            this.options.onStatus?.(this.status());
          },
        },
      )) as LoadResult;
      this.lastLoad = request;
      this.needsReload = false;
    } finally {
      this.loading = undefined;
      this.lastActive = Date.now();
      // One status for the end of the load, loaded or not.
      this.options.onStatus?.(this.status());
    }
    return result;
  }

  /** Starts the process and reloads the model it held after a restart; refuses when none is loaded. */
  private async readyModel(): Promise<void> {
    await this.ensureStarted();
    if (this.needsReload && this.lastLoad) await this.load(this.lastLoad);
    if (!this.lastLoad) throw new AppError('ENGINE_ERROR', 'No model is loaded');
  }

  /** Work on the loaded model that keeps it busy (a reply, a batch of vectors), stopped by `signal`. */
  private async busyRequest(
    message: DistributiveOmit<Extract<HostToEngine, { type: 'chat' | 'embed' }>, 'id'>,
    handlers: { onChunk?: ChunkHandler },
    signal?: AbortSignal,
  ): Promise<unknown> {
    await this.readyModel();
    const id = this.nextId;
    const onAbort = (): void => this.running?.child.send({ type: 'abort', id: this.nextId++, target: id });
    signal?.addEventListener('abort', onAbort, { once: true });
    this.activeChats++;
    try {
      return await this.request(message, handlers);
    } finally {
      this.activeChats--;
      this.lastActive = Date.now();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async chat(request: ChatRequest, onChunk?: ChunkHandler, signal?: AbortSignal): Promise<ChatResult> {
    return (await this.busyRequest({ type: 'chat', ...request }, { onChunk }, signal)) as ChatResult;
  }

  /** Vectors for the inputs; a signal that aborts stops the engine between inputs. */
  async embed(request: EmbedRequest, signal?: AbortSignal): Promise<EmbedResult> {
    return (await this.busyRequest({ type: 'embed', ...request }, {}, signal)) as EmbedResult;
  }

  /** The tokens a conversation takes with the loaded model's chat template; nothing is generated. */
  async countTokens(request: CountRequest): Promise<number> {
    await this.readyModel();
    try {
      return (await this.request({ type: 'countTokens', ...request }, {})) as number;
    } finally {
      // A client sizing its next request is using the model: the idle clock starts again.
      this.lastActive = Date.now();
    }
  }

  async unload(): Promise<void> {
    this.lastLoad = undefined;
    if (!this.running) return;
    await this.request({ type: 'unload' }, {});
  }

  /** Asks the process to exit, then kills it if it has not within the grace period. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) {
      this.state = 'stopped';
      return;
    }
    this.stopping = true;
    this.state = 'stopping';
    running.child.send({ type: 'shutdown' });
    const grace = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), this.options.stopGraceMs ?? 3000).unref(),
    );
    if ((await Promise.race([running.exited.then(() => 'exited' as const), grace])) === 'timeout') {
      running.child.kill();
      await running.exited;
    }
    this.state = 'stopped';
    this.stopping = false;
  }

  private ensureStarted(): Promise<void> {
    if (this.running) return this.running.ready;
    const child = this.options.launch();
    this.state = 'starting';
    let markReady!: () => void;
    let markExited!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const running: Running = { child, ready: Promise.resolve(), exited };
    const startTimeoutMs = this.options.startTimeoutMs ?? 30_000;
    running.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new AppError('ENGINE_TIMEOUT', `The engine did not start within ${startTimeoutMs} ms`));
      }, startTimeoutMs);
      void ready.then(() => {
        clearTimeout(timer);
        resolve();
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new AppError('ENGINE_CRASHED', 'The engine exited while starting'));
      });
    });
    running.ready.catch(() => {});
    child.onMessage((message) => {
      if (message.type === 'ready') {
        if (this.running === running) this.state = 'ready';
        markReady();
      } else this.onMessage(message);
    });
    child.onExit((code) => {
      markExited();
      if (this.running !== running) return;
      this.running = undefined;
      const crashed = !this.stopping && this.killedOnPurpose !== running;
      for (const [id, pending] of this.pending) {
        if (pending.timer) clearTimeout(pending.timer);
        pending.reject(
          pending.cancelled
            ? new AppError('CANCELLED', 'Loading was cancelled')
            : crashed
              ? new AppError(
                  'ENGINE_CRASHED',
                  `The engine stopped unexpectedly (exit code ${code ?? 'signal'}); it will restart on the next request`,
                )
              : new AppError('ENGINE_STOPPED', 'The engine was stopped'),
        );
        this.pending.delete(id);
      }
      if (crashed) {
        this.restarts++;
        this.state = 'idle';
        this.needsReload = this.lastLoad !== undefined;
        this.options.onCrash?.({ code, restarts: this.restarts });
      } else if (!this.stopping) {
        // Replaced after a cancelled load: a new process starts with the next request.
        this.state = 'idle';
      }
    });
    this.running = running;
    return running.ready;
  }

  private request(
    message: DistributiveOmit<Exclude<HostToEngine, { type: 'abort' | 'shutdown' }>, 'id'>,
    options: {
      timeoutMs?: number;
      onChunk?: ChunkHandler;
      onStart?: (id: number) => void;
    },
  ): Promise<unknown> {
    const running = this.running;
    if (!running) return Promise.reject(new AppError('ENGINE_STOPPED', 'The engine is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { type: message.type, resolve, reject, onChunk: options.onChunk };
      if (options.timeoutMs) {
        const timeoutMs = options.timeoutMs;
        pending.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(
            new AppError(
              'ENGINE_TIMEOUT',
              `The engine did not finish "${message.type}" within ${Math.round(timeoutMs / 1000)} s; it was restarted`,
            ),
          );
          // The native call cannot be interrupted: replace the process.
          running.child.kill();
        }, timeoutMs);
      }
      this.pending.set(id, pending);
      options.onStart?.(id);
      running.child.send({ ...message, id } as HostToEngine);
    });
  }

  private onMessage(message: EngineToHost): void {
    if (message.type === 'ready') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'chunk':
        pending.onChunk?.(message.text, message.segment, message.call);
        return;
      case 'progress':
        if (pending.type === 'load') {
          const loading = this.loading?.id === message.id ? this.loading : undefined;
          // Status events at whole percents: a big model reports thousands of steps.
          const step = loading && Math.floor(message.progress * 100) !== Math.floor(loading.progress * 100);
          if (loading) loading.progress = message.progress;
          if (step) this.options.onStatus?.(this.status());
          this.options.onLoadProgress?.(message.progress);
        }
        return;
      case 'result':
      case 'error':
        if (pending.timer) clearTimeout(pending.timer);
        this.pending.delete(message.id);
        if (message.type === 'result') pending.resolve(message.value);
        else if (pending.cancelled) pending.reject(new AppError('CANCELLED', 'Loading was cancelled'));
        else pending.reject(new AppError('ENGINE_ERROR', message.message));
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
