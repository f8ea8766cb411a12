import { AppError } from '../../../shared/contract';
import type { ByteSource } from './byte-source';

export interface HttpByteSourceOptions {
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Reads a body up to `limit` bytes, then stops the transfer (a server may send more than asked). */
async function readCapped(response: Response, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/**
 * Random access to a remote file with HTTP Range requests, so a model's header can be read
 * without downloading the model. The size comes from Content-Range.
 */
export function httpByteSource(url: string, options: HttpByteSourceOptions = {}): ByteSource {
  const doFetch = options.fetch ?? fetch;
  let size: number | undefined;
  return {
    get size() {
      return size;
    },
    async read(offset, length) {
      if (length <= 0) return Buffer.alloc(0);
      const response = await doFetch(url, {
        headers: { ...options.headers, Range: `bytes=${offset}-${offset + length - 1}` },
        signal: options.signal,
        redirect: 'follow',
      });
      if (response.status === 416) return Buffer.alloc(0);
      if (!response.ok) {
        await response.body?.cancel();
        throw new AppError(
          response.status === 404 ? 'NOT_FOUND' : 'INTERNAL',
          `Could not read ${url}: HTTP ${response.status}`,
        );
      }
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('text/html')) {
        await response.body?.cancel();
        throw new AppError('INVALID_MODEL', `${url} answered with a web page, not a model file`);
      }
      if (response.status === 200) {
        // The server ignored Range: the start of the body is still right for a read at 0.
        const total = Number(response.headers.get('content-length'));
        if (Number.isFinite(total) && total > 0) size = total;
        if (offset !== 0) {
          await response.body?.cancel();
          throw new AppError(
            'INTERNAL',
            `${url}: the server ignores HTTP Range requests, so the header cannot be read remotely`,
          );
        }
        return readCapped(response, length);
      }
      const total = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '')?.[1];
      if (total) size = Number(total);
      return readCapped(response, length);
    },
    close: async () => {},
  };
}
