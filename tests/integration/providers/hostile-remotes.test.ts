import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { OpenAiClient } from '../../../src/main/services/providers/openai-client';
import { OllamaClient } from '../../../src/main/services/providers/ollama-client';
import { RemoteError } from '../../../src/main/services/providers/remote-error';
import { remoteRequest } from '../../../src/main/services/providers/remote-http';
import { providerChat } from '../../helpers/provider-chat';
import { sendJson, startRawStub, startStub } from '../../helpers/remote-stub';
import { makeTempDir } from '../../helpers/temp-dir';

// Small bounds so each hostile case ends quickly; generous enough for a loaded 2-core machine.
const limits = {
  connectMs: 5000,
  headersMs: 600,
  idleMs: 600,
  wholeMs: 3000,
  maxJsonBytes: 1024 * 1024,
  maxLineBytes: 64 * 1024,
  maxStreamBytes: 2 * 1024 * 1024,
};
const models = { object: 'list', data: [{ id: 'm', object: 'model' }] };
const sampling = { temperature: 0, maxTokens: 16, stop: [] };
const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }], sampling };

type Closer = { close(): Promise<void> };

describe('hostile remotes cannot hang or flood Hearth', () => {
  const open: Closer[] = [];
  const chat = providerChat(limits);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(() => chat.close());

  const failure = async (work: Promise<unknown>): Promise<RemoteError> => {
    const error = await work.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteError);
    return error as RemoteError;
  };

  it('a server that accepts the connection and never answers times out with a clear error', async () => {
    let connections = 0;
    const raw = await startRawStub(() => connections++);
    open.push(raw);
    const error = await failure(new OpenAiClient({ baseUrl: raw.url, limits }).models());
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/accepted the connection but never answered/);
    expect(connections).toBe(1);
  });

  it('a stream that stops sending mid-reply times out, and the chat keeps the partial reply', async () => {
    const stub = await startStub((req, res) => {
      if (req.path === '/v1/models') return sendJson(res, 200, models);
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'Half a th' } }] })}\n\n`);
      // ...and nothing more, with the socket left open.
    });
    open.push(stub);
    const provider = await chat.providers.add({ name: 'stalls', kind: 'openai', baseUrl: stub.url });
    const conversation = chat.chats.newConversation({ modelId: 'm', providerId: provider.id });
    const { reply } = await chat.chats.send({ conversationId: conversation.id, content: 'go' });
    const saved = await chat.settled(reply.id);
    expect(saved).toMatchObject({ status: 'interrupted', content: 'Half a th' });
    expect(saved.stats?.error).toMatch(
      /^stalls \(127\.0\.0\.1:\d+\) stopped answering: it stopped sending for/,
    );
  });

  it('an endless SSE line without a newline is cut at the line cap', async () => {
    const stub = await startStub((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const blob = 'x'.repeat(16 * 1024);
      const pump = (): void => {
        while (!res.destroyed && res.write(`data: ${blob}`));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    open.push(stub);
    const error = await failure(new OpenAiClient({ baseUrl: stub.url, limits }).chat(ask, () => {}));
    expect(error.kind).toBe('too-large');
    expect(error.message).toMatch(/line over 65536 bytes/);
  });

  it('endless well-formed tokens are cut at the stream cap, keeping what came, and the server is hung up on', async () => {
    const stub = await startStub((req, res) => {
      if (req.path === '/v1/models') return sendJson(res, 200, models);
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const event = `data: ${JSON.stringify({ choices: [{ delta: { content: 'token ' } }] })}\n\n`;
      const pump = (): void => {
        while (!res.destroyed && res.write(event.repeat(64)));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    open.push(stub);
    const provider = await chat.providers.add({ name: 'chatty', kind: 'openai', baseUrl: stub.url });
    const conversation = chat.chats.newConversation({ modelId: 'm', providerId: provider.id });
    const { reply } = await chat.chats.send({ conversationId: conversation.id, content: 'go' });
    const saved = await chat.settled(reply.id);
    expect(saved.status).toBe('interrupted');
    expect(saved.content.startsWith('token token ')).toBe(true);
    expect(saved.stats?.error).toMatch(/chatty .* stopped answering: its answer went over 2097152 bytes/);
    for (let i = 0; i < 200 && stub.closed() === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(stub.closed()).toBeGreaterThan(0);
  });

  it('100 MB of headers are refused after the first 64 KB, not read', async () => {
    let written = 0;
    const raw = await startRawStub((socket: Socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n');
        const line = `X-Filler: ${'a'.repeat(1000)}\r\n`;
        const pump = (): void => {
          while (!socket.destroyed && written < 100 * 1024 * 1024) {
            written += line.length;
            if (!socket.write(line)) return void socket.once('drain', pump);
          }
        };
        pump();
      });
    });
    open.push(raw);
    const error = await failure(new OpenAiClient({ baseUrl: raw.url, limits }).models());
    expect(error.kind).toBe('too-large');
    expect(error.message).toMatch(/headers over 65536 bytes/);
    expect(written).toBeLessThan(100 * 1024 * 1024);
  });

  it('a redirect to file:///etc/passwd or to another host is refused and never followed', async () => {
    const elsewhere = await startStub((_req, res) => sendJson(res, 200, models));
    const stub = await startStub((req, res) => {
      res.writeHead(302, {
        Location: req.path === '/v1/models' ? 'file:///etc/passwd' : `${elsewhere.url}/v1/models`,
      });
      res.end();
    });
    open.push(stub, elsewhere);
    const toFile = await failure(new OpenAiClient({ baseUrl: stub.url, limits }).models());
    expect(toFile.kind).toBe('redirect');
    expect(toFile.message).toMatch(
      /redirected to file:\/\/\/etc\/passwd \(Hearth does not follow redirects\)/,
    );
    const toHost = await failure(remoteRequest({ url: new URL(`${stub.url}/elsewhere`), limits }));
    expect(toHost.message).toContain(`redirected to ${elsewhere.url}/v1/models`);
    expect(elsewhere.requests).toHaveLength(0);
    await expect(chat.providers.add({ kind: 'openai', baseUrl: stub.url })).rejects.toThrow(
      /redirected to file:/,
    );
  });

  it('a JSON body far over the cap is refused, with or without a Content-Length', async () => {
    const big = JSON.stringify({
      object: 'list',
      data: Array.from({ length: 60_000 }, (_, i) => ({ id: `model-${i}`.padEnd(40, 'x') })),
    });
    const stub = await startStub((req, res) => {
      if (req.path === '/v1/models') return sendJson(res, 200, JSON.parse(big));
      // /api/tags: chunked, so only counting can stop it.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(big);
    });
    open.push(stub);
    expect(big.length).toBeGreaterThan(2 * limits.maxJsonBytes);
    const declared = await failure(new OpenAiClient({ baseUrl: stub.url, limits }).models());
    expect(declared.message).toMatch(/over the 1048576 (byte )?limit/);
    const counted = await failure(new OllamaClient({ baseUrl: stub.url, limits }).models());
    expect(counted.message).toMatch(/over the 1048576 (byte )?limit/);
  });

  it('malformed NDJSON mid-reply is a clear error and the partial reply is kept', async () => {
    const stub = await startStub((req, res) => {
      if (req.path === '/api/version') return sendJson(res, 200, { version: '0.9.0' });
      if (req.path === '/api/tags') return sendJson(res, 200, { models: [] });
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ message: { role: 'assistant', content: 'Good ' }, done: false })}\n`);
      res.end('{"message": {"content": "mor\n');
    });
    open.push(stub);
    const provider = await chat.providers.add({ name: 'odd', kind: 'ollama', baseUrl: stub.url });
    const conversation = chat.chats.newConversation({ modelId: 'm', providerId: provider.id });
    const saved = await chat.settled(
      (await chat.chats.send({ conversationId: conversation.id, content: 'hi' })).reply.id,
    );
    expect(saved).toMatchObject({ status: 'interrupted', content: 'Good ' });
    expect(saved.stats?.error).toMatch(/odd .* stopped answering: it sent a malformed line/);
  });

  it('Stop aborts the HTTP request: the reply is kept as stopped and the server sees the connection close', async () => {
    const stub = await startStub((req, res) => {
      if (req.path === '/v1/models') return sendJson(res, 200, models);
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const timer = setInterval(
        () => res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: 'more ' } }] })}\n\n`),
        20,
      );
      res.on('close', () => clearInterval(timer));
    });
    open.push(stub);
    const provider = await chat.providers.add({ kind: 'openai', baseUrl: stub.url });
    const conversation = chat.chats.newConversation({ modelId: 'm', providerId: provider.id });
    const { reply } = await chat.chats.send({ conversationId: conversation.id, content: 'go on' });
    for (let i = 0; i < 500 && !chat.deltas.some((d) => d.messageId === reply.id); i++)
      await new Promise((r) => setTimeout(r, 10));
    const closedBefore = stub.closed();
    expect(chat.chats.stop(reply.id)).toEqual({ stopped: true });
    const saved = await chat.settled(reply.id);
    expect(saved.status).toBe('stopped');
    expect(saved.content).toMatch(/^(more )+$/);
    for (let i = 0; i < 200 && stub.closed() === closedBefore; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(stub.closed()).toBeGreaterThan(closedBefore);
  });

  it('https is verified: a self-signed certificate is refused, not trusted silently', async () => {
    const dir = makeTempDir();
    const [key, cert] = [join(dir.path, 'key.pem'), join(dir.path, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    let served = 0;
    const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
      served++;
      sendJson(res, 200, models);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () => new Promise<void>((resolve) => server.close(() => (dir.cleanup(), resolve()))),
    });
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const error = await failure(new OpenAiClient({ baseUrl: url, limits }).models());
    expect(error.message).toMatch(/TLS certificate is not trusted/);
    expect(served).toBe(0);
  });

  it('only http and https are spoken', async () => {
    const error = await failure(remoteRequest({ url: new URL('file:///etc/passwd') }));
    expect(error.message).toMatch(/only http and https/);
  });
});
