/** One API generation, as the Server page's live log shows it. Never the key, never the prompt. */
export interface RequestLogEntry {
  /** When the request arrived (ms since the epoch). */
  at: number;
  client: string;
  endpoint: string;
  model: string;
  status: number | 'cancelled';
  promptTokens: number;
  completionTokens: number;
  tokensPerSecond: number;
  /** From arrival to the last byte (or to the moment the client left). */
  durationMs: number;
}

/** The last few hundred generations, newest last, with a listener for the live view. */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private readonly listeners = new Set<(entry: RequestLogEntry) => void>();

  constructor(private readonly limit = 200) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.shift();
    for (const listener of this.listeners) listener(entry);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  subscribe(listener: (entry: RequestLogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
