import { RemoteError } from './remote-error';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines (LF, CRLF or a lone CR, as SSE allows) on byte boundaries, so a
 * UTF-8 character cut between two chunks is decoded whole. A line longer than `maxLineBytes` is
 * refused instead of buffered: a remote that never sends a newline cannot fill memory.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The last byte seen was a CR: an LF right after it completes a CRLF, not a new line. */
  private afterCr = false;

  constructor(private readonly maxLineBytes: number) {}

  *push(chunk: Buffer): Generator<string> {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      const wasCr = this.afterCr;
      this.afterCr = false;
      if (byte === LF && wasCr) {
        start = i + 1;
      } else if (byte === LF || byte === CR) {
        yield this.take(chunk.subarray(start, i));
        this.afterCr = byte === CR;
        start = i + 1;
      }
    }
    if (start < chunk.length) this.keep(chunk.subarray(start));
  }

  /** The last line, when the stream ended without a newline. */
  *end(): Generator<string> {
    if (this.pendingBytes > 0) yield this.take(Buffer.alloc(0));
  }

  private tooLong(): RemoteError {
    return new RemoteError('too-large', `it sent a line over ${this.maxLineBytes} bytes`);
  }

  private keep(piece: Buffer): void {
    this.pendingBytes += piece.length;
    if (this.pendingBytes > this.maxLineBytes) throw this.tooLong();
    this.pending.push(Buffer.from(piece));
  }

  private take(last: Buffer): string {
    if (this.pendingBytes + last.length > this.maxLineBytes) throw this.tooLong();
    const line =
      this.pending.length === 0
        ? last.toString('utf8')
        : Buffer.concat([...this.pending, last]).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }
}
