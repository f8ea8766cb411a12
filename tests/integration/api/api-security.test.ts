import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { generateLanKey } from '../../../src/main/bindings/lan-key';
import { startWebBinding } from '../../../src/main/bindings/web';
import { rawRequest, startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

const chatBody = JSON.stringify({
  model: 'tiny',
  messages: [{ role: 'user', content: 'Hello' }],
  max_tokens: 4,
});

/** Every API route with a request that would be valid, so only the check under test can refuse it. */
const routes: Array<{ method: string; path: string; body?: string }> = [
  { method: 'GET', path: '/v1/models' },
  { method: 'POST', path: '/v1/chat/completions', body: chatBody },
  { method: 'POST', path: '/v1/completions', body: JSON.stringify({ model: 'tiny', prompt: 'Hi' }) },
  { method: 'GET', path: '/api/version' },
  { method: 'GET', path: '/api/tags' },
  { method: 'POST', path: '/api/show', body: JSON.stringify({ model: 'tiny' }) },
  { method: 'GET', path: '/api/ps' },
  { method: 'POST', path: '/api/chat', body: chatBody },
  { method: 'POST', path: '/api/generate', body: JSON.stringify({ model: 'tiny', prompt: 'Hi' }) },
  { method: 'POST', path: '/api/pull', body: JSON.stringify({ model: 'owner/repo:Q4_K_M' }) },
  { method: 'DELETE', path: '/api/delete', body: JSON.stringify({ model: 'tiny' }) },
  { method: 'POST', path: '/v1/messages', body: JSON.stringify({ ...JSON.parse(chatBody), max_tokens: 4 }) },
  { method: 'POST', path: '/v1/messages/count_tokens', body: chatBody },
  { method: 'POST', path: '/v1/responses', body: JSON.stringify({ model: 'tiny', input: 'Hi' }) },
  { method: 'POST', path: '/v1/embeddings', body: JSON.stringify({ model: 'tiny', input: 'Hi' }) },
  { method: 'POST', path: '/api/embed', body: JSON.stringify({ model: 'tiny', input: 'Hi' }) },
  { method: 'POST', path: '/api/embeddings', body: JSON.stringify({ model: 'tiny', prompt: 'Hi' }) },
];

describe('API safety, on 127.0.0.1', () => {
  const dir = makeTempDir();
  let api: ApiHarness;
  let port: number;

  beforeAll(async () => {
    writeTinyModel(join(dir.path, 'data', 'models'));
    api = await startApiHarness({
      dir: dir.path,
      api: { allowedOrigins: ['http://localhost:3000'] },
      // Nothing may reach the real Hugging Face from a test.
      app: { hubEndpoint: 'http://127.0.0.1:9' },
    });
    port = api.web.port;
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  const send = (
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) => rawRequest(api.origin, { path, ...init, headers: { Host: `127.0.0.1:${port}`, ...init.headers } });
  const nothingStarted = () => {
    expect(api.app.api.log.list()).toEqual([]);
    expect(api.app.engine.status().loaded ?? []).toEqual([]);
  };

  it('listens on loopback only by default', async () => {
    expect(api.web.host).toBe('127.0.0.1');
    expect(api.web.server.address()).toMatchObject({ address: '127.0.0.1' });
    const lanAddress = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .find((entry) => !entry.internal && entry.family === 'IPv4')?.address;
    if (lanAddress) {
      const refused = await new Promise<string>((resolve) => {
        const socket = connect(port, lanAddress);
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
    }
  });

  it('refuses Host names that are not ours (DNS rebinding), in each dialect', async () => {
    for (const host of [
      'evil.example',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      '0.0.0.0',
      'localhost',
    ]) {
      const hostHeader = host === 'localhost' ? 'localhost:1' : `${host}:${port}`;
      const openai = await send('/v1/models', { headers: { Host: hostHeader } });
      expect(openai.status, host).toBe(421);
      expect(JSON.parse(openai.body)).toMatchObject({ error: { code: 'unknown_host' } });
      const ollama = await send('/api/tags', { headers: { Host: hostHeader } });
      expect(ollama.status, host).toBe(421);
      expect(JSON.parse(ollama.body)).toEqual({ error: expect.any(String) });
    }
    for (const host of ['localhost', '127.0.0.1', '[::1]']) {
      expect((await send('/api/tags', { headers: { Host: `${host}:${port}` } })).status, host).toBe(200);
    }
  });

  it('refuses a request with an empty Host, or none at all', async () => {
    for (const head of ['GET /api/tags HTTP/1.1\r\nHost: \r\nConnection: close', 'GET /v1/models HTTP/1.0']) {
      const reply = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(`${head}\r\n\r\n`));
        let text = '';
        socket.on('data', (c: Buffer) => (text += c.toString()));
        socket.on('end', () => resolve(text));
      });
      expect(reply, head).toMatch(/^HTTP\/1\.[01] (421|400)/);
      expect(reply, head).not.toContain('tiny');
    }
  });

  it('sends no CORS header to a foreign origin, and starts nothing for its simple POSTs', async () => {
    for (const route of routes) {
      const reply = await send(route.path, {
        method: route.method,
        headers: { Origin: 'http://evil.example', 'Content-Type': 'text/plain' },
        body: route.body,
      });
      expect(reply.status, route.path).toBe(403);
      expect(reply.headers['access-control-allow-origin'], route.path).toBeUndefined();
    }
    const form = await send('/api/generate', {
      method: 'POST',
      headers: { Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ model: 'tiny', prompt: 'Hi' }),
    });
    expect(form.status).toBe(403);
    const preflight = await send('/v1/chat/completions', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type, authorization',
      },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    // A page at "null" (a sandboxed frame, a file) is no listed origin either.
    expect((await send('/v1/models', { headers: { Origin: 'null' } })).status).toBe(403);
    nothingStarted();
  });

  it('lets a listed origin in by name (never *), and still wants JSON from it', async () => {
    const preflight = await send('/v1/chat/completions', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/i);
    const listed = await send('/v1/models', { headers: { Origin: 'http://localhost:3000' } });
    expect(listed.status).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    // A different port is a different origin.
    const otherPort = await send('/v1/models', { headers: { Origin: 'http://localhost:3001' } });
    expect(otherPort.status).toBe(403);
    expect(otherPort.headers['access-control-allow-origin']).toBeUndefined();
    const plain = await send('/v1/chat/completions', {
      method: 'POST',
      headers: { Origin: 'http://localhost:3000', 'Content-Type': 'text/plain' },
      body: chatBody,
    });
    expect(plain.status).toBe(415);
    nothingStarted();
  });

  it('limits bodies in size and depth, and names the field at fault', async () => {
    const json = { 'Content-Type': 'application/json' };
    const huge = await send('/v1/chat/completions', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        model: 'tiny',
        messages: [{ role: 'user', content: 'x'.repeat(33 * 1024 * 1024) }],
      }),
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: { code: 'request_too_large' } });
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const nested = await send('/api/chat', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ model: 'tiny', deep }),
    });
    expect(nested.status).toBe(400);
    expect(JSON.parse(nested.body)).toEqual({ error: expect.stringMatching(/nested deeper/) });
    const wrong = await send('/api/chat', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        model: 'tiny',
        messages: [{ role: 'user', content: 'Hi' }],
        options: { temperature: 'hot' },
      }),
    });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body)).toEqual({ error: expect.stringContaining('options.temperature') });
    nothingStarted();
  });

  it('answers 404 for names that are not library models, and never opens them', async () => {
    // A FIFO holding a marker: anyone who opened and read it as a model would take the bytes.
    const fifo = join(dir.path, 'trap.gguf');
    execFileSync('mkfifo', [fifo]);
    const held = openSync(fifo, 'r+');
    writeSync(held, 'MARK');
    const modelsDir = join(dir.path, 'data', 'models');
    const names = [
      '../../etc/passwd',
      '/etc/passwd',
      '/dev/zero',
      fifo,
      relative(modelsDir, fifo),
      '../trap.gguf',
      'trap',
    ];
    try {
      for (const model of names) {
        const openai = await send('/v1/chat/completions', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }] }),
        });
        expect(openai.status, model).toBe(404);
        expect(JSON.parse(openai.body)).toMatchObject({ error: { code: 'model_not_found', param: 'model' } });
        for (const path of ['/api/show', '/api/generate']) {
          const ollama = await send(path, { method: 'POST', body: JSON.stringify({ model, prompt: 'Hi' }) });
          expect(ollama.status, `${path} ${model}`).toBe(404);
        }
        const deleted = await send('/api/delete', { method: 'DELETE', body: JSON.stringify({ model }) });
        expect(deleted.status, model).toBe(404);
      }
      const buffer = Buffer.alloc(8);
      expect(buffer.toString('utf8', 0, readSync(held, buffer))).toBe('MARK');
    } finally {
      closeSync(held);
    }
    nothingStarted();
  });
});

describe('API behind a LAN key (on loopback, where a given key is required just the same)', () => {
  const dir = makeTempDir();
  const key = generateLanKey();
  let api: ApiHarness;

  beforeAll(async () => {
    writeTinyModel(join(dir.path, 'data', 'models'));
    api = await startApiHarness({
      dir: dir.path,
      web: { lanKey: key, keyAttempts: { freeFailures: 1000 } },
      app: { hubEndpoint: 'http://127.0.0.1:9' },
    });
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  it('refuses to listen beyond loopback without a key', async () => {
    await expect(
      startWebBinding({
        router: api.app.router,
        events: api.app.events,
        rendererDir: dir.path,
        host: '0.0.0.0',
      }),
    ).rejects.toThrow(/LAN key/);
  });

  it('answers 401 without the key or with a wrong one, on every route and the WebSocket', async () => {
    for (const route of routes) {
      for (const authorization of [undefined, `Bearer ${generateLanKey()}`, `Basic ${key}`]) {
        const reply = await rawRequest(api.origin, {
          method: route.method,
          path: route.path,
          headers: {
            'Content-Type': 'application/json',
            ...(authorization ? { Authorization: authorization } : {}),
          },
          body: route.body,
        });
        expect(reply.status, `${route.path} ${authorization ?? 'no key'}`).toBe(401);
        const body = JSON.parse(reply.body) as { error: unknown };
        // Each dialect refuses in its own shape: Anthropic's, OpenAI's, Ollama's.
        if (route.path.startsWith('/v1/messages'))
          expect(body).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
        else if (route.path.startsWith('/v1/')) expect(body.error).toMatchObject({ code: 'invalid_api_key' });
        else expect(body.error).toEqual(expect.any(String));
      }
    }
    const ws = new WebSocket(`ws://127.0.0.1:${api.web.port}/api/events`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(401);
    expect(api.app.api.log.list()).toEqual([]);
  });

  it('serves every dialect with the key as Bearer, what OpenAI clients send', async () => {
    const auth = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
    expect((await rawRequest(api.origin, { path: '/v1/models', headers: auth })).status).toBe(200);
    expect((await rawRequest(api.origin, { path: '/api/tags', headers: auth })).status).toBe(200);
    const chat = await rawRequest(api.origin, {
      method: 'POST',
      path: '/v1/chat/completions',
      headers: auth,
      body: chatBody,
    });
    expect(chat.status).toBe(200);
  });
});
