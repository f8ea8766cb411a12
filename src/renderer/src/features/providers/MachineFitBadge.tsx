import type { MachineFit } from '../../../../shared/contract';
import { verdictLabels } from '../../../../shared/domain/format';

const styles: Record<MachineFit['verdict'], string> = {
  'full-gpu': 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300',
  partial: 'bg-amber-100 text-amber-800 dark:bg-amber-900/50 dark:text-amber-300',
  'cpu-only': 'bg-sky-100 text-sky-800 dark:bg-sky-900/50 dark:text-sky-300',
  'does-not-fit': 'bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-300',
};

/** The fit badge (as FitBadge draws it) for a verdict another machine's estimator gave. */
export function MachineFitBadge({ fit }: { fit: MachineFit }): React.JSX.Element {
  const detail = fit.verdict === 'partial' ? ` (${fit.gpuLayers}/${fit.totalLayers})` : '';
  return (
    <span
      data-testid="fit-badge"
      data-verdict={fit.verdict}
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium whitespace-nowrap ${styles[fit.verdict]}`}
    >
      {verdictLabels[fit.verdict]}
      {detail}
    </span>
  );
}

/** Where a machine has no estimator to ask (Ollama, OpenAI-compatible servers). */
export function NoFitData(): React.JSX.Element {
  return (
    <span className="text-xs whitespace-nowrap text-stone-400" data-testid="no-fit-data">
      no fit data
    </span>
  );
}
