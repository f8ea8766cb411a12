import { constants, type Dirent, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../../shared/contract';
import { safeText } from '../../../shared/domain/safe-text';

/**
 * File-system access for folders Hearth does not own (its models folder, LM Studio's, Ollama's,
 * the Hugging Face cache), where anything may sit under a model's name: a FIFO whose open()
 * blocks forever, a device, a symlink loop, a file on a network drive that stopped answering.
 * Every call here has a timeout, and only regular files are ever opened, so one bad entry can
 * neither stall a listing nor use up the threads all file I/O in the process shares.
 */

/** How long one file-system call may take before Hearth gives up on it. */
export const fileTimeoutMs = 10_000;

/** Without O_NONBLOCK, opening a FIFO waits for a writer; Windows has no FIFOs (and no such flag). */
const nonBlocking = (constants as Partial<typeof constants>).O_NONBLOCK ?? 0;

/**
 * Resolves like `work`, or rejects once `ms` have passed. The work itself cannot be cancelled:
 * if it finishes late, `onLate` gets its value (to close a handle nobody will use).
 */
export function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  onLate?: (value: T) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new AppError('INTERNAL', `${what} took longer than ${Math.round(ms / 1000)} s; gave up`));
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (late) onLate?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!late) reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** What a non-regular file is, in words. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A file-system error as an AppError a user can act on, naming the file (escaped, bounded). */
export function fileError(error: unknown, path: string): AppError {
  if (error instanceof AppError) return error;
  const name = safeText(basename(path), 120);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new AppError('NOT_FOUND', `${name}: no such file (or a symbolic link to a missing file)`);
    case 'ELOOP':
      return new AppError('INVALID_MODEL', `${name} is a loop of symbolic links, not a model file`);
    case 'EACCES':
    case 'EPERM':
      return new AppError('FORBIDDEN', `${name}: permission denied`);
    case 'EISDIR':
      return new AppError('INVALID_MODEL', `${name} is a folder, not a model file`);
    default:
      return new AppError('INTERNAL', `${name} could not be read (${safeText(String(code ?? error), 80)})`);
  }
}

/** stat() (following symlinks) with a timeout and readable errors. */
export async function statPath(path: string, timeoutMs = fileTimeoutMs): Promise<Stats> {
  try {
    return await withTimeout(stat(path), timeoutMs, `Reading ${safeText(basename(path), 120)}`);
  } catch (error) {
    throw fileError(error, path);
  }
}

/** stat() that insists on a regular file: a FIFO, device, folder or socket is refused, with what it is. */
export async function statRegularFile(path: string, timeoutMs = fileTimeoutMs): Promise<Stats> {
  const stats = await statPath(path, timeoutMs);
  if (!stats.isFile())
    throw new AppError(
      'INVALID_MODEL',
      `${safeText(basename(path), 120)} is ${kindOf(stats)}, not a model file`,
    );
  return stats;
}

/** Whether anything (a file, a FIFO, a dangling or looping symlink) is at `path`. */
export async function pathExists(path: string, timeoutMs = fileTimeoutMs): Promise<boolean> {
  return withTimeout(lstat(path), timeoutMs, 'Checking a file').then(
    () => true,
    () => false,
  );
}

/** Entries of a folder, or none when it cannot be read in time. */
export async function listDir(path: string, timeoutMs = fileTimeoutMs): Promise<Dirent[]> {
  return withTimeout(readdir(path, { withFileTypes: true }), timeoutMs, 'Listing a folder').catch(() => []);
}

export async function realPath(path: string, timeoutMs = fileTimeoutMs): Promise<string> {
  try {
    return await withTimeout(realpath(path), timeoutMs, `Resolving ${safeText(basename(path), 120)}`);
  } catch (error) {
    throw fileError(error, path);
  }
}

export interface OpenedFile {
  handle: FileHandle;
  size: number;
}

/**
 * Opens a regular file for reading. The open cannot block on a FIFO (O_NONBLOCK), and the type is
 * checked on the opened handle, so swapping the file for a FIFO after a stat() changes nothing.
 */
export async function openRegularFile(path: string, timeoutMs = fileTimeoutMs): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await withTimeout(
      open(path, constants.O_RDONLY | nonBlocking),
      timeoutMs,
      `Opening ${safeText(basename(path), 120)}`,
      (late) => void late.close().catch(() => {}),
    );
  } catch (error) {
    throw fileError(error, path);
  }
  try {
    const stats = await withTimeout(handle.stat(), timeoutMs, `Reading ${safeText(basename(path), 120)}`);
    if (!stats.isFile())
      throw new AppError(
        'INVALID_MODEL',
        `${safeText(basename(path), 120)} is ${kindOf(stats)}, not a model file`,
      );
    return { handle, size: stats.size };
  } catch (error) {
    closeQuietly(handle);
    throw fileError(error, path);
  }
}

/** Closes without waiting: FileHandle.close() waits for a read that may never finish. */
export function closeQuietly(handle: FileHandle, timeoutMs = fileTimeoutMs): Promise<void> {
  return withTimeout(handle.close(), timeoutMs, 'Closing a file').catch(() => {});
}

/** A small regular file's text (a manifest, a ref), refused when it is larger than `maxBytes`. */
export async function readSmallFile(
  path: string,
  maxBytes: number,
  timeoutMs = fileTimeoutMs,
): Promise<string> {
  const { handle, size } = await openRegularFile(path, timeoutMs);
  try {
    if (size > maxBytes)
      throw new AppError(
        'INVALID_MODEL',
        `${safeText(basename(path), 120)} is larger than ${maxBytes} bytes`,
      );
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await withTimeout(
      handle.read(buffer, 0, size, 0),
      timeoutMs,
      `Reading ${safeText(basename(path), 120)}`,
    );
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await closeQuietly(handle);
  }
}
