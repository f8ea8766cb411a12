import type { ServerResponse } from 'node:http';

/** Headers every API answer carries; CORS ones are added per request for listed origins only. */
export const apiHeaders: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res
    .writeHead(status, { ...apiHeaders, ...headers, 'Content-Type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(body));
}

/** An error in a dialect's own body shape, with Retry-After when the error says when to retry. */
export function sendError(
  res: ServerResponse,
  status: number,
  body: unknown,
  error: { retryAfterS?: number },
  headers: Record<string, string>,
): void {
  const retry: Record<string, string> =
    error.retryAfterS === undefined ? {} : { 'Retry-After': String(error.retryAfterS) };
  sendJson(res, status, body, { ...headers, ...retry });
}

/**
 * A streamed answer: Server-Sent Events (OpenAI) or one JSON object per line (Ollama). Writes go
 * out as the engine's batches arrive (~16 ms), unbuffered by Nagle.
 */
export class StreamOut {
  constructor(
    private readonly res: ServerResponse,
    private readonly kind: 'sse' | 'ndjson',
  ) {}

  get started(): boolean {
    return this.res.headersSent;
  }

  start(headers: Record<string, string> = {}): void {
    if (this.res.headersSent || this.res.destroyed) return;
    this.res.socket?.setNoDelay(true);
    this.res.writeHead(200, {
      ...apiHeaders,
      ...headers,
      'Content-Type': this.kind === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson',
      ...(this.kind === 'sse' ? { Connection: 'keep-alive', 'X-Accel-Buffering': 'no' } : {}),
    });
  }

  send(value: unknown): void {
    if (this.res.destroyed || this.res.writableEnded) return;
    const text = JSON.stringify(value);
    this.res.write(this.kind === 'sse' ? `data: ${text}\n\n` : `${text}\n`);
  }

  /** SSE's end marker (OpenAI's clients wait for it). */
  done(): void {
    if (this.kind === 'sse' && !this.res.destroyed && !this.res.writableEnded)
      this.res.write('data: [DONE]\n\n');
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}
