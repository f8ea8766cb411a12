import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventMessage, Result } from '../../shared/contract';
import type { EventBus } from '../events/event-bus';
import type { Router } from '../router/router';
import { serveStatic } from './static-files';
import { checkRequest, hasKey, isLoopback, securityHeaders, type AccessPolicy } from './web-security';

export interface WebBindingOptions {
  router: Router;
  events: EventBus;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Needed to listen beyond loopback: every API call must then carry it. */
  lanKey?: string;
  maxBodyBytes?: number;
}

export interface WebBinding {
  url: string;
  port: number;
  host: string;
  server: Server;
  close(): Promise<void>;
}

const jsonHeaders = {
  ...securityHeaders,
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, jsonHeaders).end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, message: string): void {
  const code = status === 401 || status === 403 || status === 421 ? 'FORBIDDEN' : 'BAD_INPUT';
  sendJson(res, status, { ok: false, error: { code, message } } satisfies Result<never>);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`Request body over ${limit} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The contract over HTTP + WebSocket: POST /api/invoke runs a route, /api/events streams events,
 * everything else serves the renderer. Loopback only unless a LAN key is given.
 */
export async function startWebBinding(options: WebBindingOptions): Promise<WebBinding> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.lanKey) {
    throw new Error(`Listening on ${host} exposes Hearth to your network: pass a LAN key to allow it`);
  }
  // Big enough for a long conversation imported as JSON; each route still limits its own fields.
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const policy: AccessPolicy = {
    allowedHosts: new Set(['127.0.0.1', 'localhost', '[::1]', host.includes(':') ? `[${host}]` : host]),
    port: 0,
    key: isLoopback(host) ? undefined : options.lanKey,
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) refuse(res, 500, error instanceof Error ? error.message : 'Internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const check = checkRequest(req, policy);
    if (!check.ok) return refuse(res, check.status, check.reason);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/api/')) {
      if (!hasKey(req, policy.key)) return refuse(res, 401, 'A valid LAN key is required');
      if (path !== '/api/invoke') return refuse(res, 404, `No API at ${path}`);
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST');
      // A JSON content type forces a CORS preflight, which we never grant.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return refuse(res, 415, 'Content-Type must be application/json');
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, maxBodyBytes));
      } catch (error) {
        return refuse(res, 400, error instanceof Error ? error.message : 'Invalid JSON');
      }
      if (
        typeof body !== 'object' ||
        body === null ||
        typeof (body as { route?: unknown }).route !== 'string'
      ) {
        return refuse(res, 400, 'Body must be { "route": string, "input": ... }');
      }
      const { route, input } = body as { route: string; input?: unknown };
      return sendJson(res, 200, await options.router.invoke(route, input));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    await serveStatic(options.rendererDir, path, res, securityHeaders);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const check = checkRequest(req, policy);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!check.ok || path !== '/api/events' || !hasKey(req, policy.key)) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws));
  });
  const clients = new Set<WebSocket>();
  sockets.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
  });
  const unsubscribe = options.events.subscribe((name, payload) => {
    const data = JSON.stringify({ name, payload } satisfies EventMessage);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(data);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  policy.port = port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    host,
    server,
    async close() {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
