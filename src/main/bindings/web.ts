import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  desktopOnlyRoutes,
  thisMachineOnlyRoutes,
  type ErrorCode,
  type EventMessage,
  type Result,
} from '../../shared/contract';
import type { HearthApi } from '../api/api-server';
import type { EventBus } from '../events/event-bus';
import type { Router } from '../router/router';
import { ownHostNames, systemMachineNames, type MachineNames } from './host-names';
import type { KeyAttemptsOptions } from './key-attempts';
import { LanAuth, type AuthResult } from './lan-auth';
import { lanKeyProblem } from './lan-key';
import { serveStatic } from './static-files';
import { readBody } from './web-body';
import { checkRequest, isLoopback, securityHeaders, type AccessPolicy } from './web-security';

export interface WebBindingOptions {
  router: Router;
  events: EventBus;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  /** Needed to listen beyond loopback; when given, every API call must carry it (at least 128 bits). */
  lanKey?: string;
  /** Instead of the key: its verifier (keyVerifier), for a key Hearth stored only as that. */
  lanKeyVerifier?: string;
  maxBodyBytes?: number;
  /** The machine's addresses and host name, which LAN clients may put in Host (tests pass fake ones). */
  machineNames?: MachineNames;
  /** How wrong keys slow a client down (tests make it quick). */
  keyAttempts?: KeyAttemptsOptions;
  /** GET /metrics: the resource monitor in Prometheus text, behind the same Host and key checks. */
  metrics?: () => Promise<string>;
  /** The OpenAI- and Ollama-compatible API, on the same port under /v1 and /api, behind the same checks. */
  api?: HearthApi;
}

export interface WebBinding {
  url: string;
  port: number;
  host: string;
  server: Server;
  close(): Promise<void>;
}

const wildcardHosts = new Set(['0.0.0.0', '::', '[::]']);

const jsonHeaders = {
  ...securityHeaders,
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
};

const plainHeaders = { ...securityHeaders, 'Cache-Control': 'no-store' };

const statusCodes: Partial<Record<number, ErrorCode>> = {
  401: 'FORBIDDEN',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'TOO_LARGE',
  421: 'FORBIDDEN',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
};

function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  const code = statusCodes[status] ?? 'BAD_INPUT';
  res
    .writeHead(status, { ...jsonHeaders, ...headers })
    .end(JSON.stringify({ ok: false, error: { code, message } } satisfies Result<never>));
}

const statusLines: Record<number, string> = {
  401: '401 Unauthorized',
  403: '403 Forbidden',
  421: '421 Misdirected Request',
  429: '429 Too Many Requests',
};

function refuseUpgrade(socket: Duplex, status: number, headers: Record<string, string> = {}): void {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.end(
    `HTTP/1.1 ${statusLines[status] ?? '400 Bad Request'}\r\nConnection: close\r\n${lines.join('')}\r\n`,
  );
}

/** Headers that go with a refused key: when to retry, or dropping a stale cookie. */
function authHeaders(result: Exclude<AuthResult, { ok: true }>): Record<string, string> {
  if (result.status === 429) return { 'Retry-After': String(result.retryAfterS) };
  return result.clearCookie ? { 'Set-Cookie': result.clearCookie } : {};
}

/** The client's IP, with an IPv4 address a dual-stack socket reports as ::ffff:a.b.c.d unwrapped. */
const clientAddress = (req: IncomingMessage): string =>
  (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '');

/**
 * The contract over HTTP + WebSocket: POST /api/invoke runs a route, /api/events streams events,
 * everything else serves the renderer. Loopback only unless a LAN key is given.
 */
export async function startWebBinding(options: WebBindingOptions): Promise<WebBinding> {
  const host = options.host ?? '127.0.0.1';
  const lan = !isLoopback(host);
  if (lan && !options.lanKey && !options.lanKeyVerifier) {
    throw new Error(`Listening on ${host} exposes Hearth to your network: pass a LAN key to allow it`);
  }
  const keyProblem = options.lanKey === undefined ? undefined : lanKeyProblem(options.lanKey);
  if (keyProblem) throw new Error(`Refusing to share Hearth with a weak key: ${keyProblem}`);
  // Big enough for a long conversation imported as JSON; each route still limits its own fields.
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
  // A wildcard bind is no name a client should use (browsers reach loopback services through 0.0.0.0).
  const boundName = wildcardHosts.has(host) ? [] : [host.includes(':') ? `[${host}]` : host];
  const fixedHosts = ['127.0.0.1', 'localhost', '[::1]', ...boundName];
  const machine = options.machineNames ?? systemMachineNames;
  const loopbackHosts = new Set(fixedHosts);
  const policy: AccessPolicy = {
    // Shared on the LAN, clients name the machine by its addresses and names; none other is ours.
    allowedHosts: lan ? () => new Set([...fixedHosts, ...ownHostNames(machine)]) : () => loopbackHosts,
    port: 0,
  };
  // A key given is required even on loopback (other users of the machine reach it too).
  const secret =
    options.lanKey ?? (options.lanKeyVerifier ? { verifier: options.lanKeyVerifier } : undefined);
  const auth = secret ? new LanAuth(secret, () => policy.port, options.keyAttempts) : undefined;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) refuse(res, 500, error instanceof Error ? error.message : 'Internal error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    // The API runs the same Host and key checks (and lets the origins the user listed in).
    if (options.api?.owns(path)) return options.api.handle(req, res, { policy, auth, lan });
    const check = checkRequest(req, policy);
    if (!check.ok) return refuse(res, check.status, check.reason);
    if (path === '/metrics' && options.metrics) {
      const allowed = auth?.check(req) ?? { ok: true };
      if (!allowed.ok) return refuse(res, allowed.status, allowed.message, authHeaders(allowed));
      if (req.method !== 'GET') return refuse(res, 405, 'Use GET');
      const text = await options.metrics();
      res.writeHead(200, { ...plainHeaders, 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      return void res.end(text);
    }
    if (path.startsWith('/api/')) {
      const allowed = auth?.check(req) ?? { ok: true };
      if (!allowed.ok) return refuse(res, allowed.status, allowed.message, authHeaders(allowed));
      if (path !== '/api/invoke') return refuse(res, 404, `No API at ${path}`);
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST');
      // A JSON content type forces a CORS preflight, which we never grant.
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return refuse(res, 415, 'Content-Type must be application/json');
      }
      const text = await readBody(req, maxBodyBytes);
      if (text === undefined) return refuse(res, 413, `The request body is over ${maxBodyBytes} bytes`);
      let body: unknown;
      try {
        body = JSON.parse(text);
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
      if (desktopOnlyRoutes.has(route))
        return sendResult(res, {
          ok: false,
          error: { code: 'FORBIDDEN', message: `${route} works only in the Hearth window on this computer` },
        });
      if (thisMachineOnlyRoutes.has(route) && !isLoopback(clientAddress(req)))
        return sendResult(res, {
          ok: false,
          error: { code: 'FORBIDDEN', message: `${route} works only on the computer running Hearth` },
        });
      return sendResult(res, await options.router.invoke(route, input));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    const linkKey = url.searchParams.get('key');
    if (auth && linkKey !== null) return openSharedLink(req, res, auth, linkKey);
    await serveStatic(options.rendererDir, path, res, securityHeaders);
  }

  /** The shared link, once: the key becomes a cookie, and the page reloads at a URL without it. */
  function openSharedLink(req: IncomingMessage, res: ServerResponse, lanAuth: LanAuth, key: string): void {
    const result = lanAuth.checkLink(req, key);
    const plain = {
      ...securityHeaders,
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    };
    if (!result.ok) {
      res
        .writeHead(result.status, { ...plain, ...authHeaders(result) })
        .end(
          result.status === 429
            ? 'Too many wrong keys from this device: wait a little and open the link again.\n'
            : 'This link does not carry the key Hearth runs with now: ask for the link it printed.\n',
        );
      return;
    }
    // Always to the app's root: a path from the request could make this an open redirect (//host).
    res.writeHead(303, { ...plain, Location: '/', 'Set-Cookie': lanAuth.setCookieHeader() }).end();
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const check = checkRequest(req, policy);
    if (!check.ok) return refuseUpgrade(socket, check.status);
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/api/events') return refuseUpgrade(socket, 403);
    const allowed = auth?.check(req) ?? { ok: true };
    if (!allowed.ok) return refuseUpgrade(socket, allowed.status, authHeaders(allowed));
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

function sendResult(res: ServerResponse, result: Result<unknown>): void {
  res.writeHead(200, jsonHeaders).end(JSON.stringify(result));
}
