import type { FoundService } from '../../src/main/services/providers/announcement-txt';
import type { Mdns, MdnsAdvert } from '../../src/main/services/providers/lan-mdns';

/**
 * A LAN in memory: each `mdns()` is one machine's socket; what one publishes the others browse, the
 * way multicast DNS delivers it (a referer address per machine, TXT as raw `key=value` buffers).
 * `inject` puts any answer on the wire, as a hostile device could.
 */
export class FakeLan {
  private adverts = new Map<number, { advert: MdnsAdvert; address: string }>();
  private injected: FoundService[] = [];
  private nextId = 1;
  /** Sockets open now (each announcer or browser opens its own, and must close it). */
  open = 0;
  queries = 0;

  mdns(address = '192.0.2.10'): Mdns {
    this.open++;
    let destroyed = false;
    return {
      publish: (advert) => {
        if (destroyed) throw new Error('socket closed');
        const id = this.nextId++;
        this.adverts.set(id, { advert: structuredClone(advert), address });
        return async () => {
          this.adverts.delete(id);
        };
      },
      browse: (type) => ({
        services: () => [
          ...[...this.adverts.values()]
            .filter(({ advert }) => advert.type === type)
            .map(({ advert, address: from }) => ({
              name: advert.name,
              port: advert.port,
              refererAddress: from,
              addresses: [from],
              rawTxt: Object.entries(advert.txt).map(([k, v]) => Buffer.from(`${k}=${v}`)),
            })),
          ...this.injected,
        ],
        query: () => void this.queries++,
        stop: () => {},
      }),
      destroy: async () => {
        if (!destroyed) this.open--;
        destroyed = true;
      },
    };
  }

  inject(service: FoundService): void {
    this.injected.push(service);
  }

  /** What is announced now, as the network sees it. */
  announced(): MdnsAdvert[] {
    return [...this.adverts.values()].map((a) => a.advert);
  }
}
