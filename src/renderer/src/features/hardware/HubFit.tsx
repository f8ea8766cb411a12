import { useQuery } from '@tanstack/react-query';
import type { RouteInput } from '../../../../shared/contract';
import { formatBytes } from '../../../../shared/domain/format';
import { machineLabel } from '../../../../shared/domain/machine-label';
import type { ModelRef } from '../../../../shared/domain/model-ref';
import { FitBadge } from '../../components/FitBadge';
import { ErrorText } from '../../components/ui';
import { routeQuery, useClient } from '../../lib/hooks';
import { FitResult } from './FitResult';
import { answerHubFit } from './hub-fit';

/**
 * A Hugging Face repo checked against a machine (this one unless named): Hearth reads each quant's
 * header remotely (hub.model, as `hearth fit owner/repo:QUANT`), nothing is downloaded.
 */
export function HubFit({
  target,
  settings,
  onPickQuant,
}: {
  target: ModelRef;
  /** The fit check's machine and settings (context, GPU layers, another GPU…). */
  settings?: RouteInput<'hub.model'>['fit'];
  onPickQuant(quant: string): void;
}): React.JSX.Element {
  // Cached by repo and settings: picking another quant asks the Hub nothing new.
  const details = useQuery(routeQuery(useClient(), 'hub.model', { repo: target.repo, fit: settings }));
  if (details.isPending)
    return <p className="mt-4 text-sm text-stone-500">Reading {target.repo} from Hugging Face…</p>;
  if (details.isError)
    return (
      <div className="mt-4">
        <ErrorText error={details.error} />
      </div>
    );
  const answer = answerHubFit(details.data, target.quant);
  if (answer.kind === 'missing')
    return (
      <p role="alert" className="mt-4 text-sm text-red-600 dark:text-red-400">
        {answer.message}
      </p>
    );
  if (answer.kind === 'variant')
    return answer.variant.fit ? (
      <FitResult fit={answer.variant.fit} />
    ) : (
      <p role="alert" className="mt-4 text-sm text-red-600 dark:text-red-400">
        Hearth could not read the header of {answer.variant.path}.
      </p>
    );
  return (
    <table className="mt-5 w-full text-left text-sm" data-testid="hub-fit-quants">
      <caption className="mb-2 text-left text-stone-500">
        Every quant of {target.repo}
        {machineOf(settings)}: pick one for the details.
      </caption>
      <thead className="text-xs text-stone-500">
        <tr>
          <th className="py-1">Quant</th>
          <th>Size</th>
          <th>Fit</th>
          <th>Speed</th>
        </tr>
      </thead>
      <tbody>
        {answer.variants.map((v) => (
          <tr key={v.path} className="border-t border-stone-100 dark:border-stone-800">
            <td className="py-2">
              <button
                type="button"
                className="font-mono text-ember-600 hover:underline"
                onClick={() => onPickQuant(v.quant)}
              >
                {v.quant}
              </button>
            </td>
            <td>{formatBytes(v.sizeBytes)}</td>
            <td>{v.fit ? <FitBadge fit={v.fit} /> : '—'}</td>
            <td>{v.fit?.speed.generationTps ? `~${v.fit.speed.generationTps.toFixed(1)} tok/s` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** " on this computer, 4096-token context", " on RTX 3060 12 GB"… */
function machineOf(settings: RouteInput<'hub.model'>['fit']): string {
  const context = settings?.contextSize ? `, ${settings.contextSize}-token context` : '';
  return ` on ${machineLabel(settings ?? {})}${context}`;
}
