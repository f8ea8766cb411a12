import { AppError } from '../../../shared/contract';
import type { ByteSource } from './byte-source';
import { ggmlTypeById, tensorBytes, type GgmlTypeInfo } from './ggml-types';

/**
 * A GGUF header reader that treats every file as hostile: counts, lengths, nesting and offsets
 * are checked against limits and the file size before anything is allocated, so a malformed or
 * malicious header fails fast with a clear message instead of exhausting memory.
 */

export type GgufScalarValue = number | string | boolean;
export interface GgufArrayValue {
  kind: 'array';
  itemType: number;
  length: number;
  /** Kept only for short arrays (per-layer hyperparameters); long ones (vocabularies) are counted, not stored. */
  values?: GgufValue[];
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
  maxArrayDepth: number;
  maxHeaderBytes: number;
  keepArraysUpTo: number;
}

export const defaultGgufLimits: GgufLimits = {
  maxKeyBytes: 65_535,
  maxStringBytes: 16 * 1024 * 1024,
  maxMetadataCount: 100_000,
  maxTensorCount: 200_000,
  maxArrayLength: 16 * 1024 * 1024,
  maxArrayDepth: 2,
  maxHeaderBytes: 512 * 1024 * 1024,
  keepArraysUpTo: 4096,
};

export class GgufFormatError extends AppError {
  constructor(message: string) {
    super('INVALID_MODEL', `Not a valid GGUF model: ${message}`);
  }
}

const ValueType = {
  U8: 0,
  I8: 1,
  U16: 2,
  I16: 3,
  U32: 4,
  I32: 5,
  F32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  U64: 10,
  I64: 11,
  F64: 12,
};
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

/** Sequential reads over a ByteSource through a growing window, so headers cost a few large reads. */
class Cursor {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;
  position = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly limits: GgufLimits,
  ) {}

  private async ensure(bytes: number): Promise<void> {
    const end = this.position + bytes;
    if (end > this.limits.maxHeaderBytes)
      throw new GgufFormatError(`header is larger than ${this.limits.maxHeaderBytes} bytes`);
    if (this.source.size !== undefined && end > this.source.size) {
      throw new GgufFormatError(
        `the header runs past the end of the file (needs byte ${end}, file has ${this.source.size})`,
      );
    }
    if (end <= this.bufferStart + this.buffer.length) return;
    const keepFrom = this.position - this.bufferStart;
    const chunk = Math.max(bytes, 256 * 1024, Math.min(this.buffer.length, 8 * 1024 * 1024));
    const fresh = await this.source.read(this.bufferStart + this.buffer.length, chunk);
    this.buffer = Buffer.concat([this.buffer.subarray(keepFrom), fresh]);
    this.bufferStart = this.position;
    if (end > this.bufferStart + this.buffer.length)
      throw new GgufFormatError('the file is truncated inside its header');
  }

  private async take(bytes: number): Promise<Buffer> {
    await this.ensure(bytes);
    const start = this.position - this.bufferStart;
    this.position += bytes;
    return this.buffer.subarray(start, start + bytes);
  }

  async u32(): Promise<number> {
    return (await this.take(4)).readUInt32LE(0);
  }

  async u64(): Promise<number> {
    const value = (await this.take(8)).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new GgufFormatError(`a 64-bit count or size is absurdly large (${value})`);
    return Number(value);
  }

  async string(max: number, what: string): Promise<string> {
    const length = await this.u64();
    if (length > max) throw new GgufFormatError(`${what} is ${length} bytes long (limit ${max})`);
    return (await this.take(length)).toString('utf8');
  }

  async scalar(type: number): Promise<GgufScalarValue> {
    if (type === ValueType.STRING) return this.string(this.limits.maxStringBytes, 'a metadata string');
    const size = fixedSizes[type];
    if (size === undefined) throw new GgufFormatError(`unknown metadata value type ${type}`);
    const b = await this.take(size);
    switch (type) {
      case ValueType.U8:
        return b.readUInt8(0);
      case ValueType.I8:
        return b.readInt8(0);
      case ValueType.U16:
        return b.readUInt16LE(0);
      case ValueType.I16:
        return b.readInt16LE(0);
      case ValueType.U32:
        return b.readUInt32LE(0);
      case ValueType.I32:
        return b.readInt32LE(0);
      case ValueType.F32:
        return b.readFloatLE(0);
      case ValueType.BOOL:
        return b.readUInt8(0) !== 0;
      case ValueType.U64:
        return Number(b.readBigUInt64LE(0));
      case ValueType.I64:
        return Number(b.readBigInt64LE(0));
      default:
        return b.readDoubleLE(0);
    }
  }

  async skip(bytes: number): Promise<void> {
    await this.ensure(bytes);
    this.position += bytes;
  }

  remaining(): number | undefined {
    return this.source.size === undefined ? undefined : this.source.size - this.position;
  }
}

async function readValue(
  cursor: Cursor,
  type: number,
  limits: GgufLimits,
  depth: number,
): Promise<GgufValue> {
  if (type !== ValueType.ARRAY) return cursor.scalar(type);
  if (depth >= limits.maxArrayDepth)
    throw new GgufFormatError(`arrays are nested more than ${limits.maxArrayDepth} deep`);
  const itemType = await cursor.u32();
  const length = await cursor.u64();
  if (length > limits.maxArrayLength)
    throw new GgufFormatError(`an array claims ${length} items (limit ${limits.maxArrayLength})`);
  const minItemBytes = fixedSizes[itemType] ?? 8; // strings and arrays take at least their 8-byte length
  const remaining = cursor.remaining();
  if (remaining !== undefined && length * minItemBytes > remaining) {
    throw new GgufFormatError(
      `an array of ${length} items cannot fit in the ${remaining} bytes left in the file`,
    );
  }
  const keep = length <= limits.keepArraysUpTo;
  if (!keep && fixedSizes[itemType] !== undefined) {
    await cursor.skip(length * minItemBytes);
    return { kind: 'array', itemType, length };
  }
  const values: GgufValue[] = [];
  for (let i = 0; i < length; i++) {
    const value = await readValue(cursor, itemType, limits, depth + 1);
    if (keep) values.push(value);
  }
  return keep ? { kind: 'array', itemType, length, values } : { kind: 'array', itemType, length };
}

export async function readGgufHeader(
  source: ByteSource,
  limits: GgufLimits = defaultGgufLimits,
): Promise<GgufHeader> {
  const cursor = new Cursor(source, limits);
  if (source.size !== undefined && source.size < 24)
    throw new GgufFormatError(`the file is only ${source.size} bytes`);
  const magic = await cursor.u32();
  if (magic !== GGUF_MAGIC) throw new GgufFormatError('bad magic (this is not a GGUF file)');
  const version = await cursor.u32();
  if (version < 2 || version > 3) throw new GgufFormatError(`unsupported GGUF version ${version}`);
  const tensorCount = await cursor.u64();
  const metadataCount = await cursor.u64();
  if (tensorCount > limits.maxTensorCount)
    throw new GgufFormatError(`it claims ${tensorCount} tensors (limit ${limits.maxTensorCount})`);
  if (metadataCount > limits.maxMetadataCount) {
    throw new GgufFormatError(
      `it claims ${metadataCount} metadata entries (limit ${limits.maxMetadataCount})`,
    );
  }

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < metadataCount; i++) {
    const key = await cursor.string(limits.maxKeyBytes, 'a metadata key');
    const type = await cursor.u32();
    metadata.set(key, await readValue(cursor, type, limits, 0));
  }
  const alignmentValue = metadata.get('general.alignment') ?? 32;
  const alignment = typeof alignmentValue === 'number' ? alignmentValue : NaN;
  if (
    !Number.isInteger(alignment) ||
    alignment <= 0 ||
    alignment > 65_536 ||
    (alignment & (alignment - 1)) !== 0
  ) {
    throw new GgufFormatError(`general.alignment must be a power of two, got ${String(alignmentValue)}`);
  }

  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = await cursor.string(limits.maxKeyBytes, 'a tensor name');
    const dimCount = await cursor.u32();
    if (dimCount < 1 || dimCount > 4)
      throw new GgufFormatError(`tensor ${name} has ${dimCount} dimensions (1-4 allowed)`);
    const dims: number[] = [];
    let elements = 1;
    for (let d = 0; d < dimCount; d++) {
      const size = await cursor.u64();
      if (size < 1) throw new GgufFormatError(`tensor ${name} has an empty dimension`);
      elements *= size;
      if (elements > Number.MAX_SAFE_INTEGER) throw new GgufFormatError(`tensor ${name} is impossibly large`);
      dims.push(size);
    }
    const typeId = await cursor.u32();
    const type = ggmlTypeById(typeId);
    if (!type) throw new GgufFormatError(`tensor ${name} has unknown type ${typeId}`);
    const offset = await cursor.u64();
    if (offset % alignment !== 0)
      throw new GgufFormatError(`tensor ${name} is not aligned to ${alignment} bytes`);
    let bytes: number;
    try {
      bytes = tensorBytes(type, dims);
    } catch (error) {
      throw new GgufFormatError(`tensor ${name}: ${(error as Error).message}`);
    }
    tensors.push({ name, dims, type, offset, bytes });
  }
  const dataOffset = Math.ceil(cursor.position / alignment) * alignment;
  let total = 0;
  for (const tensor of tensors) {
    total += tensor.bytes;
    if (source.size !== undefined && dataOffset + tensor.offset + tensor.bytes > source.size) {
      throw new GgufFormatError(
        `tensor ${tensor.name} lies past the end of the file (is the download complete?)`,
      );
    }
  }
  return { version, metadata, tensors, alignment, dataOffset, tensorBytes: total, fileSize: source.size };
}
