import { describe, expect, it } from 'vitest';
import { LiveTokens } from '../../../../src/main/engine-process/live-tokens';

describe('live tokens/s', () => {
  it('measures the replies running now over their last seconds, summed, and 0 once they stall or end', () => {
    let now = 0;
    const live = new LiveTokens(() => now);
    expect(live.tokensPerSecond()).toBe(0);
    const a = live.begin();
    const b = live.begin();
    for (let i = 0; i < 50; i++) {
      a.tokens(1);
      if (i % 2 === 0) b.tokens(1);
      now += 20;
    }
    now -= 20;
    // a: one token per 20 ms (50/s); b: one per 40 ms (25/s).
    expect(live.generating).toBe(2);
    expect(live.tokensPerSecond()).toBeCloseTo(75, 0);
    b.end();
    expect(live.tokensPerSecond()).toBeCloseTo(50, 0);
    now += 2000;
    expect(live.tokensPerSecond()).toBe(0);
    a.end();
    expect(live.generating).toBe(0);
  });
});
