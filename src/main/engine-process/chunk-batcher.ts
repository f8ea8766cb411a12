/**
 * Collects streamed text and flushes it at most every `intervalMs` (or when `maxChars` is
 * reached), so a fast model sends one message per frame instead of one per token.
 */
export class ChunkBatcher {
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flushTo: (text: string) => void,
    private readonly intervalMs = 16,
    private readonly maxChars = 512,
  ) {}

  push(text: string): void {
    this.pending += text;
    if (this.pending.length >= this.maxChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.flushTo(text);
  }
}
