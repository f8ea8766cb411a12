/** How far back the live speed looks: long enough to be steady, short enough to follow a slowdown. */
const windowMs = 3000;
/** A reply with no token for this long is stalled (prompt processing, a stop): 0 tokens/s, not its old speed. */
const stallMs = 1500;

interface Reply {
  times: number[];
}

/**
 * The generation speed of the replies running now, for the resource monitor: token arrival times
 * over the last few seconds, per reply, summed. Costs one push per token.
 */
export class LiveTokens {
  private readonly replies = new Set<Reply>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A reply starts; call `tokens` as they come and `end` when it is over. */
  begin(): { tokens(count: number): void; end(): void } {
    const reply: Reply = { times: [] };
    this.replies.add(reply);
    return {
      tokens: (count) => {
        const at = this.now();
        for (let i = 0; i < count; i++) reply.times.push(at);
        // Only the window matters; trimming here keeps a long reply's memory flat.
        if (reply.times.length > 4096) reply.times.splice(0, reply.times.length - 2048);
      },
      end: () => this.replies.delete(reply),
    };
  }

  get generating(): number {
    return this.replies.size;
  }

  tokensPerSecond(): number {
    const now = this.now();
    let sum = 0;
    for (const { times } of this.replies) {
      const last = times.at(-1);
      if (last === undefined || now - last > stallMs) continue;
      const recent = times.filter((t) => now - t <= windowMs);
      const first = recent[0];
      if (first === undefined || recent.length < 2 || last <= first) continue;
      sum += ((recent.length - 1) * 1000) / (last - first);
    }
    return Math.round(sum * 10) / 10;
  }
}
