import type { EventMessage, HearthBridge, Result } from '../../../../shared/contract';

export interface WebTransportOptions {
  /** Origin of `hearth serve`; the page's own origin by default. */
  baseUrl: string;
  reconnectMs?: number;
}

/**
 * The contract over HTTP (requests) and one WebSocket (events), reconnecting when the server restarts.
 * A shared Hearth knows this browser by the HttpOnly cookie its link set: same-origin requests and
 * the WebSocket carry it by themselves, and the key never appears in a URL or in this page's reach.
 */
export function createWebTransport(options: WebTransportOptions): HearthBridge {
  const listeners = new Set<(message: EventMessage) => void>();
  let socket: WebSocket | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const connect = (): void => {
    const url = new URL('/api/events', options.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      const message = JSON.parse(event.data) as EventMessage;
      for (const listener of listeners) listener(message);
    };
    socket.onclose = () => {
      socket = undefined;
      if (listeners.size > 0) retry = setTimeout(connect, options.reconnectMs ?? 1000);
    };
  };

  return {
    async invoke(route, input): Promise<Result<unknown>> {
      let response: Response;
      try {
        response = await fetch(new URL('/api/invoke', options.baseUrl), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ route, input }),
        });
      } catch (error) {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `Hearth is not reachable: ${String(error)}` },
        };
      }
      return (await response.json()) as Result<unknown>;
    },
    on(listener) {
      listeners.add(listener);
      if (!socket && !retry) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          clearTimeout(retry);
          retry = undefined;
          socket?.close();
        }
      };
    },
  };
}
