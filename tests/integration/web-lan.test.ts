import { mkdirSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHearthApp, type HearthApp } from '../../src/main/app/hearth-app';
import { generateLanKey } from '../../src/main/bindings/lan-key';
import { startWebBinding, type WebBinding } from '../../src/main/bindings/web';
import { sourceEngineLauncher } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';
import { rawRequest } from '../helpers/raw-http';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Hearth shared on the LAN (listening on 0.0.0.0). Every request goes to 127.0.0.1: a real LAN
 * client is played by the Host header it would send, naming the fake addresses the server is given.
 */
describe('web binding shared on the LAN', () => {
  const dir = makeTempDir();
  const key = generateLanKey();
  let app: HearthApp;
  let web: WebBinding;
  let now = 1_000_000;
  const rendererDir = join(dir.path, 'renderer');

  beforeAll(async () => {
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hearth</title>');
    app = createHearthApp({
      dataDir: join(dir.path, 'data'),
      runtime: { runtime: 'server', version: '9.9.9', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      heartbeatMs: 50,
      externalRoots: null,
      log: () => {},
    });
    web = await startWebBinding({
      router: app.router,
      events: app.events,
      rendererDir,
      host: '0.0.0.0',
      port: 0,
      lanKey: key,
      machineNames: {
        addresses: () => ['127.0.0.1', '192.168.1.20', 'fe80::1%eth0'],
        hostname: () => 'den-pc',
      },
      keyAttempts: { freeFailures: 3, baseDelayMs: 2000, now: () => now },
    });
  });
  afterAll(async () => {
    await web.close();
    await app.close();
    dir.cleanup();
  });

  /** One HTTP request to 127.0.0.1 with the headers a LAN browser or script would send. */
  const send = (
    options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Reply> =>
    rawRequest(`http://127.0.0.1:${web.port}`, {
      ...options,
      headers: { Host: `192.168.1.20:${web.port}`, ...options.headers },
    });
  const invoke = (headers: Record<string, string>, path = '/api/invoke') =>
    send({
      method: 'POST',
      path,
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ route: 'app.info' }),
    });
  const bearer = { Authorization: `Bearer ${key}` };
  const upgrade = (headers: Record<string, string>, path = '/api/events') =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${web.port}${path}`, {
        headers: { Host: `192.168.1.20:${web.port}`, ...headers },
      });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(0));
    });

  it("answers to the machine's own addresses and names with its port, and to nothing else", async () => {
    for (const host of [
      `192.168.1.20:${web.port}`,
      `den-pc:${web.port}`,
      `den-pc.local:${web.port}`,
      `[fe80::1]:${web.port}`,
      `127.0.0.1:${web.port}`,
    ])
      expect((await send({ headers: { Host: host } })).status, host).toBe(200);
    for (const host of [
      `192.168.1.21:${web.port}`,
      `evil.example:${web.port}`,
      `192.168.1.20:${web.port + 1}`,
      '192.168.1.20',
      `den-pc.evil.example:${web.port}`,
      `192.168.1.20.nip.io:${web.port}`,
    ])
      expect((await send({ headers: { Host: host } })).status, host).toBe(421);
    // A page served from the LAN address may call the API; one from elsewhere may not.
    const fromPage = await invoke({ ...bearer, Origin: `http://192.168.1.20:${web.port}` });
    expect(fromPage.status).toBe(200);
    const fromOtherPort = await invoke({ ...bearer, Origin: `http://192.168.1.20:${web.port + 1}` });
    expect(fromOtherPort.status).toBe(403);
  });

  // A client on another machine is played by connecting to this machine's own LAN address.
  const lanAddress = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(lanAddress === undefined)(
    'lets only a client on this computer add, change or remove providers (no fetching for the LAN)',
    async () => {
      const addProvider = (origin: string) =>
        rawRequest(origin, {
          method: 'POST',
          path: '/api/invoke',
          headers: { ...bearer, Host: `192.168.1.20:${web.port}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            route: 'providers.add',
            input: { kind: 'openai', baseUrl: 'http://10.0.0.1:1/v1' },
          }),
        });
      const fromLan = JSON.parse((await addProvider(`http://${lanAddress}:${web.port}`)).body);
      expect(fromLan).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(fromLan.error.message).toContain('only on the computer running Hearth');
      // The same call from this computer is tried (and fails on the unreachable address instead).
      const fromHere = JSON.parse((await addProvider(`http://127.0.0.1:${web.port}`)).body);
      expect(fromHere.error?.code).not.toBe('FORBIDDEN');
      // Reading stays open to key holders.
      const list = await rawRequest(`http://${lanAddress}:${web.port}`, {
        method: 'POST',
        path: '/api/invoke',
        headers: { ...bearer, Host: `192.168.1.20:${web.port}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ route: 'providers.list' }),
      });
      expect(JSON.parse(list.body)).toMatchObject({ ok: true });
    },
  );

  it('takes the key as a Bearer header, never from the URL of an API call or the WebSocket', async () => {
    expect((await invoke(bearer)).status).toBe(200);
    expect(JSON.parse((await invoke(bearer)).body)).toMatchObject({ ok: true, value: { name: 'Hearth' } });
    const inQuery = await invoke({}, `/api/invoke?key=${key}`);
    expect(inQuery.status).toBe(401);
    expect(JSON.parse(inQuery.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await upgrade({}, `/api/events?key=${key}`)).toBe(401);
    expect(await upgrade(bearer)).toBe(101);
  });

  it('trades the shared link for an HttpOnly SameSite=Strict cookie once, and sends the browser to a clean URL', async () => {
    const opened = await send({ path: `/?key=${encodeURIComponent(key)}` });
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/');
    expect(opened.headers['cache-control']).toBe('no-store');
    const setCookie = String(opened.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(key);
    const cookie = setCookie.split(';')[0]!;
    // The page's API calls and its WebSocket carry the cookie, and nothing else.
    expect((await invoke({ Cookie: cookie })).status).toBe(200);
    expect(await upgrade({ Cookie: cookie })).toBe(101);
    // Other cookies beside it do not confuse it; a forged one does not pass.
    expect((await invoke({ Cookie: `theme=dark; ${cookie}; x=1` })).status).toBe(200);
    const forged = await invoke({ Cookie: `${cookie.split('=')[0]}=${'A'.repeat(43)}` });
    expect(forged.status).toBe(401);
    // A stale cookie is dropped, so the browser stops sending it.
    expect(String(forged.headers['set-cookie'])).toMatch(/Max-Age=0/);
  });

  it('answers a link with a wrong key without a cookie, and never redirects elsewhere', async () => {
    const wrong = await send({ path: `/?key=${generateLanKey()}` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    for (const path of [
      `//evil.example/?key=${key}`,
      `/.//evil.example/?key=${key}`,
      `/chat/1?key=${key}&next=//evil.example`,
    ]) {
      const res = await send({ path });
      expect(res.status, path).toBe(303);
      expect(res.headers.location, path).toBe('/');
    }
  });

  it('slows down a client that keeps sending wrong keys, and lets it in again later', async () => {
    const cookie = String((await send({ path: `/?key=${key}` })).headers['set-cookie']).split(';')[0]!;
    const wrong = { Authorization: `Bearer ${generateLanKey()}` };
    for (let i = 0; i < 3; i++) expect((await invoke(wrong)).status).toBe(401);
    const limited = await invoke(wrong);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(JSON.parse(limited.body)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // While it waits, no key it sends is looked at: not the right one, not in a link, not on the WebSocket.
    expect((await invoke(bearer)).status).toBe(429);
    expect((await send({ path: `/?key=${key}` })).status).toBe(429);
    expect(await upgrade(bearer)).toBe(429);
    // A browser that already holds its cookie is not locked out by someone guessing.
    expect((await invoke({ Cookie: cookie })).status).toBe(200);
    now += 2000;
    expect((await invoke(bearer)).status).toBe(200);
    // The right key wiped the count: wrong keys are free again, up to the limit.
    expect((await invoke(wrong)).status).toBe(401);
    expect((await invoke(wrong)).status).toBe(401);
  });
});
