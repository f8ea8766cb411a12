export interface Dated {
  updatedAt: number;
}

const day = 24 * 60 * 60 * 1000;

const startOfDay = (t: number): number => {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
};

/** "Today", "Yesterday", "Previous 7 days", "Previous 30 days", then by month ("March 2026"), newest first. */
export function groupByDate<T extends Dated>(
  items: readonly T[],
  now: number,
): { label: string; items: T[] }[] {
  const today = startOfDay(now);
  const label = (t: number): string => {
    if (t >= today) return 'Today';
    if (t >= today - day) return 'Yesterday';
    if (t >= today - 7 * day) return 'Previous 7 days';
    if (t >= today - 30 * day) return 'Previous 30 days';
    return new Date(t).toLocaleDateString('en-US', { month: 'long', year: 'numeric' });
  };
  const groups: { label: string; items: T[] }[] = [];
  for (const item of [...items].sort((a, b) => b.updatedAt - a.updatedAt)) {
    const name = label(item.updatedAt);
    const last = groups.at(-1);
    if (last?.label === name) last.items.push(item);
    else groups.push({ label: name, items: [item] });
  }
  return groups;
}
