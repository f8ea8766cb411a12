import { basename } from 'node:path';
import { safeText } from '../../../shared/domain/safe-text';
import { closeQuietly, fileTimeoutMs, openRegularFile, withTimeout } from '../fs/safe-fs';

/** Random access to the bytes of a GGUF file, local or remote. */
export interface ByteSource {
  /** Total size when known (a local file, or a remote one that told us). */
  readonly size: number | undefined;
  /** Reads up to `length` bytes at `offset`; fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** A local regular file (never a FIFO or device); every read gives up after `timeoutMs`. */
export async function fileByteSource(path: string, timeoutMs = fileTimeoutMs): Promise<ByteSource> {
  const { handle, size } = await openRegularFile(path, timeoutMs);
  const what = `Reading ${safeText(basename(path), 120)}`;
  return {
    size,
    async read(offset, length) {
      const wanted = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.alloc(wanted);
      let done = 0;
      while (done < wanted) {
        const { bytesRead } = await withTimeout(
          handle.read(buffer, done, wanted - done, offset + done),
          timeoutMs,
          what,
        );
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === wanted ? buffer : buffer.subarray(0, done);
    },
    close: () => closeQuietly(handle, timeoutMs),
  };
}
