import { describe, expect, it } from 'vitest';
import { groupByDate } from '../../../src/renderer/src/features/chat/date-groups';

describe('conversations grouped by date in the sidebar', () => {
  it('puts each conversation under Today, Yesterday, the last 7 or 30 days, or its month, newest first', () => {
    const now = new Date(2026, 10, 22, 15, 0).getTime();
    const at = (y: number, m: number, d: number, h = 12) => new Date(y, m, d, h).getTime();
    const items = [
      { id: 'old', updatedAt: at(2026, 2, 3) },
      { id: 'morning', updatedAt: at(2026, 10, 22, 0) },
      { id: 'yesterday-late', updatedAt: at(2026, 10, 21, 23) },
      { id: 'week', updatedAt: at(2026, 10, 17) },
      { id: 'month', updatedAt: at(2026, 10, 1) },
      { id: 'now', updatedAt: now },
      { id: 'older', updatedAt: at(2026, 2, 1) },
    ];
    expect(groupByDate(items, now).map((g) => [g.label, g.items.map((i) => i.id)])).toEqual([
      ['Today', ['now', 'morning']],
      ['Yesterday', ['yesterday-late']],
      ['Previous 7 days', ['week']],
      ['Previous 30 days', ['month']],
      ['March 2026', ['old', 'older']],
    ]);
    expect(groupByDate([], now)).toEqual([]);
  });
});
