import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { readBody, readLines } from './remote-body';
import { clip, describeNetworkError, errorMessageOf, RemoteError } from './remote-error';

export { RemoteError } from './remote-error';

/**
 * Bounds on what a remote server may do to us. Every byte a remote sends is hostile: it may never
 * answer, answer forever, send endless headers or lines, or point elsewhere with a redirect.
 */
export interface RemoteLimits {
  /** From the request to a connected socket. */
  connectMs: number;
  /** From a connected socket to the response headers (a server may load a model first). */
  headersMs: number;
  /** Between two chunks of a body. */
  idleMs: number;
  /** A whole JSON answer, headers to last byte. */
  wholeMs: number;
  /** A JSON body. */
  maxJsonBytes: number;
  /** One SSE or NDJSON line. */
  maxLineBytes: number;
  /** A whole streamed answer. */
  maxStreamBytes: number;
  /** All response headers together (Node's maxHeaderSize). */
  maxHeaderBytes: number;
}

export const defaultLimits: RemoteLimits = {
  connectMs: 10_000,
  headersMs: 300_000,
  idleMs: 30_000,
  wholeMs: 60_000,
  maxJsonBytes: 8 * 1024 * 1024,
  maxLineBytes: 1024 * 1024,
  maxStreamBytes: 256 * 1024 * 1024,
  maxHeaderBytes: 64 * 1024,
};

/** Limits for quick questions (models, health): a server that takes long to list is broken. */
export const quickLimits: Partial<RemoteLimits> = { headersMs: 15_000, wholeMs: 20_000 };

export interface RemoteRequest {
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  limits?: Partial<RemoteLimits>;
}

export interface RemoteResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Reads the body as JSON within the limits; a status >= 400 has already thrown. */
  json(): Promise<unknown>;
  /** The body's lines (SSE or NDJSON) within the limits, as they arrive. */
  lines(): AsyncGenerator<string>;
  /** Stops reading and closes the connection. */
  close(): void;
}

const errorBodyBytes = 64 * 1024;

/**
 * One HTTP request to a remote, hardened: http/https only, TLS verified, redirects refused (named),
 * timeouts on connect, headers and every chunk, sizes capped, and aborted on `signal`.
 */
export function remoteRequest(request: RemoteRequest): Promise<RemoteResponse> {
  const limits: RemoteLimits = { ...defaultLimits, ...request.limits };
  const { url } = request;
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return Promise.reject(
      new RemoteError('protocol', `only http and https are allowed, not ${url.protocol}`),
    );
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<RemoteResponse>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (ms: number, what: string): void => {
      clearTimeout(timer);
      timer = setTimeout(
        () => req.destroy(new RemoteError('timeout', `${what} (no answer in ${Math.round(ms / 1000)} s)`)),
        ms,
      );
    };
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const req = transport.request(url, {
      method: request.method ?? 'GET',
      headers: {
        Accept: 'application/json, text/event-stream, application/x-ndjson',
        ...(body ? { 'Content-Type': 'application/json', 'Content-Length': String(body.length) } : {}),
        ...request.headers,
      },
      maxHeaderSize: limits.maxHeaderBytes,
      // Verified TLS, always: a self-signed server needs its CA trusted by the OS (NODE_EXTRA_CA_CERTS).
      rejectUnauthorized: true,
      agent: false,
    });
    const onAbort = (): void => {
      req.destroy(new RemoteError('aborted', 'stopped'));
    };
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = (): void => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    };
    arm(limits.connectMs, 'could not connect');
    req.on('socket', (socket) => {
      const connected = (): void => arm(limits.headersMs, 'it accepted the connection but never answered');
      if (!socket.connecting) connected();
      else socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      if (!settled) {
        settled = true;
        reject(describeNetworkError(error, limits.maxHeaderBytes));
      }
    });
    req.on('response', (res) => {
      clearTimeout(timer);
      const status = res.statusCode ?? 0;
      const fail = (error: RemoteError): void => {
        settled = true;
        cleanup();
        res.destroy();
        req.destroy();
        reject(error);
      };
      if (status >= 300 && status < 400) {
        // Never followed: a redirect could lead to another host, or a file: URL.
        const location = res.headers.location;
        return fail(
          new RemoteError(
            'redirect',
            `it redirected to ${location ? clip(location, 200) : 'another address'} (Hearth does not follow redirects)`,
            status,
          ),
        );
      }
      if (status >= 400) {
        void readBody(res, errorBodyBytes, limits, true).then(
          (text) =>
            fail(
              new RemoteError(
                'status',
                `HTTP ${status}${errorMessageOf(text) ? `: ${clip(errorMessageOf(text)!)}` : ''}`,
                status,
              ),
            ),
          () => fail(new RemoteError('status', `HTTP ${status}`, status)),
        );
        return;
      }
      settled = true;
      resolve(wrap(res, req, limits, cleanup));
    });
    req.end(body);
  });
}

function wrap(
  res: IncomingMessage,
  req: http.ClientRequest,
  limits: RemoteLimits,
  cleanup: () => void,
): RemoteResponse {
  const close = (): void => {
    cleanup();
    res.destroy();
    req.destroy();
  };
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    close,
    async json() {
      const whole = setTimeout(
        () => res.destroy(new RemoteError('timeout', `its answer took over ${limits.wholeMs / 1000} s`)),
        limits.wholeMs,
      );
      try {
        const text = await readBody(res, limits.maxJsonBytes, limits, false);
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new RemoteError('protocol', 'it answered something that is not JSON');
        }
      } finally {
        clearTimeout(whole);
        close();
      }
    },
    lines: () => readLines(res, limits, close, req),
  };
}
