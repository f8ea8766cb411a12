import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileByteSource } from '../../../../src/main/services/gguf/byte-source';
import { GgufFormatError, readGgufHeader } from '../../../../src/main/services/gguf/gguf-reader';
import { hostileCorpus } from '../../../fixtures/gguf/hostile-corpus';
import { shapes, writeLlamaModel } from '../../../fixtures/gguf';
import { makeTempDir } from '../../../helpers/temp-dir';

async function readFile(path: string) {
  const source = await fileByteSource(path);
  try {
    return await readGgufHeader(source);
  } finally {
    await source.close();
  }
}

describe('GGUF header reader', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  it('reads a generated model: metadata, tensors, exact tensor bytes', async () => {
    const path = join(dir.path, 'tiny.gguf');
    const written = writeLlamaModel(path);
    const header = await readFile(path);
    expect(header.metadata.get('general.architecture')).toBe('llama');
    expect(header.metadata.get('llama.block_count')).toBe(2);
    expect(header.tensors).toHaveLength(3 + 9 * 2);
    // Long arrays (the vocabulary) are counted, not kept.
    expect(header.metadata.get('tokenizer.ggml.tokens')).toMatchObject({
      kind: 'array',
      length: expect.any(Number),
    });
    expect(header.dataOffset + written.tensorDataBytes).toBe(written.fileBytes);
    expect(header.tensors.every((t) => t.offset % 32 === 0)).toBe(true);
  });

  it('reads a 1B-shaped sparse model header quickly', async () => {
    const path = join(dir.path, '1b.gguf');
    writeLlamaModel(path, { shape: shapes.llama32_1b, weightType: 'Q8_0', sparse: true });
    const started = performance.now();
    const header = await readFile(path);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(header.metadata.get('llama.embedding_length')).toBe(2048);
  });

  for (const entry of hostileCorpus) {
    it(`refuses a hostile header: ${entry.name}`, async () => {
      const path = join(dir.path, `hostile-${entry.name.replace(/\W+/g, '-')}.gguf`);
      writeFileSync(path, entry.bytes);
      const heapBefore = process.memoryUsage().heapUsed;
      const started = performance.now();
      const error = await readFile(path).then(
        () => undefined,
        (e: unknown) => e,
      );
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(GgufFormatError);
      expect((error as GgufFormatError).code).toBe('INVALID_MODEL');
      expect((error as Error).message).toMatch(/^Not a valid GGUF model: /);
      expect((error as Error).message).toMatch(entry.expect);
      expect(elapsed).toBeLessThan(100);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    });
  }
});
