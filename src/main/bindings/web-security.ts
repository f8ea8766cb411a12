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
  /**
   * Host names this server answers to (DNS-rebinding defence): loopback names and the bind address,
   * plus the machine's own addresses and names when shared on the LAN. Asked on each request, since
   * addresses change (DHCP, another network).
   */
  allowedHosts: () => ReadonlySet<string>;
  port: number;
}

/** Host header → name and port (80 when it names none, as HTTP says). */
function parseHost(hostHeader: string | undefined): { name: string; port: number } | undefined {
  if (!hostHeader) return undefined;
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostHeader);
  if (!match?.[1]) return undefined;
  return { name: match[1].toLowerCase(), port: match[2] === undefined ? 80 : Number(match[2]) };
}

function isSameOrigin(origin: string, policy: AccessPolicy): boolean {
  try {
    const url = new URL(origin);
    return (
      url.protocol === 'http:' &&
      Number(url.port || 80) === policy.port &&
      policy.allowedHosts().has(url.hostname.toLowerCase())
    );
  } catch {
    return false;
  }
}

/**
 * A request is ours when it names one of our hosts with our port, and, if it comes from a browser
 * page, that page is ours too.
 */
export function checkRequest(
  req: IncomingMessage,
  policy: AccessPolicy,
): { ok: true } | { ok: false; status: number; reason: string } {
  const host = parseHost(req.headers.host);
  if (!host || host.port !== policy.port || !policy.allowedHosts().has(host.name))
    return { ok: false, status: 421, reason: 'Unknown Host header' };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    // WHATWG URL keeps IPv6 brackets in hostname, matching the Host header form.
    if (!isSameOrigin(origin, policy))
      return { ok: false, status: 403, reason: 'Cross-origin requests are not allowed' };
  }
  return { ok: true };
}
