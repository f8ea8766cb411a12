import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHearthApp, type HearthApp } from '../../src/main/app/hearth-app';
import { startWebBinding, type WebBinding } from '../../src/main/bindings/web';
import { sourceEngineLauncher } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';

/** A raw HTTP request, so tests can send the headers a browser or an attacker would. */
function raw(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const target = new URL(url);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          method: options.method ?? 'GET',
          path: options.path ?? '/',
          headers: options.headers,
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end(options.body);
    },
  );
}

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

  it('will not listen beyond loopback without a LAN key, and requires the key when it does', async () => {
    await expect(
      startWebBinding({ router: app.router, events: app.events, rendererDir, host: '0.0.0.0', port: 0 }),
    ).rejects.toThrow(/LAN key/);
    const lan = await startWebBinding({
      router: app.router,
      events: app.events,
      rendererDir,
      host: '0.0.0.0',
      port: 0,
      lanKey: 'k3y-k3y-k3y',
    });
    try {
      const url = `http://127.0.0.1:${lan.port}/`;
      const body = JSON.stringify({ route: 'app.info' });
      const headers = { 'Content-Type': 'application/json' };
      expect((await raw(url, { method: 'POST', path: '/api/invoke', headers, body })).status).toBe(401);
      const wrong = await raw(url, {
        method: 'POST',
        path: '/api/invoke',
        headers: { ...headers, Authorization: 'Bearer nope' },
        body,
      });
      expect(wrong.status).toBe(401);
      const right = await raw(url, {
        method: 'POST',
        path: '/api/invoke',
        headers: { ...headers, Authorization: 'Bearer k3y-k3y-k3y' },
        body,
      });
      expect(right.status).toBe(200);
    } finally {
      await lan.close();
    }
  });
});
