import { RemoteError } from './remote-error';

export interface SseEvent {
  /** `message` unless the server named it (`event:`); llama-server's old `error:` lines are `error`. */
  event: string;
  data: string;
}

/**
 * Server-sent events from lines (the WHATWG rules: `data:` lines joined by newlines, a blank line
 * ends an event, `:` starts a comment). Data held for one event is capped like a line is.
 */
export class SseParser {
  private data: string[] = [];
  private dataBytes = 0;
  private event = '';

  constructor(private readonly maxEventBytes: number) {}

  /** The event `line` completes, if any. */
  line(line: string): SseEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data' || field === 'error') {
      if (field === 'error') this.event = 'error';
      this.dataBytes += Buffer.byteLength(value) + 1;
      if (this.dataBytes > this.maxEventBytes)
        throw new RemoteError('too-large', `it sent an event over ${this.maxEventBytes} bytes`);
      this.data.push(value);
    } else if (field === 'event') {
      this.event = value;
    }
    // id and retry only matter to a reconnecting browser; other fields are ignored, as the spec says.
    return null;
  }

  /** A last event the server did not close with a blank line. */
  end(): SseEvent | null {
    return this.dispatch();
  }

  private dispatch(): SseEvent | null {
    if (this.data.length === 0) {
      this.event = '';
      return null;
    }
    const event = { event: this.event || 'message', data: this.data.join('\n') };
    this.data = [];
    this.dataBytes = 0;
    this.event = '';
    return event;
  }
}
