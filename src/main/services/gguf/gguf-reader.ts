import { safeText } from '../../../shared/domain/safe-text';
import type { ByteSource } from './byte-source';
import { Cursor, GgufFormatError } from './gguf-cursor';
import { ggmlTypeById, tensorBytes, type GgmlTypeInfo } from './ggml-types';

export { GgufFormatError } from './gguf-cursor';

/**
 * A GGUF header reader that treats every file as hostile: counts, lengths and offsets are checked
 * against limits and the file size before anything is allocated, and what llama.cpp's own
 * reader (ggml/src/gguf.cpp) refuses is refused here too (duplicate keys or tensor names, tensor
 * data that overlaps or leaves gaps, a non-u32 or non-power-of-two alignment, arrays of arrays,
 * tensor names of 64 bytes or more), so a malformed or malicious header fails fast with a clear
 * message instead of exhausting memory or inflating an estimate. Names from the file reach
 * messages only through safeText().
 */

export type GgufScalarValue = number | string | boolean;
export interface GgufArrayValue {
  kind: 'array';
  itemType: number;
  length: number;
  /** Kept only for short arrays (per-layer hyperparameters); long ones (vocabularies) are counted, not stored. */
  values?: GgufScalarValue[];
}
export type GgufValue = GgufScalarValue | GgufArrayValue;

export interface GgufTensorInfo {
  name: string;
  dims: number[];
  type: GgmlTypeInfo;
  /** Offset from the start of the tensor data section. */
  offset: number;
  bytes: number;
}

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Absolute offset where tensor data starts. */
  dataOffset: number;
  /** Sum of all tensors' exact bytes (no padding). */
  tensorBytes: number;
  fileSize: number | undefined;
}

export interface GgufLimits {
  maxKeyBytes: number;
  maxStringBytes: number;
  maxMetadataCount: number;
  maxTensorCount: number;
  maxArrayLength: number;
  maxHeaderBytes: number;
  keepArraysUpTo: number;
}

export const defaultGgufLimits: GgufLimits = {
  maxKeyBytes: 65_535,
  maxStringBytes: 16 * 1024 * 1024,
  maxMetadataCount: 100_000,
  maxTensorCount: 200_000,
  maxArrayLength: 16 * 1024 * 1024,
  maxHeaderBytes: 512 * 1024 * 1024,
  keepArraysUpTo: 4096,
};

/** ggml's GGML_MAX_NAME: a tensor name must be shorter (llama.cpp refuses longer ones). */
const maxTensorNameBytes = 63;
const STRING = 8;
const ARRAY = 9;
const UINT32 = 4;
const fixedSizes: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};
const GGUF_MAGIC = 0x46554747; // "GGUF" little-endian
/** Smallest possible entries: a key-value pair (key length, type, one byte), a tensor info (name length, dims, one dim, type, offset). */
const minKvBytes = 8 + 4 + 1;
const minTensorInfoBytes = 8 + 4 + 8 + 4 + 8;

/** The longest tensor info: name length and name, dimension count, four dimensions, type, offset. */
const maxTensorInfoBytes = 8 + maxTensorNameBytes + 4 + 4 * 8 + 4 + 8;

const quote = (name: string): string => `"${safeText(name, 80)}"`;

/**
 * The next string when the window holds it (undefined when the window must grow first), its
 * length checked against `max` before anything else. Decoded only when kept.
 */
function stringNow(cursor: Cursor, max: number, what: string, keep: boolean): string | undefined {
  if (!cursor.has(8)) return undefined;
  const bytes = cursor.peekLength();
  if (bytes > max) throw new GgufFormatError(`${what} is ${cursor.peekU64()} bytes long (limit ${max})`);
  if (!cursor.has(8 + bytes)) return undefined;
  cursor.skip(8);
  if (keep) return cursor.text(bytes);
  cursor.skip(bytes);
  return '';
}

async function readString(cursor: Cursor, max: number, what: string, keep = true): Promise<string> {
  if (!cursor.has(8)) await cursor.fill(8);
  const length = cursor.peekLength();
  if (length <= max && !cursor.has(8 + length)) await cursor.fill(8 + length);
  return stringNow(cursor, max, what, keep) ?? '';
}

async function readScalar(cursor: Cursor, type: number, limits: GgufLimits): Promise<GgufScalarValue> {
  if (type === STRING) return readString(cursor, limits.maxStringBytes, 'a metadata string');
  const size = fixedSizes[type];
  if (size === undefined) throw new GgufFormatError(`unknown metadata value type ${type}`);
  if (!cursor.has(size)) await cursor.fill(size);
  return cursor.scalar(type, size);
}

async function readArray(cursor: Cursor, limits: GgufLimits): Promise<GgufArrayValue> {
  if (!cursor.has(12)) await cursor.fill(12);
  const itemType = cursor.u32();
  const length = cursor.u64(() => 'an array length');
  if (itemType === ARRAY)
    throw new GgufFormatError('it has arrays nested in arrays (llama.cpp refuses them)');
  if (itemType !== STRING && fixedSizes[itemType] === undefined)
    throw new GgufFormatError(`unknown metadata value type ${itemType} in an array`);
  if (length > limits.maxArrayLength)
    throw new GgufFormatError(`an array claims ${length} items (limit ${limits.maxArrayLength})`);
  const itemBytes = fixedSizes[itemType] ?? 8; // a string takes at least its 8-byte length
  const remaining = cursor.remaining();
  if (remaining !== undefined && length * itemBytes > remaining) {
    throw new GgufFormatError(
      `an array of ${length} items cannot fit in the ${remaining} bytes left in the file`,
    );
  }
  const keep = length <= limits.keepArraysUpTo;
  if (itemType !== STRING) {
    if (!keep) {
      cursor.skip(length * itemBytes);
      return { kind: 'array', itemType, length };
    }
    if (!cursor.has(length * itemBytes)) await cursor.fill(length * itemBytes);
    const values = Array.from({ length }, () => cursor.scalar(itemType, itemBytes));
    return { kind: 'array', itemType, length, values };
  }
  const values: string[] = [];
  const max = limits.maxStringBytes;
  for (let i = 0; i < length; i++) {
    // Synchronous while the window holds the next string: a vocabulary awaits once per block.
    const value =
      stringNow(cursor, max, 'a metadata string', keep) ??
      (await readString(cursor, max, 'a metadata string', keep));
    if (keep) values.push(value);
  }
  return keep ? { kind: 'array', itemType, length, values } : { kind: 'array', itemType, length };
}

async function readMetadata(
  cursor: Cursor,
  count: number,
  limits: GgufLimits,
): Promise<{ metadata: Map<string, GgufValue>; alignment: number }> {
  const metadata = new Map<string, GgufValue>();
  let alignmentType = UINT32;
  for (let i = 0; i < count; i++) {
    const key =
      stringNow(cursor, limits.maxKeyBytes, 'a metadata key', true) ??
      (await readString(cursor, limits.maxKeyBytes, 'a metadata key'));
    if (metadata.has(key)) throw new GgufFormatError(`the metadata key ${quote(key)} appears twice`);
    if (!cursor.has(4)) await cursor.fill(4);
    const type = cursor.u32();
    if (key === 'general.alignment') alignmentType = type;
    const size = fixedSizes[type];
    const value =
      size !== undefined && cursor.has(size)
        ? cursor.scalar(type, size)
        : type === ARRAY
          ? await readArray(cursor, limits)
          : await readScalar(cursor, type, limits);
    metadata.set(key, value);
  }
  const value = metadata.get('general.alignment') ?? 32;
  const alignment = typeof value === 'number' ? value : NaN;
  // llama.cpp reads it as a u32 (another type aborts it) and needs a power of two.
  if (
    alignmentType !== UINT32 ||
    !Number.isInteger(alignment) ||
    alignment <= 0 ||
    alignment > 65_536 ||
    (alignment & (alignment - 1)) !== 0
  ) {
    const shown = typeof value === 'object' ? 'an array' : safeText(String(value), 40);
    throw new GgufFormatError(`general.alignment must be a u32 power of two, got ${shown}`);
  }
  return { metadata, alignment };
}

/** One tensor info, parsed synchronously: the caller has loaded the longest possible one (or the rest of the file). */
function tensorInfoNow(cursor: Cursor, names: Set<string>, alignment: number): GgufTensorInfo {
  cursor.require(8);
  const name = stringNow(cursor, maxTensorNameBytes, 'a tensor name', true);
  if (name === undefined) throw new GgufFormatError('the file is truncated inside its header');
  // Messages are built only when something is wrong: a header may hold 200,000 tensors.
  const shown = (): string => quote(name);
  if (names.has(name)) throw new GgufFormatError(`two tensors are named ${shown()}`);
  names.add(name);
  cursor.require(4);
  const dimCount = cursor.u32();
  if (dimCount < 1 || dimCount > 4)
    throw new GgufFormatError(`tensor ${shown()} has ${dimCount} dimensions (1-4 allowed)`);
  cursor.require(dimCount * 8 + 4 + 8);
  const dims: number[] = [];
  let elements = 1;
  for (let d = 0; d < dimCount; d++) {
    const size = cursor.u64(() => `a dimension of tensor ${shown()}`);
    if (size < 1) throw new GgufFormatError(`tensor ${shown()} has an empty dimension`);
    elements *= size;
    if (elements > Number.MAX_SAFE_INTEGER)
      throw new GgufFormatError(`tensor ${shown()} is impossibly large`);
    dims.push(size);
  }
  const typeId = cursor.u32();
  const type = ggmlTypeById(typeId);
  if (!type) throw new GgufFormatError(`tensor ${shown()} has unknown type ${typeId}`);
  const offset = cursor.u64(() => `the offset of tensor ${shown()}`);
  if (offset % alignment !== 0)
    throw new GgufFormatError(`tensor ${shown()} is not aligned to ${alignment} bytes`);
  let bytes: number;
  try {
    bytes = tensorBytes(type, dims);
  } catch (error) {
    throw new GgufFormatError(`tensor ${shown()}: ${(error as Error).message}`);
  }
  return { name, dims, type, offset, bytes };
}

export async function readGgufHeader(
  source: ByteSource,
  limits: GgufLimits = defaultGgufLimits,
): Promise<GgufHeader> {
  const cursor = new Cursor(source, limits.maxHeaderBytes);
  if (source.size !== undefined && source.size < 24)
    throw new GgufFormatError(`the file is only ${source.size} bytes`);
  await cursor.fill(24);
  const magic = cursor.u32();
  if (magic !== GGUF_MAGIC) throw new GgufFormatError('bad magic (this is not a GGUF file)');
  const version = cursor.u32();
  if (version < 2 || version > 3) throw new GgufFormatError(`unsupported GGUF version ${version}`);
  const tensorCount = cursor.u64(() => 'the tensor count');
  const metadataCount = cursor.u64(() => 'the metadata count');
  if (tensorCount > limits.maxTensorCount)
    throw new GgufFormatError(`it claims ${tensorCount} tensors (limit ${limits.maxTensorCount})`);
  if (metadataCount > limits.maxMetadataCount) {
    throw new GgufFormatError(
      `it claims ${metadataCount} metadata entries (limit ${limits.maxMetadataCount})`,
    );
  }
  const remaining = cursor.remaining();
  if (remaining !== undefined && tensorCount * minTensorInfoBytes + metadataCount * minKvBytes > remaining) {
    throw new GgufFormatError(
      `it claims ${tensorCount} tensors and ${metadataCount} metadata entries, more than the ${remaining} bytes left in the file can hold`,
    );
  }

  const { metadata, alignment } = await readMetadata(cursor, metadataCount, limits);
  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  let expectedOffset = 0;
  for (let i = 0; i < tensorCount; i++) {
    const window = Math.min(maxTensorInfoBytes, cursor.remaining() ?? maxTensorInfoBytes);
    if (!cursor.has(window)) await cursor.fill(window);
    const tensor = tensorInfoNow(cursor, names, alignment);
    // As in llama.cpp: each tensor starts where the previous one ends (padded), so none overlap.
    if (tensor.offset !== expectedOffset) {
      throw new GgufFormatError(
        `tensor ${quote(tensor.name)} starts at data offset ${tensor.offset}, expected ${expectedOffset} (tensors must not overlap or leave gaps)`,
      );
    }
    expectedOffset += Math.ceil(tensor.bytes / alignment) * alignment;
    tensors.push(tensor);
  }
  const dataOffset = Math.ceil(cursor.position / alignment) * alignment;
  let total = 0;
  for (const tensor of tensors) {
    total += tensor.bytes;
    if (source.size !== undefined && dataOffset + tensor.offset + tensor.bytes > source.size) {
      throw new GgufFormatError(
        `tensor ${quote(tensor.name)} lies past the end of the file (is the download complete?)`,
      );
    }
  }
  return { version, metadata, tensors, alignment, dataOffset, tensorBytes: total, fileSize: source.size };
}
