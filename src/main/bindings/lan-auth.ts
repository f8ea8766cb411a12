import type { IncomingMessage } from 'node:http';
import { KeyAttempts, type KeyAttemptsOptions } from './key-attempts';
import { cookieToken, keyVerifier, sameSecret } from './lan-key';

/** Cookies are shared by every port of a host: the name carries ours, so two Hearths do not clash. */
export const cookieName = (port: number): string => `hearth_key_${port}`;

/** The cookie's lifetime: a laptop stays signed in for a month (a new generated key ends it sooner). */
const cookieMaxAgeS = 30 * 24 * 60 * 60;

export type AuthResult =
  | { ok: true }
  /** clearCookie: a Set-Cookie header dropping a stale cookie, when the request sent one. */
  | { ok: false; status: 401; message: string; clearCookie?: string }
  | { ok: false; status: 429; message: string; retryAfterS: number };

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The LAN key, over HTTP. API clients send `Authorization: Bearer <key>`; a browser opens the
 * shared link (`/?key=…`) once, which trades the key for an HttpOnly, SameSite=Strict cookie, so
 * the key is never again in a URL (logs, history). Wrong keys slow their sender down.
 */
export class LanAuth {
  private readonly attempts: KeyAttempts;
  /** Only the key's verifier is held: the key itself need not be kept anywhere. */
  private readonly verifier: string;
  private readonly token: string;

  constructor(
    /** The key, or `{ verifier }` (keyVerifier of it) when only that was stored. */
    key: string | { verifier: string },
    private readonly port: () => number,
    attempts: KeyAttemptsOptions = {},
  ) {
    this.attempts = new KeyAttempts(attempts);
    this.verifier = typeof key === 'string' ? keyVerifier(key) : key.verifier;
    this.token = cookieToken(this.verifier);
  }

  private waiting(address: string): AuthResult | undefined {
    const waitMs = this.attempts.waitMs(address);
    if (waitMs <= 0) return undefined;
    return {
      ok: false,
      status: 429,
      message: 'Too many wrong keys: wait and try again',
      retryAfterS: Math.ceil(waitMs / 1000),
    };
  }

  /** Checks a key a client gave, counting it against the client when it is wrong. */
  private tryKey(address: string, given: string): AuthResult {
    const waiting = this.waiting(address);
    if (waiting) return waiting;
    if (sameSecret(keyVerifier(given), this.verifier)) {
      this.attempts.succeeded(address);
      return { ok: true };
    }
    this.attempts.failed(address);
    return { ok: false, status: 401, message: 'Wrong LAN key' };
  }

  /** API calls and the WebSocket: the cookie a shared link set, or a Bearer key. */
  check(req: IncomingMessage): AuthResult {
    const address = req.socket.remoteAddress ?? '';
    const cookie = cookieValue(req, cookieName(this.port()));
    // A cookie cannot be guessed (256 bits): a wrong one is stale, from a key Hearth no longer has.
    if (cookie !== undefined && sameSecret(cookie, this.token)) return { ok: true };
    const bearer = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return this.tryKey(address, bearer);
    return {
      ok: false,
      status: 401,
      message:
        cookie === undefined
          ? 'A LAN key is required: open the link Hearth printed, or send Authorization: Bearer <key>'
          : 'This browser holds an old key: open the link Hearth printed now',
      clearCookie: cookie === undefined ? undefined : this.clearCookieHeader(),
    };
  }

  /** The shared link's key (GET /?key=…), checked like any other; the caller sets the cookie and redirects. */
  checkLink(req: IncomingMessage, given: string): AuthResult {
    return this.tryKey(req.socket.remoteAddress ?? '', given);
  }

  setCookieHeader(): string {
    return `${cookieName(this.port())}=${this.token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${cookieMaxAgeS}`;
  }

  private clearCookieHeader(): string {
    return `${cookieName(this.port())}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }
}
