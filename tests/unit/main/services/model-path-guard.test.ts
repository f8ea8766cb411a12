import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelPathGuard } from '../../../../src/main/services/paths/model-path-guard';
import { makeTempDir } from '../../../helpers/temp-dir';

/** A file the guard takes for GGUF: the magic, then anything. */
const gguf = Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(60, 7)]);
const sha = 'ab'.repeat(32);

describe('model path guard', () => {
  const dir = makeTempDir();
  const models = join(dir.path, 'models');
  const ollama = join(dir.path, 'ollama');
  const outside = join(dir.path, 'outside');
  const open = new ModelPathGuard({ roots: () => [models, ollama], restricted: false });
  const shared = new ModelPathGuard({ roots: () => [models, ollama], restricted: true });

  beforeAll(() => {
    for (const folder of [
      join(models, 'org', 'repo'),
      join(ollama, 'blobs'),
      outside,
      join(dir.path, 'dir.gguf'),
    ])
      mkdirSync(folder, { recursive: true });
    writeFileSync(join(models, 'org', 'repo', 'model.gguf'), gguf);
    writeFileSync(join(ollama, 'blobs', `sha256-${sha}`), gguf);
    writeFileSync(join(outside, 'model.gguf'), gguf);
    writeFileSync(join(outside, 'page.gguf'), '<html>not a model</html>');
    writeFileSync(join(outside, 'short.gguf'), 'GGU');
    writeFileSync(join(outside, 'empty.gguf'), '');
    writeFileSync(join(outside, 'model.bin'), gguf);
    symlinkSync('/etc/passwd', join(outside, 'passwd.gguf'));
    symlinkSync(join(outside, 'nowhere.gguf'), join(outside, 'dangling.gguf'));
    execFileSync('mkfifo', [join(outside, 'pipe.gguf')]);
    // An import in link mode: a file link out of the models folder, made by the local user.
    symlinkSync(join(outside, 'model.gguf'), join(models, 'linked.gguf'));
    // A folder link inside the models folder that leads out of it.
    symlinkSync(outside, join(models, 'escape'));
    // The Hugging Face cache's shape: a snapshot name linking to a blob in the same root.
    mkdirSync(join(ollama, 'snapshots', 'c0ffee'), { recursive: true });
    symlinkSync(join('..', '..', 'blobs', `sha256-${sha}`), join(ollama, 'snapshots', 'c0ffee', 'm.gguf'));
  });
  afterAll(() => dir.cleanup());

  const refusal = async (guard: ModelPathGuard, path: string) => {
    try {
      await guard.check(path);
    } catch (error) {
      return { code: (error as { code: string }).code, message: (error as Error).message };
    }
    throw new Error(`${path} was let through`);
  };

  it('lets GGUF model files through, as absolute paths', async () => {
    expect(await open.check(join(outside, 'model.gguf'))).toBe(join(outside, 'model.gguf'));
    expect(await open.check(relative(process.cwd(), join(outside, 'model.gguf')))).toBe(
      join(outside, 'model.gguf'),
    );
    // Ollama and the HF cache keep GGUF files as content-addressed blobs, without the extension.
    expect(await open.check(join(ollama, 'blobs', `sha256-${sha}`))).toBe(
      join(ollama, 'blobs', `sha256-${sha}`),
    );
  });

  it('answers the same thing for system files, missing files, folders, pipes and files that are not models', async () => {
    const expected = await refusal(open, join(outside, 'missing.gguf'));
    expect(expected).toEqual({ code: 'NOT_FOUND', message: 'No GGUF model file at that path' });
    const paths = [
      '/etc/shadow',
      '/etc/passwd',
      '/proc/self/environ',
      '../../../../../../etc/passwd',
      '/dev/zero',
      join(dir.path, 'dir.gguf'),
      join(outside, 'page.gguf'),
      join(outside, 'short.gguf'),
      join(outside, 'empty.gguf'),
      join(outside, 'model.bin'),
      join(outside, 'passwd.gguf'),
      join(outside, 'dangling.gguf'),
      join(outside, 'pipe.gguf'),
      `${join(outside, 'model.gguf')}\0.txt`,
    ];
    for (const path of paths) expect(await refusal(open, path), path).toEqual(expected);
  });

  it('shared on the network, refuses anything outside the models folders the same way', async () => {
    const expected = await refusal(shared, join(models, 'missing.gguf'));
    expect(expected.code).toBe('NOT_FOUND');
    for (const path of [
      join(outside, 'model.gguf'),
      join(models, '..', 'outside', 'model.gguf'),
      join(models, 'escape', 'model.gguf'),
      '/etc/shadow',
      '/proc/self/environ',
      join(outside, 'pipe.gguf'),
    ])
      expect(await refusal(shared, path), path).toEqual(expected);
  });

  it('shared on the network, still opens every model the library lists', async () => {
    for (const path of [
      join(models, 'org', 'repo', 'model.gguf'),
      join(models, 'linked.gguf'),
      join(ollama, 'blobs', `sha256-${sha}`),
      join(ollama, 'snapshots', 'c0ffee', 'm.gguf'),
    ])
      expect(await shared.check(path)).toBe(path);
  });

  it('shared on the network, the models folder cannot be moved', () => {
    expect(() => shared.checkModelsDirChange(null, '/')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => shared.checkModelsDirChange('/m', '/m')).not.toThrow();
    expect(() => shared.checkModelsDirChange('/m', undefined)).not.toThrow();
    expect(() => open.checkModelsDirChange(null, '/srv/models')).not.toThrow();
  });
});
