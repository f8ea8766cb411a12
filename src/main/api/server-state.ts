import { AppError, type ServerStatus } from '../../shared/contract';
import type { RequestLog, RequestLogEntry } from './request-log';

/** Where the binding that mounts the API listens, once it does. */
export interface ServerListening {
  host: string;
  port: number;
  /** Listening beyond loopback, and the API base URLs other machines use. */
  lanSharing: boolean;
  lanUrls: string[];
  /** Whether clients must send a key (the key stays with the binding). */
  keySet: boolean;
}

/** What the desktop Server page may change. */
export interface ServerChange {
  enabled?: boolean;
  lanSharing?: boolean;
  port?: number;
  allowedOrigins?: string[];
}

/** What the desktop app's on/off and LAN switches drive (the Electron shell attaches it). */
export interface ServerSwitches {
  configure(change: ServerChange): Promise<{ key: string | null }>;
  revokeKey(): Promise<{ key: string }>;
}

export type ServerChangeResult = { status: ServerStatus; key: string | null };

export interface ServerStateOptions {
  log: RequestLog;
  controlledBy: ServerStatus['controlledBy'];
  /** Read on each status: the desktop page can change them. */
  allowedOrigins?: () => string[];
  adminKeySet?: boolean;
}

const wildcard = new Set(['0.0.0.0', '::', '[::]']);

/** The URL this machine itself uses: a wildcard bind is reached over loopback. */
export function localApiBase(host: string, port: number): string {
  const name = wildcard.has(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}/v1`;
}

/** What the Server page shows: the API's address, sharing and settings, never a key. */
export class ServerState {
  private listening: ServerListening | null = null;
  private switches: ServerSwitches | undefined;

  constructor(private readonly options: ServerStateOptions) {}

  started(listening: ServerListening): void {
    this.listening = listening;
  }

  stopped(): void {
    this.listening = null;
  }

  status(): ServerStatus {
    const on = this.listening;
    return {
      running: on !== null,
      controlledBy: this.options.controlledBy,
      host: on?.host ?? null,
      port: on?.port ?? null,
      baseUrl: on ? localApiBase(on.host, on.port) : null,
      lanUrls: on?.lanUrls ?? [],
      lanSharing: on?.lanSharing ?? false,
      allowedOrigins: this.options.allowedOrigins?.() ?? [],
      keySet: on?.keySet ?? false,
      adminKeySet: this.options.adminKeySet ?? false,
    };
  }

  attach(switches: ServerSwitches): void {
    this.switches = switches;
  }

  async configure(change: ServerChange): Promise<ServerChangeResult> {
    const { key } = await this.control().configure(change);
    return { status: this.status(), key };
  }

  async revokeKey(): Promise<ServerChangeResult> {
    const { key } = await this.control().revokeKey();
    return { status: this.status(), key };
  }

  private control(): ServerSwitches {
    if (this.options.controlledBy === 'command-line' || !this.switches)
      throw new AppError(
        'FORBIDDEN',
        'The hearth serve command line decides the API: restart it to change this',
      );
    return this.switches;
  }

  requests(): RequestLogEntry[] {
    return this.options.log.list();
  }
}
