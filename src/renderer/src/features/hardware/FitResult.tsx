import type { FitEstimate } from '../../../../shared/contract';
import { FitBadge } from '../../components/FitBadge';
import { FitBreakdown } from '../../components/FitBreakdown';
import { FitDevices } from './FitDevices';

/** One model's verdict and where its memory goes. */
export function FitResult({ fit }: { fit: FitEstimate }): React.JSX.Element {
  return (
    <div className="mt-5 space-y-3" data-testid="fit-result">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{fit.model.name}</span>
        <span className="text-sm text-stone-500">{fit.model.quant}</span>
        <FitBadge fit={fit} />
      </div>
      <FitBreakdown fit={fit} />
      <FitDevices fit={fit} />
    </div>
  );
}
