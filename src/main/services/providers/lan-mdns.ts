import { Bonjour, type Service } from 'bonjour-service';
import type { FoundService } from './announcement-txt';

/** One service to announce. */
export interface MdnsAdvert {
  name: string;
  type: string;
  port: number;
  txt: Record<string, string>;
}

export interface MdnsBrowser {
  /** Every service of the type seen now (a service's goodbye removes it). */
  services(): FoundService[];
  /** Asks the network again (answers come later, through services()). */
  query(): void;
  stop(): void;
}

/**
 * Multicast DNS as Hearth uses it: announce one service, browse one type. An interface so tests
 * can run the announce and discovery logic over a fake network.
 */
export interface Mdns {
  /** Starts announcing; the returned function sends the goodbye and stops. */
  publish(advert: MdnsAdvert): () => Promise<void>;
  browse(type: string): MdnsBrowser;
  /** Closes the socket. */
  destroy(): Promise<void>;
}

/** What bonjour-service hands over, read without trusting its shape. */
function found(service: Service): FoundService {
  const loose = service as Service & { rawTxt?: unknown };
  return {
    name: service.name,
    port: service.port,
    refererAddress: service.referer?.address,
    addresses: service.addresses,
    rawTxt: loose.rawTxt,
  };
}

/**
 * The real network, through bonjour-service (multicast-dns underneath). The socket opens here, so
 * a Hearth that neither shares nor browses never listens on UDP 5353.
 */
export function bonjourMdns(log: (message: string) => void = () => {}): Mdns {
  // Without an error callback bonjour-service throws from a socket event and takes the process down.
  const bonjour = new Bonjour({}, (error: unknown) => log(`mdns: ${String(error)}`));
  return {
    publish(advert) {
      const service = bonjour.publish({ ...advert, protocol: 'tcp', disableIPv6: false });
      service.on('error', (error: unknown) => log(`mdns: announce failed: ${String(error)}`));
      return () =>
        new Promise<void>((resolve) => {
          // stop() sends the goodbye (TTL 0) and calls back once it is out (at once if never sent).
          const timer = setTimeout(resolve, 1000);
          service.stop(() => {
            clearTimeout(timer);
            resolve();
          });
        });
    },
    browse(type) {
      const browser = bonjour.find({ type, protocol: 'tcp' });
      return {
        services: () => {
          // Drops services whose TTL ran out without a goodbye (a machine that was switched off).
          browser.expire();
          return browser.services.map(found);
        },
        query: () => browser.update(),
        stop: () => browser.stop(),
      };
    },
    destroy: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        bonjour.destroy(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
