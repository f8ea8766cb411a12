import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  mkdir,
  open,
  readFile,
  rename,
  rm,
  stat,
  statfs,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../../shared/contract';

export interface FileDownloadSpec {
  /** Where the bytes are now; called again when a signed CDN link expires. */
  locate: () => Promise<string>;
  sha256: string;
  size: number;
  finalPath: string;
}

export interface FileDownloadOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Bytes per ranged request: a process killed mid-download loses at most one. */
  chunkBytes?: number;
  /** Extra free space to keep on the disk beyond the file itself. */
  freeSpaceMarginBytes?: number;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called with each verified-to-disk increment, for progress. */
  onBytes?: (bytes: number, done: number) => void;
}

/** The file on the server is no longer the one we started (new ETag): start over with fresh metadata. */
export class FileChangedError extends AppError {
  constructor(path: string) {
    super('CONFLICT', `${path} changed on the server during the download; it will be downloaded again`);
  }
}

const partPathOf = (finalPath: string): string => `${finalPath}.part`;
const metaPathOf = (finalPath: string): string => `${finalPath}.part.json`;

/** Hashes the bytes already on disk, so a resumed download is verified end to end. */
async function hashExisting(path: string, bytes: number, hash: Hash): Promise<void> {
  if (bytes === 0) return;
  await new Promise<void>((resolve, reject) => {
    createReadStream(path, { start: 0, end: bytes - 1, highWaterMark: 4 * 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('end', resolve)
      .on('error', reject);
  });
}

async function ensureFreeSpace(dir: string, needed: number, margin: number): Promise<void> {
  const fs = await statfs(dir).catch(() => undefined);
  if (!fs) return;
  const free = fs.bavail * fs.bsize;
  if (free < needed + margin) {
    const gb = (n: number): string => `${(n / 1e9).toFixed(2)} GB`;
    throw new AppError(
      'DISK_FULL',
      `Not enough disk space: the download needs ${gb(needed + margin)} (with a safety margin) and ${gb(free)} is free`,
    );
  }
}

const isNetworkError = (error: unknown): boolean =>
  !(error instanceof AppError) &&
  error instanceof Error &&
  error.name !== 'AbortError' &&
  !/ENOSPC|EDQUOT|EFBIG/.test(String((error as NodeJS.ErrnoException).code ?? error.message));

/**
 * Downloads one file to `finalPath`, resumable across process restarts: bytes go to a .part file
 * in bounded Range requests, the sha256 runs over every byte (re-hashing what is already on disk
 * after a restart), and only a verified file is renamed into place. A server that ignores Range,
 * changes the file mid-way or answers with a web page is detected, never trusted.
 */
export async function downloadFile(spec: FileDownloadSpec, options: FileDownloadOptions = {}): Promise<void> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const chunkBytes = options.chunkBytes ?? 32 * 1024 * 1024;
  const partPath = partPathOf(spec.finalPath);
  const metaPath = metaPathOf(spec.finalPath);
  const existing = await stat(spec.finalPath).catch(() => undefined);
  if (existing?.isFile() && existing.size === spec.size) return;
  await mkdir(dirname(spec.finalPath), { recursive: true });

  // A part of another version of the file is useless: start over.
  // A process killed while writing the note leaves it empty or cut: then the part cannot be trusted.
  const meta = await readFile(metaPath, 'utf8').then(
    (t) => {
      try {
        return JSON.parse(t) as { sha256?: string };
      } catch {
        return undefined;
      }
    },
    () => undefined,
  );
  if (meta?.sha256 !== spec.sha256) await rm(partPath, { force: true });
  await writeFile(metaPath, JSON.stringify({ sha256: spec.sha256, size: spec.size }));

  // Positional writes: after a failed request, the next one overwrites from the last hashed byte.
  const handle: FileHandle = await open(partPath, 'a+');
  let closed = false;
  try {
    let done = (await handle.stat()).size;
    if (done > spec.size) {
      await handle.truncate(0);
      done = 0;
    }
    let hash = createHash('sha256');
    await hashExisting(partPath, done, hash);
    await ensureFreeSpace(
      dirname(spec.finalPath),
      spec.size - done,
      options.freeSpaceMarginBytes ?? 256 * 1024 * 1024,
    );

    let location = await spec.locate();
    let failures = 0;
    let relocations = 0;
    let rangeIgnored = false;
    while (done < spec.size) {
      options.signal?.throwIfAborted();
      const end = rangeIgnored ? spec.size - 1 : Math.min(spec.size, done + chunkBytes) - 1;
      try {
        const response = await doFetch(location, {
          headers: rangeIgnored ? {} : { Range: `bytes=${done}-${end}` },
          signal: options.signal,
        });
        if ([401, 403, 404, 410].includes(response.status) && relocations < 3) {
          // Signed CDN links expire: ask the Hub for a fresh one.
          await response.body?.cancel();
          relocations++;
          location = await spec.locate();
          continue;
        }
        if (!response.ok) {
          await response.body?.cancel();
          throw new AppError('NETWORK', `The download server answered HTTP ${response.status}`);
        }
        if ((response.headers.get('content-type') ?? '').includes('text/html')) {
          await response.body?.cancel();
          throw new AppError(
            'INVALID_MODEL',
            'The server sent a web page instead of the model file (a sign-in or error page?)',
          );
        }
        const etag = (response.headers.get('etag') ?? '').replace(/^W\//, '').replace(/"/g, '');
        if (/^[0-9a-f]{64}$/.test(etag) && etag !== spec.sha256) {
          await response.body?.cancel();
          throw new FileChangedError(spec.finalPath);
        }
        if (response.status === 200) {
          // Range ignored: the body is the whole file from byte 0. Never splice it onto our part.
          rangeIgnored = true;
          if (done > 0) {
            await handle.truncate(0);
            hash = createHash('sha256');
            done = 0;
          }
        } else {
          const start = Number(/^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1]);
          if (start !== done) {
            await response.body?.cancel();
            throw new AppError('NETWORK', `The server sent bytes from ${start} when ${done} was asked for`);
          }
        }
        if (!response.body) throw new AppError('NETWORK', 'The server sent no data');
        // Network chunks are small (~64 KB): batch them into ~2 MB writes.
        let pending: Uint8Array[] = [];
        let pendingBytes = 0;
        const flush = async (): Promise<void> => {
          if (pendingBytes === 0) return;
          const data =
            pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
          await handle.write(data, 0, data.byteLength, done);
          hash.update(data);
          done += data.byteLength;
          failures = 0;
          options.onBytes?.(data.byteLength, done);
        };
        try {
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            const room = spec.size - done - pendingBytes;
            pending.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
            pendingBytes += Math.min(chunk.byteLength, room);
            if (pendingBytes >= 2 * 1024 * 1024) await flush();
            if (done + pendingBytes >= spec.size) break;
          }
        } finally {
          // What arrived before a drop is good data: keep it.
          await flush();
        }
        // A body that ends early is a dropped connection: count it, so a flaky server backs off.
        if (done < spec.size && done <= end)
          throw new AppError('NETWORK', 'The connection dropped before the chunk was complete');
      } catch (error) {
        if (options.signal?.aborted)
          throw new AppError('CANCELLED', 'The download was stopped; what was downloaded is kept');
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
          throw new AppError(
            'DISK_FULL',
            'The disk is full. Free some space, then resume: the part already downloaded is kept',
          );
        }
        if (!isNetworkError(error) && !(error instanceof AppError && error.code === 'NETWORK')) throw error;
        failures++;
        if (failures > (options.maxRetries ?? 8)) {
          throw new AppError(
            'NETWORK',
            `The download keeps failing (${(error as Error).message}); it can be resumed later`,
          );
        }
        await sleep(Math.min(30_000, 500 * 2 ** (failures - 1)));
      }
    }

    const actual = hash.digest('hex');
    await handle.sync();
    await handle.close();
    closed = true;
    if (actual !== spec.sha256) {
      await rm(partPath, { force: true });
      await rm(metaPath, { force: true });
      throw new AppError(
        'INVALID_MODEL',
        "The downloaded file is corrupted (its checksum does not match Hugging Face's); it was deleted, please download it again",
      );
    }
    await rename(partPath, spec.finalPath);
    await rm(metaPath, { force: true });
  } finally {
    if (!closed) await handle.close().catch(() => {});
  }
}
