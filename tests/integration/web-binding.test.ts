import { request } from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHearthApp, type HearthApp } from '../../src/main/app/hearth-app';
import { startWebBinding, type WebBinding } from '../../src/main/bindings/web';
import { sourceEngineLauncher } from '../helpers/engine';
import { rawRequest } from '../helpers/raw-http';
import { makeTempDir } from '../helpers/temp-dir';

/** A raw HTTP request, so tests can send the headers a browser or an attacker would. */
const raw = rawRequest;

describe('web binding (HTTP + WebSocket on 127.0.0.1)', () => {
  const dir = makeTempDir();
  let app: HearthApp;
  let web: WebBinding;
  const rendererDir = join(dir.path, 'renderer');

  beforeAll(async () => {
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hearth</title>');
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir.path, 'secret.txt'), 'secret');
    app = createHearthApp({
      dataDir: join(dir.path, 'data'),
      runtime: { runtime: 'server', version: '9.9.9', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      heartbeatMs: 50,
      externalRoots: null,
      log: () => {},
    });
    web = await startWebBinding({ router: app.router, events: app.events, rendererDir, port: 0 });
  });
  afterAll(async () => {
    await web.close();
    await app.close();
    dir.cleanup();
  });

  const invoke = (route: string, input?: unknown) =>
    fetch(new URL('/api/invoke', web.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ route, input }),
    }).then((r) => r.json());

  it('listens on loopback only, on the port it was given', () => {
    expect(web.host).toBe('127.0.0.1');
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/`);
  });

  it('answers app.info from the real services', async () => {
    expect(await invoke('app.info')).toMatchObject({
      ok: true,
      value: { name: 'Hearth', version: '9.9.9', runtime: 'server', dataDir: join(dir.path, 'data') },
    });
  });

  it('returns contract errors for unknown routes and bad input', async () => {
    expect(await invoke('files.read', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_ROUTE' },
    });
    expect(await invoke('settings.update', { theme: 7 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' },
    });
    const res = await raw(web.url, {
      method: 'POST',
      path: '/api/invoke',
      headers: { 'Content-Type': 'application/json' },
      body: '{oops',
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('pushes events over the WebSocket', async () => {
    const ws = new WebSocket(new URL('/api/events', web.url.replace('http', 'ws')));
    const message = await new Promise<{ name: string; payload: { at: number } }>((resolve, reject) => {
      ws.on('message', (data) => resolve(JSON.parse(String(data))));
      ws.on('error', reject);
    });
    ws.close();
    expect(message.name).toBe('app.heartbeat');
    expect(message.payload.at).toBeGreaterThan(0);
  });

  it('serves the renderer with a strict CSP, and app routes fall back to index.html', async () => {
    const page = await raw(web.url, { path: '/chat/42' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Hearth</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await raw(web.url, { path: '/assets/missing.js' })).status).toBe(404);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await raw(web.url, { path });
      expect(res.body).not.toContain('secret');
    }
  });

  it('refuses other Host names (DNS rebinding) and other origins (cross-site requests)', async () => {
    const rebinding = await raw(web.url, { headers: { Host: `evil.example:${web.port}` } });
    expect(rebinding.status).toBe(421);
    const crossSite = await raw(web.url, {
      method: 'POST',
      path: '/api/invoke',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
      body: JSON.stringify({ route: 'app.info' }),
    });
    expect(crossSite.status).toBe(403);
    const simpleForm = await raw(web.url, {
      method: 'POST',
      path: '/api/invoke',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ route: 'settings.update', input: { theme: 'dark' } }),
    });
    expect(simpleForm.status).toBe(415);
    expect(await invoke('settings.get')).toMatchObject({ value: { theme: 'system' } });
    const sameOrigin = await raw(web.url, {
      method: 'POST',
      path: '/api/invoke',
      headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${web.port}` },
      body: JSON.stringify({ route: 'app.info' }),
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('refuses WebSocket upgrades from other origins', async () => {
    const ws = new WebSocket(new URL('/api/events', web.url.replace('http', 'ws')), {
      origin: 'https://evil.example',
    });
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });

  it('answers only to its own port: a Host naming another port is refused', async () => {
    expect((await raw(web.url, { headers: { Host: `localhost:${web.port}` } })).status).toBe(200);
    expect((await raw(web.url, { headers: { Host: `[::1]:${web.port}` } })).status).toBe(200);
    for (const host of [`127.0.0.1:${web.port + 1}`, '127.0.0.1', `127.0.0.1:${web.port}0`, `127.0.0.1:x`])
      expect((await raw(web.url, { headers: { Host: host } })).status, host).toBe(421);
    const otherPortOrigin = await raw(web.url, {
      method: 'POST',
      path: '/api/invoke',
      headers: { 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${web.port + 1}` },
      body: JSON.stringify({ route: 'app.info' }),
    });
    expect(otherPortOrigin.status).toBe(403);
  });

  it('serves no file whose real path is outside the renderer folder, even through a link inside it', async () => {
    writeFileSync(join(dir.path, 'private.txt'), 'TOP-SECRET-CONTENT');
    mkdirSync(join(dir.path, 'private'), { recursive: true });
    writeFileSync(join(dir.path, 'private', 'notes.txt'), 'TOP-SECRET-CONTENT');
    symlinkSync(join(dir.path, 'private.txt'), join(rendererDir, 'assets', 'leak.txt'));
    symlinkSync(join(dir.path, 'private.txt'), join(rendererDir, 'leak'));
    symlinkSync(join(dir.path, 'private'), join(rendererDir, 'assets', 'outside'));
    symlinkSync(join(rendererDir, 'assets', 'app.js'), join(rendererDir, 'assets', 'alias.js'));
    for (const path of ['/assets/leak.txt', '/leak', '/assets/outside/notes.txt', '/assets/outside/']) {
      const res = await raw(web.url, { path });
      expect(res.body, path).not.toContain('TOP-SECRET');
    }
    expect((await raw(web.url, { path: '/assets/leak.txt' })).status).toBe(404);
    // A link that stays inside is served as the file it points to.
    const alias = await raw(web.url, { path: '/assets/alias.js' });
    expect(alias).toMatchObject({ status: 200, body: 'console.log(1)' });
  });

  it('answers 413 with a message to a body over the limit, and keeps serving', async () => {
    const small = await startWebBinding({
      router: app.router,
      events: app.events,
      rendererDir,
      maxBodyBytes: 64 * 1024,
    });
    try {
      // Streamed without a length: the limit is found while reading, and the rest is still read.
      const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: small.port,
            method: 'POST',
            path: '/api/invoke',
            headers: { 'Content-Type': 'application/json' },
          },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        for (let i = 0; i < 256; i++) req.write(chunk);
        req.end();
      });
      expect(streamed.status).toBe(413);
      expect(JSON.parse(streamed.body)).toEqual({
        ok: false,
        error: { code: 'TOO_LARGE', message: expect.stringMatching(/over 65536 bytes/) },
      });
      // Declared too large: answered before the body arrives.
      const declared = await new Promise<string>((resolve, reject) => {
        const socket = connect(small.port, '127.0.0.1', () => {
          socket.write(
            `POST /api/invoke HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{"route":`,
          );
        });
        let text = '';
        socket.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('TOO_LARGE')) {
            socket.destroy();
            resolve(text);
          }
        });
        socket.on('error', reject);
      });
      expect(declared).toMatch(/^HTTP\/1\.1 413 /);
      expect(await invokeAt(small.url, 'app.info')).toMatchObject({ ok: true });
    } finally {
      await small.close();
    }
  });

  it('will not listen beyond loopback without a LAN key, nor with a weak one', async () => {
    await expect(
      startWebBinding({ router: app.router, events: app.events, rendererDir, host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/LAN key/);
    await expect(
      startWebBinding({ router: app.router, events: app.events, rendererDir, lanKey: 'k3y-k3y-k3y' }),
    ).rejects.toThrow(/128 bits/);
  });
});

const invokeAt = (url: string, route: string, input?: unknown) =>
  fetch(new URL('/api/invoke', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ route, input }),
  }).then((r) => r.json());
