import type { FitEstimate } from '../../../shared/contract';
import { verdictLabels } from '../../../shared/domain/format';

const styles: Record<FitEstimate['verdict'], string> = {
  'full-gpu': 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300',
  partial: 'bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300',
  'cpu-only': 'bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-300',
  'does-not-fit': 'bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300',
};

/** "Runs fully on the GPU", "Partly on the GPU (21/81)", … wherever a model or a quant is shown. */
export function FitBadge({ fit }: { fit: FitEstimate }): React.JSX.Element {
  const detail = fit.verdict === 'partial' ? ` (${fit.gpuLayers}/${fit.totalLayers})` : '';
  return (
    <span
      data-testid="fit-badge"
      data-verdict={fit.verdict}
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium ${styles[fit.verdict]}`}
    >
      {verdictLabels[fit.verdict]}
      {detail}
    </span>
  );
}
