import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChunkBatcher } from '../../../../src/main/engine-process/chunk-batcher';

describe('chunk batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first token at once, then one message per interval however many arrive, losing none', () => {
    const sent: string[] = [];
    const batcher = new ChunkBatcher((t) => sent.push(t), 16, 10_000);
    for (let i = 0; i < 100; i++) batcher.push(`t${i} `);
    expect(sent).toEqual(['t0 ']);
    vi.advanceTimersByTime(16);
    expect(sent).toHaveLength(2);
    batcher.push('last');
    batcher.flush();
    expect(sent.join('')).toBe(Array.from({ length: 100 }, (_, i) => `t${i} `).join('') + 'last');
  });

  it('flushes early when the batch grows large', () => {
    const sent: string[] = [];
    const batcher = new ChunkBatcher((t) => sent.push(t), 16, 8);
    batcher.push('0');
    batcher.push('12345');
    batcher.push('6789');
    expect(sent).toEqual(['0', '123456789']);
  });
});
