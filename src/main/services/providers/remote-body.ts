import type { ClientRequest, IncomingMessage } from 'node:http';
import { LineSplitter } from './line-splitter';
import { describeNetworkError, RemoteError } from './remote-error';
import type { RemoteLimits } from './remote-http';

/** A whole body as text, refused past `max` bytes (by Content-Length first, then by counting). */
export function readBody(
  res: IncomingMessage,
  max: number,
  limits: RemoteLimits,
  truncate: boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(res.headers['content-length']);
    if (!truncate && Number.isFinite(declared) && declared > max) {
      res.destroy();
      return reject(new RemoteError('too-large', `its answer is ${declared} bytes, over the ${max} limit`));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let idle = setTimeout(() => res.destroy(), limits.idleMs);
    const finish = (error?: Error): void => {
      clearTimeout(idle);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    res.on('data', (chunk: Buffer) => {
      clearTimeout(idle);
      idle = setTimeout(
        () => res.destroy(new RemoteError('timeout', `it stopped sending for ${limits.idleMs / 1000} s`)),
        limits.idleMs,
      );
      size += chunk.length;
      if (size > max) {
        if (truncate) {
          chunks.push(chunk.subarray(0, chunk.length - (size - max)));
          res.destroy();
          return finish();
        }
        res.destroy();
        return finish(new RemoteError('too-large', `its answer is over the ${max} byte limit`));
      }
      chunks.push(chunk);
    });
    res.on('end', () => finish());
    res.on('error', (error) => finish(describeNetworkError(error, limits.maxHeaderBytes)));
    res.on('close', () => {
      if (!res.complete) finish(new RemoteError('unreachable', 'the connection closed mid-answer'));
    });
  });
}

/** The body's lines as they arrive, with a cap on each line, on the whole, and on silence. */
export async function* readLines(
  res: IncomingMessage,
  limits: RemoteLimits,
  close: () => void,
  req: ClientRequest,
): AsyncGenerator<string> {
  const splitter = new LineSplitter(limits.maxLineBytes);
  let total = 0;
  let idle: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(idle);
    idle = setTimeout(
      () => res.destroy(new RemoteError('timeout', `it stopped sending for ${limits.idleMs / 1000} s`)),
      limits.idleMs,
    );
  };
  // An abort destroys the request; its error explains why the body ended.
  let requestError: Error | undefined;
  req.on('error', (error) => (requestError = error));
  try {
    arm();
    for await (const chunk of res as AsyncIterable<Buffer>) {
      arm();
      total += chunk.length;
      if (total > limits.maxStreamBytes)
        throw new RemoteError('too-large', `its answer went over ${limits.maxStreamBytes} bytes`);
      yield* splitter.push(chunk);
    }
    if (!res.complete) throw new RemoteError('unreachable', 'the connection closed mid-answer');
    yield* splitter.end();
  } catch (error) {
    const cause = requestError instanceof RemoteError ? requestError : error;
    throw describeNetworkError(cause as NodeJS.ErrnoException, limits.maxHeaderBytes);
  } finally {
    clearTimeout(idle);
    close();
  }
}
