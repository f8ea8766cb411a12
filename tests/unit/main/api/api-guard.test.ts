import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { guardRequest, normalizeOrigin, type ApiMountContext } from '../../../../src/main/api/api-guard';
import { LanAuth } from '../../../../src/main/bindings/lan-auth';
import { generateLanKey } from '../../../../src/main/bindings/lan-key';

const port = 7860;
const userKey = generateLanKey();
const adminKey = generateLanKey();

function req(headers: Record<string, string>, method = 'POST'): IncomingMessage {
  return {
    method,
    headers: {
      host: `192.168.1.20:${port}`,
      ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    },
    socket: { remoteAddress: '192.168.1.30' },
  } as unknown as IncomingMessage;
}

const lan: ApiMountContext = {
  policy: { allowedHosts: () => new Set(['127.0.0.1', '192.168.1.20']), port },
  auth: new LanAuth(userKey, () => port, { freeFailures: 100 }),
  lan: true,
};
const options = { allowedOrigins: () => new Set<string>(), adminKey };

describe('API guard on the LAN', () => {
  it('lets the user key generate, but only the admin key pull or delete', () => {
    const user = req({ Authorization: `Bearer ${userKey}` });
    const admin = req({ Authorization: `Bearer ${adminKey}` });
    expect(guardRequest(user, lan, options, false).ok).toBe(true);
    expect(guardRequest(admin, lan, options, false).ok).toBe(true);
    expect(guardRequest(admin, lan, options, true).ok).toBe(true);
    const refused = guardRequest(user, lan, options, true);
    expect(refused).toMatchObject({ ok: false, error: { status: 403, code: 'admin_scope_required' } });
    // Without an admin key configured, nobody on the LAN changes the disk.
    const none = guardRequest(user, lan, { ...options, adminKey: undefined }, true);
    expect(none).toMatchObject({ ok: false, error: { status: 403 } });
    // A wrong key is a wrong key, admin route or not.
    expect(guardRequest(req({ Authorization: 'Bearer nope' }), lan, options, true)).toMatchObject({
      ok: false,
      error: { status: 401 },
    });
  });

  it('allows admin routes on loopback with the key Hearth runs with', () => {
    const loopback = { ...lan, lan: false };
    expect(guardRequest(req({ Authorization: `Bearer ${userKey}` }), loopback, options, true).ok).toBe(true);
  });

  it('never accepts * or null as an allowed origin', () => {
    expect(() => normalizeOrigin('*')).toThrow();
    expect(() => normalizeOrigin('null')).toThrow();
    expect(() => normalizeOrigin('file:///x')).toThrow();
    expect(normalizeOrigin('HTTP://LocalHost:3000/')).toBe('http://localhost:3000');
  });
});
