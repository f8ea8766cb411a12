/**
 * Collects streamed text and flushes it at most every `intervalMs` (or when `maxChars` is
 * reached), so a fast model sends one message per frame instead of one per token. The first text
 * goes at once: time to first token is what a user feels most.
 */
export class ChunkBatcher {
  private pending = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private started = false;

  constructor(
    private readonly flushTo: (text: string) => void,
    private readonly intervalMs = 16,
    private readonly maxChars = 512,
  ) {}

  push(text: string): void {
    this.pending += text;
    if (!this.started || this.pending.length >= this.maxChars) {
      this.started = true;
      this.flush();
    } else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
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
