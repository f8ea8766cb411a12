import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The policy the served renderer runs under (the Electron window uses the same one). */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export const isLoopback = (host: string): boolean => loopbackHosts.has(host) || host.startsWith('127.');

export interface AccessPolicy {
  /** Host names this server answers to (DNS-rebinding defence): loopback names, plus the LAN address when opted in. */
  allowedHosts: Set<string>;
  port: number;
  /** Required on every API call when the server listens beyond loopback. */
  key?: string;
}

function hostName(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  return match?.[1]?.toLowerCase();
}

function isSameOrigin(origin: string, policy: AccessPolicy): boolean {
  try {
    const url = new URL(origin);
    return (
      url.protocol === 'http:' &&
      url.port === String(policy.port) &&
      policy.allowedHosts.has(url.hostname.toLowerCase())
    );
  } catch {
    return false;
  }
}

/** A request is ours when it names our host, and, if it comes from a browser page, that page is ours too. */
export function checkRequest(
  req: IncomingMessage,
  policy: AccessPolicy,
): { ok: true } | { ok: false; status: number; reason: string } {
  const host = hostName(req.headers.host);
  if (!host || !policy.allowedHosts.has(host))
    return { ok: false, status: 421, reason: 'Unknown Host header' };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    // WHATWG URL keeps IPv6 brackets in hostname, matching the Host header form.
    if (!isSameOrigin(origin, policy))
      return { ok: false, status: 403, reason: 'Cross-origin requests are not allowed' };
  }
  return { ok: true };
}

/** Key check for LAN mode: `Authorization: Bearer <key>` or `?key=` (WebSocket upgrades cannot set headers). */
export function hasKey(req: IncomingMessage, key: string | undefined): boolean {
  if (!key) return true;
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const fromQuery = new URL(req.url ?? '/', 'http://x').searchParams.get('key') ?? undefined;
  const given = bearer ?? fromQuery;
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}
