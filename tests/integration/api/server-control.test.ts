import { afterEach, describe, expect, it } from 'vitest';
import { RequestLog } from '../../../src/main/api/request-log';
import { defaultServerPrefs, ServerControl, type ServerPrefs } from '../../../src/main/api/server-control';
import { ServerState } from '../../../src/main/api/server-state';
import { generateLanKey, keyVerifier } from '../../../src/main/bindings/lan-key';
import { startWebBinding } from '../../../src/main/bindings/web';
import { EventBus } from '../../../src/main/events/event-bus';
import { makeTempDir } from '../../helpers/temp-dir';

/** The desktop API switches over a real web binding (a stub router: the key check is the binding's). */
describe('ServerControl', () => {
  const dir = makeTempDir();
  const controls: ServerControl[] = [];
  afterEach(async () => {
    await Promise.all(controls.splice(0).map((c) => c.close()));
  });

  function setup(initial: Partial<ServerPrefs> = {}) {
    let prefs: ServerPrefs = { ...defaultServerPrefs, port: 0, ...initial };
    const state = new ServerState({ log: new RequestLog(), controlledBy: 'app' });
    const control = new ServerControl({
      state,
      prefs: { read: () => prefs, write: (next) => (prefs = next) },
      start: (options) =>
        startWebBinding({
          router: { invoke: async () => ({ ok: true, value: 'pong' }) },
          events: new EventBus(),
          rendererDir: dir.path,
          keyAttempts: { freeFailures: 100 },
          ...options,
        }),
      generateKey: generateLanKey,
      setAllowedOrigins: () => {},
      lanUrls: (port) => [`http://192.0.2.1:${port}/v1`],
    });
    state.attach(control);
    controls.push(control);
    return { state, control, prefs: () => prefs };
  }

  const call = (port: number, key?: string) =>
    fetch(`http://127.0.0.1:${port}/api/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(key ? { Authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ route: 'app.info' }),
    }).then((r) => r.status);

  it('refuses over HTTP the routes only the desktop window may call, whatever the router would say', async () => {
    // Anyone with the LAN key could otherwise turn sharing off or revoke the key for everyone.
    const { state, control } = setup({ enabled: true });
    await control.restore();
    const port = state.status().port!;
    for (const route of ['server.configure', 'server.revokeKey']) {
      const res = await fetch(`http://127.0.0.1:${port}/api/invoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ route, input: {} }),
      });
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await call(port)).toBe(200);
  });

  it('is off by default, and on it listens on loopback without a key', async () => {
    const { state, control } = setup();
    await control.restore();
    expect(state.status().running).toBe(false);
    const { key } = await control.configure({ enabled: true });
    expect(key).toBeNull();
    const status = state.status();
    expect(status).toMatchObject({ running: true, host: '127.0.0.1', lanSharing: false, keySet: false });
    expect(await call(status.port!)).toBe(200);
    await control.configure({ enabled: false });
    expect(state.status().running).toBe(false);
  });

  it('shares on the LAN with a key shown once, and a revoked key is refused', async () => {
    const { state, control, prefs } = setup({ enabled: true });
    const { key } = await control.configure({ lanSharing: true });
    expect(key).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const status = state.status();
    expect(status).toMatchObject({ host: '0.0.0.0', lanSharing: true, keySet: true });
    expect(status.lanUrls).toEqual([`http://192.0.2.1:${status.port}/v1`]);
    expect(JSON.stringify(status)).not.toContain(key!);
    expect(await call(status.port!)).toBe(401);
    expect(await call(status.port!, key!)).toBe(200);
    // Toggling again keeps the same key and never shows it a second time.
    expect((await control.configure({ lanSharing: true })).key).toBeNull();
    // Only the key's verifier is stored: a copy of the settings does not give the key away.
    expect(prefs().keyVerifier).toBe(keyVerifier(key!));
    expect(JSON.stringify(prefs())).not.toContain(key!);

    const revoked = await control.revokeKey();
    expect(revoked.key).not.toBe(key);
    const port = state.status().port!;
    expect(await call(port, key!)).toBe(401);
    expect(await call(port, revoked.key)).toBe(200);
  });

  it('keeps clients working across a restart, from the stored verifier alone', async () => {
    const { state, control } = setup({ enabled: true });
    const { key } = await control.configure({ lanSharing: true });
    await control.close();
    await control.restore();
    const port = state.status().port!;
    expect(await call(port, key!)).toBe(200);
    expect(await call(port, `${key!}x`)).toBe(401);
  });

  it('comes back on at launch as the person left it', async () => {
    const { state, control } = setup({ enabled: true });
    await control.restore();
    expect(state.status().running).toBe(true);
  });

  it('refuses the switches when the command line decides', async () => {
    const state = new ServerState({ log: new RequestLog(), controlledBy: 'command-line' });
    await expect(state.configure({ enabled: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(state.revokeKey()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
