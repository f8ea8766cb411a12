import { formatBytes } from '../../../../shared/domain/format';

/** Green below 70 %, amber below 90 %, red above: the same thresholds as the warnings. */
export function levelOf(ratio: number | null): 'ok' | 'high' | 'full' | 'unknown' {
  if (ratio === null || !Number.isFinite(ratio)) return 'unknown';
  return ratio >= 0.9 ? 'full' : ratio >= 0.7 ? 'high' : 'ok';
}

const fills = {
  ok: 'bg-emerald-500',
  high: 'bg-amber-500',
  full: 'bg-red-500',
  unknown: 'bg-transparent',
} as const;

export const textLevel = {
  ok: 'text-emerald-700 dark:text-emerald-400',
  high: 'text-amber-700 dark:text-amber-400',
  full: 'text-red-700 dark:text-red-400',
  unknown: 'text-stone-500',
} as const;

export const na = 'N/A';
export const pct = (value: number | null): string => (value === null ? na : `${Math.round(value)}%`);
export const bytes = (value: number | null): string => (value === null ? na : formatBytes(value));
export const ratioOf = (used: number | null, total: number | null): number | null =>
  used === null || !total ? null : used / total;

/** A labelled bar: the share filled in its threshold colour, and the reading beside it. */
export function Meter({
  label,
  ratio,
  text,
  testId,
}: {
  label: string;
  ratio: number | null;
  text: string;
  testId?: string;
}): React.JSX.Element {
  const level = levelOf(ratio);
  return (
    <div className="flex items-center gap-2 text-xs" data-testid={testId} data-level={level}>
      <span className="w-10 shrink-0 font-medium text-stone-500">{label}</span>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={ratio === null ? undefined : Math.round(ratio * 100)}
        aria-valuetext={text}
        className="h-2.5 flex-1 overflow-hidden rounded-sm bg-stone-200 dark:bg-stone-800"
      >
        <div
          className={`h-full ${fills[level]}`}
          style={{ width: `${Math.round(Math.min(1, Math.max(0, ratio ?? 0)) * 100)}%` }}
        />
      </div>
      <span className={`w-36 shrink-0 text-right tabular-nums ${ratio === null ? 'text-stone-500' : ''}`}>
        {text}
      </span>
    </div>
  );
}
