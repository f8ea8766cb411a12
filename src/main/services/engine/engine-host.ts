import { AppError, type EngineStatus } from '../../../shared/contract';
import type {
  EngineToHost,
  HostToEngine,
  LoadOptions,
  LoadRequest,
  LoadResult,
  ChatRequest,
  ChatResult,
  ChunkSegment,
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
  onChunk?: (text: string, segment: ChunkSegment) => void;
  timer?: ReturnType<typeof setTimeout>;
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
    };
  }

  get pid(): number | undefined {
    return this.running?.child.pid;
  }

  get restartCount(): number {
    return this.restarts;
  }

  async load(input: Omit<LoadRequest, 'threads'> & { threads?: number } & LoadOptions): Promise<LoadResult> {
    const request: LoadRequest & LoadOptions = {
      ...input,
      threads: input.threads ?? this.options.defaultThreads ?? 4,
    };
    await this.ensureStarted();
    const result = (await this.request(
      { type: 'load', ...request },
      { timeoutMs: this.options.loadTimeoutMs ?? 120_000 },
    )) as LoadResult;
    this.lastLoad = request;
    this.needsReload = false;
    this.options.onStatus?.(this.status());
    return result;
  }

  async chat(
    request: ChatRequest,
    onChunk?: (text: string, segment: ChunkSegment) => void,
    signal?: AbortSignal,
  ): Promise<ChatResult> {
    await this.ensureStarted();
    if (this.needsReload && this.lastLoad) await this.load(this.lastLoad);
    if (!this.lastLoad) throw new AppError('ENGINE_ERROR', 'No model is loaded');
    const id = this.nextId;
    const onAbort = (): void => this.running?.child.send({ type: 'abort', id: this.nextId++, target: id });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return (await this.request({ type: 'chat', ...request }, { onChunk })) as ChatResult;
    } finally {
      signal?.removeEventListener('abort', onAbort);
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
      const crashed = !this.stopping;
      for (const [id, pending] of this.pending) {
        if (pending.timer) clearTimeout(pending.timer);
        pending.reject(
          crashed
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
      }
    });
    this.running = running;
    return running.ready;
  }

  private request(
    message: DistributiveOmit<Exclude<HostToEngine, { type: 'abort' | 'shutdown' }>, 'id'>,
    options: { timeoutMs?: number; onChunk?: (text: string, segment: ChunkSegment) => void },
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
      running.child.send({ ...message, id } as HostToEngine);
    });
  }

  private onMessage(message: EngineToHost): void {
    if (message.type === 'ready') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'chunk':
        pending.onChunk?.(message.text, message.segment);
        return;
      case 'progress':
        if (pending.type === 'load') this.options.onLoadProgress?.(message.progress);
        return;
      case 'result':
      case 'error':
        if (pending.timer) clearTimeout(pending.timer);
        this.pending.delete(message.id);
        if (message.type === 'result') pending.resolve(message.value);
        else pending.reject(new AppError('ENGINE_ERROR', message.message));
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
