import { AppError } from '../../../shared/contract';
import type { ByteSource } from './byte-source';

export class GgufFormatError extends AppError {
  constructor(message: string) {
    super('INVALID_MODEL', `Not a valid GGUF model: ${message}`);
  }
}

/**
 * Sequential reads over a ByteSource through a window of large blocks. Reads are synchronous
 * once the bytes are in the window: the parser asks `has(n)` and awaits `fill(n)` only when the
 * window runs out, so a vocabulary of millions of strings costs a few awaits, not millions.
 */
export class Cursor {
  private buffer: Buffer = Buffer.alloc(0);
  /** Absolute offset of buffer[0]. */
  private bufferStart = 0;
  /** Absolute offset of the next byte to read. */
  position = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly maxHeaderBytes: number,
  ) {}

  /** True when the next `bytes` bytes are in the window (and within the header limit). */
  has(bytes: number): boolean {
    const end = this.position + bytes;
    return end <= this.bufferStart + this.buffer.length && end <= this.maxHeaderBytes;
  }

  private check(bytes: number): void {
    const end = this.position + bytes;
    if (end > this.maxHeaderBytes)
      throw new GgufFormatError(`the header is larger than ${this.maxHeaderBytes} bytes`);
    if (this.source.size !== undefined && end > this.source.size) {
      throw new GgufFormatError(
        `the header runs past the end of the file (needs byte ${end}, file has ${this.source.size})`,
      );
    }
  }

  /** Loads the window so that the next `bytes` bytes are in it. */
  async fill(bytes: number): Promise<void> {
    this.check(bytes);
    if (this.has(bytes)) return;
    const keepFrom = Math.max(0, this.position - this.bufferStart);
    const bufferEnd = Math.max(this.position, this.bufferStart + this.buffer.length);
    const kept =
      this.position < this.bufferStart + this.buffer.length ? this.buffer.subarray(keepFrom) : null;
    const missing = this.position + bytes - bufferEnd;
    const chunk = Math.max(missing, 256 * 1024, Math.min(this.buffer.length, 8 * 1024 * 1024));
    const fresh = await this.source.read(bufferEnd, chunk);
    this.buffer = kept ? Buffer.concat([kept, fresh]) : fresh;
    this.bufferStart = this.position;
    if (!this.has(bytes)) throw new GgufFormatError('the file is truncated inside its header');
  }

  /** For synchronous parsing of what should be in the window: a short window means the file ended. */
  require(bytes: number): void {
    if (this.has(bytes)) return;
    this.check(bytes);
    throw new GgufFormatError('the file is truncated inside its header');
  }

  private at(): number {
    return this.position - this.bufferStart;
  }

  u8(): number {
    const value = this.buffer.readUInt8(this.at());
    this.position += 1;
    return value;
  }

  u32(): number {
    const value = this.buffer.readUInt32LE(this.at());
    this.position += 4;
    return value;
  }

  /** A 64-bit count or size; refused when a double cannot hold it exactly (`what` names it then). */
  u64(what: () => string): number {
    const at = this.at();
    this.position += 8;
    const high = this.buffer.readUInt32LE(at + 4);
    if (high >= 0x200000)
      throw new GgufFormatError(`${what()} is absurdly large (${this.buffer.readBigUInt64LE(at)})`);
    return high * 0x100000000 + this.buffer.readUInt32LE(at);
  }

  peekU64(): bigint {
    return this.buffer.readBigUInt64LE(this.at());
  }

  /** The next u64 as a number when below 2^32, else Infinity (a string that long is refused anyway). */
  peekLength(): number {
    const at = this.at();
    return this.buffer.readUInt32LE(at + 4) === 0 ? this.buffer.readUInt32LE(at) : Infinity;
  }

  /** Reads a scalar of a fixed-size GGUF type that is in the window. */
  scalar(type: number, size: number): number | boolean {
    const b = this.buffer;
    const at = this.at();
    this.position += size;
    switch (type) {
      case 0:
        return b.readUInt8(at);
      case 1:
        return b.readInt8(at);
      case 2:
        return b.readUInt16LE(at);
      case 3:
        return b.readInt16LE(at);
      case 4:
        return b.readUInt32LE(at);
      case 5:
        return b.readInt32LE(at);
      case 6:
        return b.readFloatLE(at);
      case 7:
        return b.readUInt8(at) !== 0;
      case 10:
        return Number(b.readBigUInt64LE(at));
      case 11:
        return Number(b.readBigInt64LE(at));
      default:
        return b.readDoubleLE(at);
    }
  }

  /** `length` bytes in the window as UTF-8. */
  text(length: number): string {
    const at = this.at();
    this.position += length;
    return this.buffer.toString('utf8', at, at + length);
  }

  /**
   * Moves past `bytes` bytes without loading them (a long array of numbers is counted, not read);
   * the file's end still bounds how far it may go.
   */
  skip(bytes: number): void {
    if (this.has(bytes)) {
      this.position += bytes;
      return;
    }
    this.check(bytes);
    this.position += bytes;
    this.buffer = Buffer.alloc(0);
    this.bufferStart = this.position;
  }

  remaining(): number | undefined {
    return this.source.size === undefined ? undefined : this.source.size - this.position;
  }
}
