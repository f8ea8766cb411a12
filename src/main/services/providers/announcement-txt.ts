import { isIP } from 'node:net';
import type { DiscoveredHearth } from '../../../shared/contract/provider-insight';

/** The DNS-SD service type Hearth announces itself under (`_hearth._tcp.local`). */
export const HEARTH_SERVICE_TYPE = 'hearth';

/** What a Hearth says about itself on the LAN. Never a key, a path on disk, or a user name. */
export interface AnnouncementFacts {
  version: string;
  /** The machine's name, as people know it on the LAN. */
  machine: string;
  keyRequired: boolean;
  /** Where the OpenAI-compatible API is ('/v1'), or null when it is off (`--no-api`). */
  apiPath: string | null;
  /** A random id per running Hearth, so a browser can leave itself out (not a secret: it opens nothing). */
  instanceId: string;
}

const MAX_LABEL = 63;
const MAX_TXT_ENTRY = 255;
const MAX_TXT_ENTRIES = 16;
const MAX_TXT_BYTES = 1300;
const versionPattern = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/;
const instancePattern = /^[0-9a-f-]{8,64}$/;
// C0/C1 controls, bidi overrides and isolates, zero-width and BOM: they can disguise a name.
// eslint-disable-next-line no-control-regex
const unsafeChars = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** A name fit to show: no control or direction characters, one line, at most a DNS label long. */
export function cleanName(text: string): string {
  return [...text.replace(/\s+/g, ' ').replace(unsafeChars, '').trim()].slice(0, MAX_LABEL).join('');
}

/** The TXT record's key/value pairs. The person's key never goes here: only whether one is needed. */
export function announcementTxt(facts: AnnouncementFacts): Record<string, string> {
  const txt: Record<string, string> = {
    txtvers: '1',
    version: versionPattern.test(facts.version) ? facts.version : '0.0.0',
    machine: cleanName(facts.machine) || 'hearth',
    auth: facts.keyRequired ? 'key' : 'none',
    id: facts.instanceId,
  };
  if (facts.apiPath) txt.api = facts.apiPath;
  return txt;
}

/** The service instance name: unique per machine and port, so two Hearths on one box do not collide. */
export function announcementName(machine: string, port: number): string {
  const base = (cleanName(machine) || 'hearth').replace(/\./g, '-');
  return `Hearth on ${base}:${port}`.slice(0, MAX_LABEL);
}

/** An mDNS answer as the browser hands it over: every field is whatever some device sent. */
export interface FoundService {
  name: unknown;
  port: unknown;
  /** The address the answer came from. */
  refererAddress: unknown;
  /** Addresses from its A/AAAA records. */
  addresses: unknown;
  /** The TXT record's raw strings (each `key=value`). */
  rawTxt: unknown;
}

/**
 * Reads the TXT record strictly: at most 16 entries of at most 255 bytes, 1300 bytes in all, keys
 * known to Hearth only (others are ignored), never onto a plain object (no `__proto__` games).
 */
export function parseTxt(raw: unknown): Map<string, string> | undefined {
  if (!Array.isArray(raw) || raw.length > MAX_TXT_ENTRIES) return undefined;
  const known = new Set(['txtvers', 'version', 'machine', 'auth', 'api', 'id']);
  const found = new Map<string, string>();
  let total = 0;
  for (const entry of raw as unknown[]) {
    if (!Buffer.isBuffer(entry) && typeof entry !== 'string') return undefined;
    const bytes = Buffer.isBuffer(entry) ? entry : Buffer.from(entry);
    total += bytes.length;
    if (bytes.length > MAX_TXT_ENTRY || total > MAX_TXT_BYTES) return undefined;
    const text = bytes.toString('utf8');
    const eq = text.indexOf('=');
    if (eq <= 0) continue;
    const key = text.slice(0, eq).toLowerCase();
    // RFC 6763 §6.4: the first occurrence of a key wins.
    if (known.has(key) && !found.has(key)) found.set(key, text.slice(eq + 1));
  }
  return found;
}

/** The address to offer: the one the answer came from, never an address a record merely claims. */
function pickHost(service: FoundService): string | undefined {
  const referer = typeof service.refererAddress === 'string' ? service.refererAddress : '';
  const candidates = [referer];
  // Only without a referer (a fake or an odd stack) an announced IPv4 address stands in.
  if (!referer && Array.isArray(service.addresses))
    candidates.push(...(service.addresses as unknown[]).filter((a): a is string => typeof a === 'string'));
  for (const address of candidates) {
    const family = isIP(address);
    if (family === 4) return address;
    // A zone (%eth0) is meaningless on another machine; link-local IPv6 needs one, so it is skipped.
    if (family === 6 && !address.toLowerCase().startsWith('fe80')) return address;
  }
  return undefined;
}

/**
 * A found service as Hearth shows it, or undefined when it is not a Hearth announcement worth
 * showing (a bad port, no usable address, a TXT record over the limits).
 */
export function parseAnnouncement(
  service: FoundService,
): (DiscoveredHearth & { instanceId: string | null }) | undefined {
  const txt = parseTxt(service.rawTxt);
  if (!txt) return undefined;
  const port = service.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  const host = pickHost(service);
  if (!host) return undefined;
  const name = cleanName(txt.get('machine') ?? (typeof service.name === 'string' ? service.name : ''));
  if (!name) return undefined;
  const version = txt.get('version');
  const id = txt.get('id');
  return {
    name,
    host,
    port,
    baseUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    version: version && versionPattern.test(version) ? version : null,
    // Anything but an explicit "none" asks for a key: a wrong guess costs one prompt, not access.
    keyRequired: txt.get('auth') !== 'none',
    instanceId: id && instancePattern.test(id) ? id : null,
  };
}
