import { existsSync, lstatSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryModel } from '../../../src/shared/contract';
import { LibraryService } from '../../../src/main/services/library/library-service';
import { hasDangerousText } from '../../helpers/dangerous-text';
import { fillHostileFolders } from '../../helpers/hostile-folders';
import { makeTempDir } from '../../helpers/temp-dir';

/** Settles within `ms` or fails with `what`, instead of hanging the test as a blocked open() would. */
function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms),
    ),
  ]);
}

describe.skipIf(process.platform === 'win32')('library with hostile files in every scanned folder', () => {
  const dir = makeTempDir();
  const models = join(dir.path, 'models');
  const lmStudio = join(dir.path, 'lmstudio');
  const ollama = join(dir.path, 'ollama');
  const hfCache = join(dir.path, 'hf');
  let release = (): void => {};
  let library: LibraryService;

  beforeAll(() => {
    release = fillHostileFolders({ models, lmStudio, ollama, hfCache }).release;
    library = new LibraryService({
      modelsDir: () => models,
      externalRoots: { huggingFaceCache: [hfCache], lmStudio: [lmStudio], ollama: [ollama] },
    });
  });
  afterAll(() => {
    release();
    dir.cleanup();
  });

  const byPath = (list: LibraryModel[], end: string): LibraryModel | undefined =>
    list.find((m) => m.path.endsWith(end));

  it('answers every listing promptly, and file I/O still works after many', async () => {
    for (let i = 0; i < 6; i++) await within(5000, `listing ${i + 1}`, library.list());
    expect(await within(2000, 'a plain read', readFile(join(models, 'named.gguf')))).toBeInstanceOf(Buffer);
  });

  it('keeps the good model usable', async () => {
    const list = await within(5000, 'listing', library.list());
    expect(list.find((m) => m.id === 'hearth:hearth-test/Tiny-GGUF/tiny-Q8_0.gguf')).toMatchObject({
      architecture: 'llama',
      error: null,
    });
  });

  it('lists each hostile file as unusable, with the reason', async () => {
    const list = await within(5000, 'listing', library.list());
    expect(byPath(list, 'million-layers.gguf')?.error).toMatch(
      /llama\.block_count is 1000000, expected a whole number from 1 to 4096/,
    );
    expect(byPath(list, 'pipe.gguf')?.error).toBe('pipe.gguf is a named pipe (FIFO), not a model file');
    expect(byPath(list, 'loop-a.gguf')?.error).toBe(
      'loop-a.gguf is a loop of symbolic links, not a model file',
    );
    expect(byPath(list, 'zero.gguf')?.error).toBe('zero.gguf is a device, not a model file');
    expect(byPath(list, 'pipe-Q4_K_M.gguf')).toMatchObject({
      source: 'lm-studio',
      error: expect.stringMatching(/named pipe/),
    });
    expect(byPath(list, 'huge-Q4_K_M.gguf')?.error).toMatch(/block_count is 1000000000/);
    expect(list.find((m) => m.id === 'ollama:evil:latest')?.error).toMatch(/named pipe \(FIFO\)/);
    expect(list.find((m) => m.source === 'huggingface-cache')?.error).toMatch(/loop of symbolic links/);
  });

  it('shows names from files and folders escaped and bounded', async () => {
    const list = await within(5000, 'listing', library.list());
    expect(byPath(list, 'named.gguf')).toMatchObject({ error: null, architecture: 'llama' });
    expect(byPath(list, 'named.gguf')?.name).toMatch(/^\\x1b\[2J\\x1b\]0;pwned\\x07Z+…$/);
    expect(list.find((m) => m.path.includes('evil-'))?.name).toBe('Hearth Tiny');
    for (const model of list) {
      for (const text of [model.name, model.error, model.architecture, model.license, model.quant]) {
        if (text === null) continue;
        expect(hasDangerousText(text), JSON.stringify(text.slice(0, 80))).toBe(false);
        expect(text.length).toBeLessThanOrEqual(400);
      }
    }
  });

  it('finds, refuses to import, and deletes a FIFO and a symlink loop of its own folder', async () => {
    const pipe = await within(5000, 'get', library.get('hearth:pipe.gguf'));
    expect(pipe.error).toMatch(/named pipe/);
    await expect(
      within(5000, 'import', library.import(join(models, 'pipe.gguf'), 'copy')),
    ).rejects.toMatchObject({
      code: 'INVALID_MODEL',
    });
    await expect(
      within(5000, 'import', library.import(join(models, 'million-layers.gguf'), 'copy')),
    ).rejects.toMatchObject({
      code: 'INVALID_MODEL',
    });
    await within(5000, 'delete', library.delete('hearth:pipe.gguf'));
    await within(5000, 'delete', library.delete('hearth:loop-a.gguf'));
    expect(existsSync(join(models, 'pipe.gguf'))).toBe(false);
    expect(() => lstatSync(join(models, 'loop-a.gguf'))).toThrow();
  });
});
