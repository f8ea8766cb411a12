import type { IncomingMessage } from 'node:http';
import type { LanAuth } from '../bindings/lan-auth';
import { sameSecret } from '../bindings/lan-key';
import { checkRequest, type AccessPolicy } from '../bindings/web-security';
import { ApiError } from './api-error';

/** What the web binding hands the API for each request: the same policy and key it checks itself. */
export interface ApiMountContext {
  policy: AccessPolicy;
  /** The LAN key's checker, when a key is set (always on the LAN, optional on loopback). */
  auth: LanAuth | undefined;
  /** Listening beyond loopback. */
  lan: boolean;
}

export interface GuardOptions {
  /** Browser origins allowed to call the API (exact scheme://host:port), from the user's list. */
  allowedOrigins: () => ReadonlySet<string>;
  /** The key with the admin scope: on the LAN, only it may pull or delete models. */
  adminKey?: string;
}

export type GuardResult =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; error: ApiError; headers: Record<string, string> };

/**
 * An origin as the user wrote it, normalized (scheme://host[:port]); "*" and "null" are never
 * accepted: a wildcard would let every page on the web drive the user's models.
 */
export function normalizeOrigin(origin: string): string {
  const trimmed = origin.trim();
  if (trimmed === '*' || trimmed === 'null') throw new Error(`"${trimmed}" is not an origin Hearth allows`);
  const url = new URL(trimmed);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${trimmed}: an allowed origin is http:// or https://`);
  return url.origin.toLowerCase();
}

function listedOrigin(req: IncomingMessage, options: GuardOptions): string | undefined {
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  try {
    const normalized = normalizeOrigin(origin);
    return options.allowedOrigins().has(normalized) ? origin : undefined;
  } catch {
    return undefined;
  }
}

/** CORS headers for a listed origin, naming it alone (never *, never an unlisted one). */
function corsHeaders(origin: string | undefined): Record<string, string> {
  if (!origin) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Expose-Headers': 'Retry-After',
    Vary: 'Origin',
  };
}

/** A preflight: answered for listed origins only; anyone else gets no CORS header at all. */
export function preflight(
  req: IncomingMessage,
  ctx: ApiMountContext,
  options: GuardOptions,
): { status: number; headers: Record<string, string> } {
  const origin = listedOrigin(req, options);
  const host = checkRequest({ headers: { host: req.headers.host } } as IncomingMessage, ctx.policy);
  if (!origin || !host.ok) return { status: 403, headers: {} };
  return {
    status: 204,
    headers: {
      ...corsHeaders(origin),
      'Access-Control-Allow-Methods': 'GET, POST, DELETE',
      // x-api-key and anthropic-*: Anthropic's SDK in a browser sends them.
      'Access-Control-Allow-Headers':
        'Authorization, Content-Type, X-Api-Key, Anthropic-Version, Anthropic-Beta, Anthropic-Dangerous-Direct-Browser-Access',
      'Access-Control-Max-Age': '600',
    },
  };
}

const bearerOf = (req: IncomingMessage): string | undefined =>
  /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];

/** Anthropic's clients send their key as x-api-key (Claude Code with ANTHROPIC_API_KEY). */
const apiKeyOf = (req: IncomingMessage): string | undefined => {
  const key = req.headers['x-api-key'];
  return typeof key === 'string' && key.trim() !== '' ? key.trim() : undefined;
};

/**
 * The one check every API request passes, built on the web binding's own: Host (DNS rebinding),
 * Origin (same origin, or one the user listed), the LAN key, the admin scope for what changes the
 * disk, and, for browsers, a JSON body (a "simple" text/plain or form POST never starts work).
 */
export function guardRequest(
  req: IncomingMessage,
  ctx: ApiMountContext,
  options: GuardOptions,
  admin: boolean,
): GuardResult {
  const origin = listedOrigin(req, options);
  const check = checkRequest(req, ctx.policy);
  // 403 is checkRequest's answer to a foreign Origin (the Host was fine): a listed origin may pass.
  if (!check.ok && !(check.status === 403 && origin)) {
    const code = check.status === 421 ? 'unknown_host' : 'cross_origin';
    return { ok: false, error: new ApiError(check.status, check.reason, code), headers: {} };
  }
  const headers = corsHeaders(origin);
  const fail = (status: number, message: string, code: string, extra: Record<string, string> = {}) =>
    ({ ok: false, error: new ApiError(status, message, code), headers: { ...headers, ...extra } }) as const;
  const adminKey = options.adminKey;
  const bearer = bearerOf(req);
  const apiKey = apiKeyOf(req);
  const given = bearer ?? apiKey;
  const isAdmin = adminKey !== undefined && given !== undefined && sameSecret(given, adminKey);
  if (!isAdmin && ctx.auth) {
    // x-api-key is the LAN key as a Bearer is, checked (and rate-limited when wrong) the same way.
    const allowed =
      bearer === undefined && apiKey !== undefined ? ctx.auth.checkLink(req, apiKey) : ctx.auth.check(req);
    if (!allowed.ok) {
      const extra: Record<string, string> =
        allowed.status === 429 ? { 'Retry-After': String(allowed.retryAfterS) } : {};
      return fail(
        allowed.status,
        allowed.message,
        allowed.status === 429 ? 'rate_limited' : 'invalid_api_key',
        extra,
      );
    }
  }
  if (admin && ctx.lan && !isAdmin)
    return fail(
      403,
      adminKey
        ? 'Pulling or deleting models over the network needs the admin key'
        : 'Pulling or deleting models over the network is off: start Hearth with an admin key to allow it',
      'admin_scope_required',
    );
  const method = req.method ?? 'GET';
  if (req.headers.origin !== undefined && method !== 'GET' && method !== 'HEAD') {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (!type.startsWith('application/json'))
      return fail(415, 'Content-Type must be application/json', 'unsupported_media_type');
  }
  return { ok: true, headers };
}
