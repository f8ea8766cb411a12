import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileByteSource } from '../../../../src/main/services/gguf/byte-source';
import {
  defaultGgufLimits,
  GgufFormatError,
  readGgufHeader,
} from '../../../../src/main/services/gguf/gguf-reader';
import { isSafeText } from '../../../../src/shared/domain/safe-text';
import { hostileCorpus, llamaCppRefusals } from '../../../fixtures/gguf/hostile-corpus';
import { memoryByteSource } from '../../../fixtures/gguf/memory-source';
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

  for (const entry of [...hostileCorpus, ...llamaCppRefusals]) {
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
      // Whatever the file holds, the message is fit for a terminal: no control characters, bounded.
      expect(isSafeText((error as Error).message, 600)).toBe(true);
      expect(elapsed).toBeLessThan(100);
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    });
  }

  it('reads a 2M-token vocabulary in blocks, not one await per token', async () => {
    const bytes = vocabularyHeader(Array.from({ length: 2_000_000 }, (_, i) => `t${i}`));
    // Every await in the parser lets one queued microtask run: counting them counts the awaits.
    let awaits = 0;
    let done = false;
    const tick = (): void => {
      if (done) return;
      awaits++;
      queueMicrotask(tick);
    };
    queueMicrotask(tick);
    const header = await readGgufHeader(memoryByteSource(bytes)).finally(() => (done = true));
    expect(header.metadata.get('tokenizer.ggml.tokens')).toMatchObject({ length: 2_000_000 });
    expect(header.metadata.get('general.architecture')).toBe('llama');
    expect(awaits).toBeLessThan(10_000);
  });

  it('reads strings that straddle its read blocks exactly, of every length up to 1 MB', async () => {
    // Lengths around the 256 KB block size and far beyond it, in a seeded order.
    const lengths = [0, 1, 7, 255, 4096, 262_143, 262_144, 262_145, 700_000, 1_048_576, 3, 131_072];
    const tokens = lengths.map((n, i) => String.fromCharCode(97 + (i % 26)).repeat(n) + 'é'.repeat(i));
    const header = await readGgufHeader(memoryByteSource(vocabularyHeader(tokens)), {
      ...defaultGgufLimits,
      keepArraysUpTo: 100,
    });
    expect(header.metadata.get('tokenizer.ggml.tokens')).toEqual({
      kind: 'array',
      itemType: 8,
      length: tokens.length,
      values: tokens,
    });
    // What follows the long array is read from the right place.
    expect(header.metadata.get('general.architecture')).toBe('llama');
  });
});

/** A header with a vocabulary array, then general.architecture. */
function vocabularyHeader(tokens: string[]): Buffer {
  const total = tokens.reduce((sum, t) => sum + 8 + Buffer.byteLength(t), 0);
  const key = 'tokenizer.ggml.tokens';
  const out = Buffer.alloc(24 + 8 + key.length + 16 + total + 8 + 20 + 4 + 8 + 5 + 32);
  let at = out.write('GGUF');
  at = out.writeUInt32LE(3, at);
  at = out.writeUInt32LE(0, at) + 4; // 0 tensors (u64)
  at = out.writeUInt32LE(2, at) + 4; // 2 metadata entries (u64)
  const putString = (value: string): void => {
    const length = Buffer.byteLength(value);
    at = out.writeUInt32LE(length, at) + 4; // u64 length, high half zero
    at += out.write(value, at);
  };
  putString(key);
  at = out.writeUInt32LE(9, at);
  at = out.writeUInt32LE(8, at);
  at = out.writeUInt32LE(tokens.length, at) + 4;
  for (const token of tokens) putString(token);
  putString('general.architecture');
  at = out.writeUInt32LE(8, at);
  putString('llama');
  return out.subarray(0, at);
}
