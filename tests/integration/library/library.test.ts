import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LibraryService } from '../../../src/main/services/library/library-service';
import { writeLlamaModel } from '../../fixtures/gguf';
import { makeTempDir } from '../../helpers/temp-dir';

describe('library', () => {
  const dir = makeTempDir();
  const models = join(dir.path, 'models');
  const hfCache = join(dir.path, 'hf', 'hub');
  const lmStudio = join(dir.path, 'lmstudio', 'models');
  const ollama = join(dir.path, 'ollama', 'models');
  let library: LibraryService;
  let tiny: string;

  beforeAll(() => {
    tiny = join(dir.path, 'tiny.gguf');
    writeLlamaModel(tiny);
    // Hearth's own download.
    mkdirSync(join(models, 'hearth-test', 'Tiny-GGUF'), { recursive: true });
    copyFileSync(tiny, join(models, 'hearth-test', 'Tiny-GGUF', 'tiny-Q8_0.gguf'));
    // A split model and a projector beside it.
    mkdirSync(join(models, 'org', 'Split-GGUF'), { recursive: true });
    copyFileSync(tiny, join(models, 'org', 'Split-GGUF', 'big-Q8_0-00001-of-00002.gguf'));
    writeFileSync(join(models, 'org', 'Split-GGUF', 'big-Q8_0-00002-of-00002.gguf'), Buffer.alloc(1000));
    writeFileSync(join(models, 'org', 'Split-GGUF', 'mmproj-f16.gguf'), Buffer.alloc(10));
    // A download in progress is not a model.
    writeFileSync(join(models, 'hearth-test', 'Tiny-GGUF', 'other.gguf.part'), Buffer.alloc(10));
    // A broken file is listed with its error, not hidden and not fatal.
    writeFileSync(join(models, 'broken.gguf'), Buffer.from('<html>oops</html>'.padEnd(64)));

    // Hugging Face cache: snapshot symlink into blobs/<sha256>.
    const repoDir = join(hfCache, 'models--bartowski--Tiny-GGUF');
    const sha = createHash('sha256').update(readFileSync(tiny)).digest('hex');
    mkdirSync(join(repoDir, 'blobs'), { recursive: true });
    mkdirSync(join(repoDir, 'refs'), { recursive: true });
    mkdirSync(join(repoDir, 'snapshots', 'c0ffee'), { recursive: true });
    copyFileSync(tiny, join(repoDir, 'blobs', sha));
    writeFileSync(join(repoDir, 'refs', 'main'), 'c0ffee');
    symlinkSync(join('..', '..', 'blobs', sha), join(repoDir, 'snapshots', 'c0ffee', 'Tiny-Q8_0.gguf'));

    // LM Studio: publisher/model/file, two levels deep.
    mkdirSync(join(lmStudio, 'lmstudio-community', 'Tiny-GGUF'), { recursive: true });
    copyFileSync(tiny, join(lmStudio, 'lmstudio-community', 'Tiny-GGUF', 'Tiny-Q6_K.gguf'));

    // Ollama: a manifest naming the model layer's blob.
    const digest = `sha256:${sha}`;
    mkdirSync(join(ollama, 'blobs'), { recursive: true });
    copyFileSync(tiny, join(ollama, 'blobs', digest.replace(':', '-')));
    mkdirSync(join(ollama, 'manifests', 'registry.ollama.ai', 'library', 'tiny'), { recursive: true });
    writeFileSync(
      join(ollama, 'manifests', 'registry.ollama.ai', 'library', 'tiny', 'latest'),
      JSON.stringify({
        schemaVersion: 2,
        layers: [
          { mediaType: 'application/vnd.ollama.image.model', digest, size: 1 },
          { mediaType: 'application/vnd.ollama.image.template', digest: 'sha256:00' },
        ],
      }),
    );

    library = new LibraryService({
      modelsDir: () => models,
      externalRoots: { huggingFaceCache: [hfCache], lmStudio: [lmStudio], ollama: [ollama] },
    });
  });
  afterAll(() => dir.cleanup());

  it('lists its own models with metadata read from their headers', async () => {
    const list = await library.list();
    const own = list.find((m) => m.id === 'hearth:hearth-test/Tiny-GGUF/tiny-Q8_0.gguf');
    expect(own).toMatchObject({
      source: 'hearth',
      readOnly: false,
      repo: 'hearth-test/Tiny-GGUF',
      quant: 'Q8_0',
      architecture: 'llama',
      hasChatTemplate: true,
      // The fixture's plain ChatML template has no tool-call format.
      toolCalls: false,
      license: 'mit',
      contextLength: 4096,
      error: null,
    });
    expect(own?.parameters).toBeGreaterThan(100_000);
    expect(list.some((m) => m.path.endsWith('.part'))).toBe(false);
    expect(list.some((m) => m.path.includes('mmproj'))).toBe(false);
  });

  it('lists a split model once, with all its parts', async () => {
    const split = (await library.list()).find((m) => m.repo === 'org/Split-GGUF');
    expect(split?.files).toHaveLength(2);
    expect(split?.sizeBytes).toBe(readFileSync(tiny).length + 1000);
  });

  it('lists an unreadable file with its error', async () => {
    const broken = (await library.list()).find((m) => m.path.endsWith('broken.gguf'));
    expect(broken?.error).toMatch(/Not a valid GGUF/);
  });

  it("reuses other tools' downloads in place, read-only", async () => {
    const list = await library.list();
    expect(list.find((m) => m.source === 'huggingface-cache')).toMatchObject({
      name: 'bartowski/Tiny-GGUF/Tiny-Q8_0.gguf',
      repo: 'bartowski/Tiny-GGUF',
      readOnly: true,
      quant: 'Q8_0',
    });
    expect(list.find((m) => m.source === 'lm-studio')).toMatchObject({
      name: 'lmstudio-community/Tiny-GGUF/Tiny-Q6_K.gguf',
      readOnly: true,
    });
    expect(list.find((m) => m.source === 'ollama')).toMatchObject({
      name: 'tiny:latest',
      readOnly: true,
      architecture: 'llama',
    });
    const cached = list.find((m) => m.source === 'huggingface-cache');
    expect(cached?.path).toContain(join('blobs', ''));
    await expect(library.delete(cached!.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(existsSync(cached!.path)).toBe(true);
  });

  it('imports a local GGUF by copy or link, refusing non-models and duplicates', async () => {
    const copied = await library.import(tiny, 'copy');
    expect(copied).toMatchObject({ source: 'imported', readOnly: false, architecture: 'llama' });
    await expect(library.import(tiny, 'copy')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(library.import(join(models, 'broken.gguf'), 'link')).rejects.toMatchObject({
      code: 'INVALID_MODEL',
    });
    const other = join(dir.path, 'linked.gguf');
    copyFileSync(tiny, other);
    const linked = await library.import(other, 'link');
    expect(linked.path).toContain('imported');
  });

  it('deletes its own models (all parts) and tidies empty folders', async () => {
    const split = (await library.list()).find((m) => m.repo === 'org/Split-GGUF')!;
    const result = await library.delete(split.id);
    expect(result.deleted).toHaveLength(2);
    expect(existsSync(split.files[1]!)).toBe(false);
    expect(existsSync(join(models, 'org', 'Split-GGUF', 'mmproj-f16.gguf'))).toBe(true);
    await expect(library.delete('hearth:nope.gguf')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
