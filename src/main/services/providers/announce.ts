import { hostname } from 'node:os';
import { announcementName, announcementTxt, HEARTH_SERVICE_TYPE } from './announcement-txt';
import type { Mdns } from './lan-mdns';

/** How this Hearth is shared right now: announced only while it is, never while it listens on loopback. */
export interface LanSharing {
  port: number;
  keyRequired: boolean;
  /** Whether the OpenAI/Ollama API is mounted (under /v1 and /api). */
  api: boolean;
}

export interface LanAnnouncerOptions {
  /** Opens the mDNS socket (bonjourMdns, or a fake in tests); called only once there is something to announce. */
  mdns: () => Mdns;
  version: string;
  instanceId: string;
  /** The machine's name people see (its host name by default). */
  machineName?: () => string;
  log?: (message: string) => void;
}

const same = (a: LanSharing | null, b: LanSharing | null): boolean =>
  a === b ||
  (a !== null && b !== null && a.port === b.port && a.keyRequired === b.keyRequired && a.api === b.api);

/**
 * Announces `_hearth._tcp` while LAN sharing is on, and says goodbye (and closes the socket) when it
 * goes off. The announcement carries the version, the machine's name, whether a key is needed and
 * the API's path: never the key.
 */
export class LanAnnouncer {
  private current: LanSharing | null = null;
  private active: { mdns: Mdns; stop: () => Promise<void> } | undefined;
  /** One change at a time: a quick off/on must not leave two announcements. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: LanAnnouncerOptions) {}

  /** What is announced now (null: nothing). */
  sharing(): LanSharing | null {
    return this.current;
  }

  set(sharing: LanSharing | null): Promise<void> {
    const next = this.queue.then(() => this.apply(sharing));
    this.queue = next.catch((error: unknown) => this.options.log?.(`mdns: ${String(error)}`));
    return this.queue;
  }

  close(): Promise<void> {
    return this.set(null);
  }

  private async apply(sharing: LanSharing | null): Promise<void> {
    if (same(sharing, this.current)) return;
    await this.withdraw();
    if (!sharing) return;
    const machine = (this.options.machineName ?? (() => hostname().split('.')[0] ?? 'hearth'))();
    const mdns = this.options.mdns();
    try {
      const stop = mdns.publish({
        name: announcementName(machine, sharing.port),
        type: HEARTH_SERVICE_TYPE,
        port: sharing.port,
        txt: announcementTxt({
          version: this.options.version,
          machine,
          keyRequired: sharing.keyRequired,
          apiPath: sharing.api ? '/v1' : null,
          instanceId: this.options.instanceId,
        }),
      });
      this.active = { mdns, stop };
      this.current = sharing;
    } catch (error) {
      await mdns.destroy();
      throw error;
    }
  }

  private async withdraw(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    this.current = null;
    if (!active) return;
    await active.stop();
    await active.mdns.destroy();
  }
}
