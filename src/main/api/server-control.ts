import { AppError } from '../../shared/contract';
import { keyVerifier } from '../bindings/lan-key';
import type { ServerChange, ServerListening, ServerState, ServerSwitches } from './server-state';

/** The desktop app's choices for its API, kept across restarts. */
export interface ServerPrefs {
  enabled: boolean;
  lanSharing: boolean;
  port: number;
  /**
   * keyVerifier of the LAN key, set the first time LAN sharing is turned on. The key itself is shown
   * to the person once and stored nowhere: clients keep working across restarts, checked against this.
   */
  keyVerifier: string | null;
  /** Browser origins allowed to call the API (normalized http(s) origins). */
  allowedOrigins: string[];
}

export const defaultServerPrefs: ServerPrefs = {
  enabled: false,
  lanSharing: false,
  port: 11435,
  keyVerifier: null,
  allowedOrigins: [],
};

/** A started web binding, as far as the switches care. */
export interface RunningBinding {
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface ServerControlDeps {
  state: ServerState;
  prefs: { read(): ServerPrefs; write(prefs: ServerPrefs): void };
  /** Starts the web binding with the API mounted (a key given is required from every client). */
  start(options: { host: string; port: number; lanKeyVerifier?: string }): Promise<RunningBinding>;
  generateKey(): string;
  /** Hands the allowed origins to the API (which refuses what is not an http(s) origin). */
  setAllowedOrigins(origins: readonly string[]): void;
  /** The API base URLs other machines use for a binding on every interface. */
  lanUrls(port: number): string[];
  /** Told where the API listens after each change (null: off), to announce it on the LAN while shared. */
  announce?(listening: ServerListening | null): Promise<void>;
}

/**
 * The desktop app's API switches: off by default; on, loopback only; shared, on every interface
 * with a key. A change restarts the binding, since its host and key are fixed when it starts.
 */
export class ServerControl implements ServerSwitches {
  private running: RunningBinding | undefined;
  /** One change at a time: two quick toggles must not start two servers. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ServerControlDeps) {}

  /** Starts the API at launch when the person left it on. */
  restore(): Promise<void> {
    return this.serial(() => this.apply(this.deps.prefs.read()));
  }

  configure(change: ServerChange): Promise<{ key: string | null }> {
    return this.serial(async () => {
      const before = this.deps.prefs.read();
      const prefs = { ...before, ...definedOnly(change) };
      // Checked (and normalized) before anything is saved: a bad origin changes nothing.
      if (change.allowedOrigins) {
        this.deps.setAllowedOrigins(change.allowedOrigins);
        prefs.allowedOrigins = [
          ...new Set(change.allowedOrigins.map((o) => new URL(o.trim()).origin.toLowerCase())),
        ];
      }
      // Sharing needs a key; a new one is the only time its text leaves the main process.
      const fresh = prefs.lanSharing && prefs.keyVerifier === null ? this.deps.generateKey() : null;
      if (fresh) prefs.keyVerifier = keyVerifier(fresh);
      this.deps.prefs.write(prefs);
      // Origins apply live; only a change of where or how it listens restarts the binding (and
      // drops its connections).
      const restart =
        !this.running ||
        (['enabled', 'lanSharing', 'port', 'keyVerifier'] as const).some((k) => prefs[k] !== before[k]);
      if (restart) await this.apply(prefs);
      return { key: fresh };
    });
  }

  revokeKey(): Promise<{ key: string }> {
    return this.serial(async () => {
      const key = this.deps.generateKey();
      const prefs = { ...this.deps.prefs.read(), keyVerifier: keyVerifier(key) };
      this.deps.prefs.write(prefs);
      await this.apply(prefs);
      return { key };
    });
  }

  close(): Promise<void> {
    return this.serial(() => this.stop());
  }

  private async apply(prefs: ServerPrefs): Promise<void> {
    this.deps.setAllowedOrigins(prefs.allowedOrigins);
    await this.stop();
    if (!prefs.enabled) return;
    const shared = prefs.lanSharing && prefs.keyVerifier !== null;
    const host = shared ? '0.0.0.0' : '127.0.0.1';
    const lanKeyVerifier = shared ? (prefs.keyVerifier ?? undefined) : undefined;
    try {
      this.running = await this.deps.start({ host, port: prefs.port, lanKeyVerifier });
    } catch (error) {
      const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      throw new AppError(
        'CONFLICT',
        busy
          ? `Port ${prefs.port} is in use by another program`
          : `The API could not start: ${String(error)}`,
      );
    }
    const listening: ServerListening = {
      host,
      port: this.running.port,
      lanSharing: shared,
      lanUrls: shared ? this.deps.lanUrls(this.running.port) : [],
      keySet: shared,
    };
    this.deps.state.started(listening);
    await this.deps.announce?.(listening);
  }

  private async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    this.deps.state.stopped();
    if (running) await this.deps.announce?.(null);
    await running?.close();
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function definedOnly(change: ServerChange): Partial<ServerPrefs> {
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
}
