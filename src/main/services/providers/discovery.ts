import type { DiscoveredHearth } from '../../../shared/contract/provider-insight';
import { HEARTH_SERVICE_TYPE, parseAnnouncement } from './announcement-txt';
import type { Mdns, MdnsBrowser } from './lan-mdns';

export interface LanDiscoveryOptions {
  /** Opens the mDNS socket (bonjourMdns, or a fake in tests); only once someone asks. */
  mdns: () => Mdns;
  /** This Hearth's own announcement id: it is not "another Hearth". */
  ownInstanceId: string;
  /** How long browsing goes on after the last ask (the Providers page asks every few seconds). */
  leaseMs?: number;
  /** The first ask waits this long for the first answers. */
  firstWaitMs?: number;
  /** How often an ask sends the question again. */
  requeryMs?: number;
  now?: () => number;
}

/** Enough for any home or office; a flood of fake announcements cannot grow the list past it. */
const MAX_FOUND = 32;

/**
 * Browses for other Hearths while someone looks (a lease, like the monitor's): the socket opens on
 * the first ask and closes a while after the last. What it finds is hostile until proven otherwise:
 * parseAnnouncement checks each field, and nothing is added without the person.
 */
export class LanDiscovery {
  private browsing: { mdns: Mdns; browser: MdnsBrowser; queriedAt: number } | undefined;
  private starting: Promise<void> | undefined;
  private expiry: NodeJS.Timeout | undefined;

  constructor(private readonly options: LanDiscoveryOptions) {}

  async list(): Promise<DiscoveredHearth[]> {
    this.renewLease();
    if (!this.browsing) {
      this.starting ??= this.start();
      await this.starting;
    }
    const browsing = this.browsing;
    if (!browsing) return [];
    const now = this.now();
    if (now - browsing.queriedAt > (this.options.requeryMs ?? 10_000)) {
      browsing.queriedAt = now;
      browsing.browser.query();
    }
    return this.collect(browsing.browser);
  }

  /** Whether the socket is open (tests check it closes after the lease). */
  active(): boolean {
    return this.browsing !== undefined;
  }

  async close(): Promise<void> {
    clearTimeout(this.expiry);
    this.expiry = undefined;
    await this.starting;
    const browsing = this.browsing;
    this.browsing = undefined;
    if (!browsing) return;
    browsing.browser.stop();
    await browsing.mdns.destroy();
  }

  private async start(): Promise<void> {
    try {
      const mdns = this.options.mdns();
      const browser = mdns.browse(HEARTH_SERVICE_TYPE);
      this.browsing = { mdns, browser, queriedAt: this.now() };
      // Answers come within a second or so on a LAN; the page asks again for late ones.
      await new Promise((resolve) => setTimeout(resolve, this.options.firstWaitMs ?? 1500));
    } finally {
      this.starting = undefined;
    }
  }

  private collect(browser: MdnsBrowser): DiscoveredHearth[] {
    const byUrl = new Map<string, DiscoveredHearth>();
    for (const service of browser.services().slice(0, 4 * MAX_FOUND)) {
      const parsed = parseAnnouncement(service);
      if (!parsed || parsed.instanceId === this.options.ownInstanceId) continue;
      const { instanceId: _id, ...hearth } = parsed;
      if (!byUrl.has(hearth.baseUrl)) byUrl.set(hearth.baseUrl, hearth);
      if (byUrl.size >= MAX_FOUND) break;
    }
    return [...byUrl.values()].sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port);
  }

  private renewLease(): void {
    clearTimeout(this.expiry);
    this.expiry = setTimeout(() => void this.close(), this.options.leaseMs ?? 60_000);
    this.expiry.unref();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
