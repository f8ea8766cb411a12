import type { IncomingMessage } from 'node:http';

/** How long a client that sent too much may go on sending (read and dropped) before it is cut off. */
const drainMs = 10_000;

/**
 * The request body as text, or undefined when it is over `limit` bytes: then the rest is read and
 * dropped, so the client gets to read the 413 answer instead of a connection reset.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    drain(req);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      chunks.length = 0;
      drain(req);
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Closing a socket the client is still writing to resets it, and the client may lose our answer.
 * So the excess is read and dropped (the connection stays usable); one that keeps sending is cut.
 */
function drain(req: IncomingMessage): void {
  req.resume();
  if (req.complete) return;
  const cut = setTimeout(() => req.socket.destroy(), drainMs);
  cut.unref();
  req.once('end', () => clearTimeout(cut));
  req.socket.once('close', () => clearTimeout(cut));
}
