import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileByteSource } from '../../../../src/main/services/gguf/byte-source';
import { readGgufHeader } from '../../../../src/main/services/gguf/gguf-reader';
import { writeGguf, writeLlamaModel, type GgufValue } from '../../../fixtures/gguf';
import { hostileCorpus, llamaCppRefusals } from '../../../fixtures/gguf/hostile-corpus';
import { hostileModels, smallModel } from '../../../fixtures/gguf/hostile-models';
import { memoryByteSource } from '../../../fixtures/gguf/memory-source';
import { SeededRandom } from '../../../fixtures/gguf/random';
import { parseAndEstimate, problemsWith, timedOutcome } from '../../../helpers/hostile-check';
import { makeTempDir } from '../../../helpers/temp-dir';

/**
 * Fuzzing the header reader and the estimator together, in-process: hand-made hostile headers
 * (after llama.cpp's test-gguf.cpp and the GGUF parser CVEs) and seeded random mutations of a
 * valid model. Each input must, within 100 ms, give either a clear INVALID_MODEL error with a
 * message fit for a terminal, or a sane estimate on every test machine; never a crash (a
 * RangeError, a TypeError), a hang, NaN, Infinity or a negative size. A failure names the input
 * and its seed, so it can be replayed.
 */
const limitMs = 100;

interface FuzzInput {
  label: string;
  bytes: Buffer;
  /** The size the file claims (beyond `bytes`, zeros: a sparse file's hole). */
  size?: number;
}

/** Values that break naive code: zero, one, signed and unsigned edges, 2^53, NaN, Infinity. */
const edgeValues: bigint[] = [
  0n,
  1n,
  2n,
  255n,
  65_535n,
  2n ** 31n - 1n,
  2n ** 31n,
  2n ** 32n - 1n,
  2n ** 53n,
  2n ** 63n,
  2n ** 64n - 1n,
];
const edgeNumbers = [
  0,
  -1,
  1,
  1.5,
  -0.5,
  3,
  64,
  4096,
  2 ** 24,
  2 ** 31,
  2 ** 53,
  1e300,
  NaN,
  Infinity,
  -Infinity,
];

/** Byte-level mutations of the header: bit flips, edge values over fields, splices, truncations. */
function mutate(
  base: Buffer,
  headerBytes: number,
  rng: SeededRandom,
): { bytes: Buffer; how: string; size: number } {
  const bytes = Buffer.from(base.subarray(0, headerBytes));
  const at = (span: number): number => rng.nextU32() % Math.max(1, headerBytes - span);
  const kind = rng.nextU32() % 5;
  if (kind === 0) {
    const flips = 1 + (rng.nextU32() % 8);
    for (let i = 0; i < flips; i++) {
      const offset = at(1);
      bytes[offset] = (bytes[offset] ?? 0) ^ (1 << (rng.nextU32() % 8));
    }
    return { bytes, how: `${flips} bit flips`, size: base.length };
  }
  if (kind === 1) {
    // Counts, lengths, types and offsets are 4- or 8-byte little-endian fields.
    const offset = at(8);
    const value = edgeValues[rng.nextU32() % edgeValues.length] ?? 0n;
    if (rng.nextU32() % 2) bytes.writeBigUInt64LE(value, offset);
    else bytes.writeUInt32LE(Number(value & 0xffffffffn), offset);
    return { bytes, how: `${value} at ${offset}`, size: base.length };
  }
  if (kind === 2) {
    const length = 1 + (rng.nextU32() % 64);
    const from = at(length);
    const to = at(length);
    bytes.copy(bytes, to, from, from + length);
    return { bytes, how: `${length} bytes from ${from} copied to ${to}`, size: base.length };
  }
  if (kind === 3) {
    const cut = at(0);
    return { bytes: bytes.subarray(0, cut), how: `truncated at ${cut}`, size: cut };
  }
  const offset = at(4);
  bytes.writeUInt32LE(rng.nextU32(), offset);
  return { bytes, how: `random u32 at ${offset}`, size: base.length };
}

/** Structure-aware: a well-formed small model with random hyperparameters of random types. */
function randomModelSpec(rng: SeededRandom): { overrides: Record<string, GgufValue>; how: string } {
  const keys = [
    'llama.block_count',
    'llama.embedding_length',
    'llama.context_length',
    'llama.feed_forward_length',
    'llama.attention.head_count',
    'llama.attention.head_count_kv',
    'llama.attention.key_length',
    'llama.attention.value_length',
    'llama.attention.sliding_window',
    'llama.expert_count',
    'llama.expert_used_count',
    'llama.vocab_size',
    'general.alignment',
    'general.file_type',
    'split.count',
  ];
  const overrides: Record<string, GgufValue> = {};
  const count = 1 + (rng.nextU32() % 3);
  for (let i = 0; i < count; i++) {
    const key = keys[rng.nextU32() % keys.length] ?? keys[0]!;
    const n = edgeNumbers[rng.nextU32() % edgeNumbers.length] ?? 0;
    const kind = rng.nextU32() % 6;
    overrides[key] =
      kind === 0
        ? { type: 'f64', value: n }
        : kind === 1
          ? { type: 'f32', value: n }
          : kind === 2 && Number.isInteger(n) && Math.abs(n) < 2 ** 31
            ? { type: 'i32', value: n }
            : kind === 3
              ? { type: 'array', itemType: 'u32', values: [2, 2, 2].slice(0, 1 + (rng.nextU32() % 3)) }
              : kind === 4
                ? { type: 'str', value: `\u001b[2J${String(n)}` }
                : { type: 'u64', value: edgeValues[rng.nextU32() % edgeValues.length] ?? 0n };
  }
  const how = Object.entries(overrides)
    .map(([k, v]) => `${k}=${v.type}:${'value' in v ? String(v.value) : 'array'}`)
    .join(' ');
  return { overrides, how };
}

/** The first `max` bytes of a file (a sparse model's header, without reading its gigabytes of holes). */
function readHead(path: string, max: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(max, fstatSync(fd).size));
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } finally {
    closeSync(fd);
  }
}

describe('GGUF reader and estimator fuzz', () => {
  const dir = makeTempDir();
  let valid: Buffer;
  let validHeaderBytes: number;

  beforeAll(async () => {
    const path = join(dir.path, 'valid.gguf');
    writeLlamaModel(path);
    valid = readFileSync(path);
    const source = await fileByteSource(path);
    validHeaderBytes = (await readGgufHeader(source)).dataOffset;
    await source.close();
  });
  afterAll(() => dir.cleanup());

  async function run(inputs: FuzzInput[]): Promise<string[]> {
    const failures: string[] = [];
    for (const input of inputs) {
      const { outcome, ms } = await timedOutcome(() =>
        parseAndEstimate(memoryByteSource(input.bytes, input.size)),
      );
      const problems = problemsWith(outcome);
      if (ms >= limitMs) problems.push(`took ${ms.toFixed(0)} ms`);
      if (problems.length > 0) failures.push(`${input.label}: ${problems.join('; ')}`);
    }
    return failures;
  }

  it('the valid model itself gives a sane estimate', async () => {
    const outcome = await parseAndEstimate(memoryByteSource(valid));
    expect(outcome.ok).toBe(true);
    expect(problemsWith(outcome)).toEqual([]);
  });

  it('refuses or sanely estimates every hand-made hostile header', async () => {
    const inputs: FuzzInput[] = [...hostileCorpus, ...llamaCppRefusals].map((e) => ({
      label: e.name,
      bytes: e.bytes,
    }));
    hostileModels.forEach((entry, i) => {
      const path = join(dir.path, `model-${i}.gguf`);
      writeGguf(path, entry.spec);
      // Only the header is needed: the tensor data of a sparse file reads as zeros anyway.
      inputs.push({ label: entry.name, bytes: readHead(path, 1 << 20), size: statSync(path).size });
    });
    expect(await run(inputs)).toEqual([]);
  });

  it('survives 1,500 seeded byte-level mutations of a valid model', async () => {
    const inputs: FuzzInput[] = [];
    for (let seed = 1; seed <= 1500; seed++) {
      const rng = new SeededRandom(seed);
      const { bytes, how, size } = mutate(valid, validHeaderBytes, rng);
      inputs.push({ label: `seed ${seed} (${how})`, bytes, size });
    }
    expect(await run(inputs)).toEqual([]);
  }, 60_000);

  it('survives 300 well-formed models with random hyperparameters', async () => {
    const inputs: FuzzInput[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const { overrides, how } = randomModelSpec(new SeededRandom(seed * 7919));
      const path = join(dir.path, 'random.gguf');
      writeGguf(path, smallModel(overrides));
      inputs.push({ label: `seed ${seed} (${how})`, bytes: readFileSync(path) });
    }
    expect(await run(inputs)).toEqual([]);
  }, 60_000);
});
