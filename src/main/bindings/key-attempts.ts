export interface KeyAttemptsOptions {
  /** Wrong keys a client may send before it has to wait. */
  freeFailures?: number;
  /** The first wait; each further wrong key doubles it, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Clients remembered at once: the one idle longest is forgotten first, so memory stays bounded. */
  maxClients?: number;
  /** A client's wrong keys are forgotten after this long without another. */
  forgetAfterMs?: number;
  now?: () => number;
}

interface Attempts {
  failures: number;
  blockedUntil: number;
  lastAt: number;
}

/** One client per IPv4 address, per /64 for IPv6 (a home network gives each device a whole /64). */
export function clientOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return mapped;
  if (!address.includes(':')) return address;
  const [head = '', tail] = (address.split('%')[0] ?? '').toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Slows down key guessing: after a few wrong keys a client waits, longer after each further one. */
export class KeyAttempts {
  private readonly clients = new Map<string, Attempts>();
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxClients: number;
  private readonly forgetAfterMs: number;
  private readonly now: () => number;

  constructor(options: KeyAttemptsOptions = {}) {
    this.freeFailures = options.freeFailures ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.maxClients = options.maxClients ?? 1000;
    this.forgetAfterMs = options.forgetAfterMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  private current(client: string): Attempts | undefined {
    const record = this.clients.get(client);
    if (record && this.now() - record.lastAt > this.forgetAfterMs) {
      this.clients.delete(client);
      return undefined;
    }
    return record;
  }

  /** Milliseconds this address must wait before its next key is even looked at; 0 when it may try. */
  waitMs(address: string): number {
    const record = this.current(clientOf(address));
    return record ? Math.max(0, record.blockedUntil - this.now()) : 0;
  }

  failed(address: string): void {
    const client = clientOf(address);
    const record = this.current(client) ?? { failures: 0, blockedUntil: 0, lastAt: 0 };
    record.failures += 1;
    record.lastAt = this.now();
    const over = record.failures - this.freeFailures;
    if (over >= 0) record.blockedUntil = this.now() + Math.min(this.baseDelayMs * 2 ** over, this.maxDelayMs);
    // Re-inserted last: the Map's first entry is always the client idle longest.
    this.clients.delete(client);
    if (this.clients.size >= this.maxClients) {
      const oldest = this.clients.keys().next().value;
      if (oldest !== undefined) this.clients.delete(oldest);
    }
    this.clients.set(client, record);
  }

  succeeded(address: string): void {
    this.clients.delete(clientOf(address));
  }

  /** Clients remembered now (tests check the bound). */
  get size(): number {
    return this.clients.size;
  }
}
