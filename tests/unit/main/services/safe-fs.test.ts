import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/shared/contract';
import { readSmallFile, statRegularFile, withTimeout } from '../../../../src/main/services/fs/safe-fs';
import { fileByteSource } from '../../../../src/main/services/gguf/byte-source';
import { makeTempDir } from '../../../helpers/temp-dir';

const unix = process.platform !== 'win32';

/** Settles within `ms` or fails the test with `what` (instead of hanging it, as a blocked open() would). */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms),
    ),
  ]);
}

/** Opening a FIFO's write end without blocking releases any reader stuck in open(). */
function releaseFifo(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // no reader waiting
  }
}

describe('file access that hostile folders cannot stall', () => {
  const dir = makeTempDir();
  const fifo = join(dir.path, 'pipe.gguf');
  const loop = join(dir.path, 'loop.gguf');
  const regular = join(dir.path, 'model.gguf');

  beforeAll(() => {
    writeFileSync(regular, 'GGUF and more');
    if (unix) {
      execFileSync('mkfifo', [fifo]);
      symlinkSync(join(dir.path, 'loop2.gguf'), loop);
      symlinkSync(loop, join(dir.path, 'loop2.gguf'));
    }
    mkdirSync(join(dir.path, 'folder.gguf'));
  });
  afterAll(() => {
    if (unix) for (let i = 0; i < 16; i++) releaseFifo(fifo);
    dir.cleanup();
  });

  it('gives up on work that never finishes, and closes what arrives late', async () => {
    let late: string | undefined;
    let finish: (value: string) => void = () => {};
    const never = new Promise<string>((resolve) => (finish = resolve));
    const error = await withTimeout(never, 20, 'Reading x.gguf', (v) => (late = v)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as Error).message).toMatch(/Reading x\.gguf took longer than/);
    finish('handle');
    await Promise.resolve();
    expect(late).toBe('handle');
  });

  it.skipIf(!unix)('refuses a FIFO at once, however many times, and file I/O still works after', async () => {
    for (let i = 0; i < 8; i++) {
      const error = await within(2000, 'opening a FIFO', fileByteSource(fifo)).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'INVALID_MODEL',
        message: 'pipe.gguf is a named pipe (FIFO), not a model file',
      });
    }
    // Eight blocked opens would have taken every libuv thread: a plain read would wait forever.
    expect(await within(2000, 'a plain read', readFile(regular, 'utf8'))).toBe('GGUF and more');
  });

  it.skipIf(!unix)(
    'refuses a device, a folder, a symlink loop and a missing file with what they are',
    async () => {
      const refusal = (path: string) => within(2000, path, fileByteSource(path)).catch((e: unknown) => e);
      expect(await refusal('/dev/zero')).toMatchObject({
        code: 'INVALID_MODEL',
        message: 'zero is a device, not a model file',
      });
      expect(await refusal(join(dir.path, 'folder.gguf'))).toMatchObject({
        code: 'INVALID_MODEL',
        message: expect.stringMatching(/folder\.gguf is a folder/),
      });
      expect(await refusal(loop)).toMatchObject({
        code: 'INVALID_MODEL',
        message: 'loop.gguf is a loop of symbolic links, not a model file',
      });
      expect(await refusal(join(dir.path, 'gone.gguf'))).toMatchObject({ code: 'NOT_FOUND' });
      await expect(statRegularFile(fifo)).rejects.toMatchObject({ code: 'INVALID_MODEL' });
    },
  );

  it('reads a small regular file and refuses a large one', async () => {
    expect(await readSmallFile(regular, 100)).toBe('GGUF and more');
    await expect(readSmallFile(regular, 4)).rejects.toMatchObject({
      message: 'model.gguf is larger than 4 bytes',
    });
    const source = await fileByteSource(regular);
    expect((await source.read(0, 4)).toString()).toBe('GGUF');
    await source.close();
  });
});
