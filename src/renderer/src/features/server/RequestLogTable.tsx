import type { ApiRequestEntry } from '../../../../shared/contract';
import { Card } from '../../components/ui';
import { useRequestLog } from './use-request-log';

const time = (at: number): string => new Date(at).toLocaleTimeString();

function statusClass(status: ApiRequestEntry['status']): string {
  if (status === 'cancelled') return 'text-stone-500';
  return status < 400 ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-600 dark:text-red-400';
}

function Row({ entry }: { entry: ApiRequestEntry }): React.JSX.Element {
  return (
    <tr data-testid="request-row" className="border-t border-stone-100 dark:border-stone-800">
      <td className="py-1 pr-3 tabular-nums">{time(entry.at)}</td>
      <td className="py-1 pr-3">{entry.client}</td>
      <td className="py-1 pr-3" title={entry.endpoint}>
        {entry.model}
      </td>
      <td className="py-1 pr-3 text-right tabular-nums" data-testid="request-tokens">
        {entry.promptTokens} → {entry.completionTokens}
      </td>
      <td className="py-1 pr-3 text-right tabular-nums">{entry.tokensPerSecond.toFixed(1)}</td>
      <td className={`py-1 text-right tabular-nums ${statusClass(entry.status)}`}>{entry.status}</td>
    </tr>
  );
}

/** The live log of API generations, newest first. */
export function RequestLogTable(): React.JSX.Element {
  const entries = useRequestLog();
  const newestFirst = [...(entries ?? [])].reverse();
  return (
    <Card aria-labelledby="request-log-title">
      <h2 id="request-log-title" className="mb-2 font-semibold">
        Requests
      </h2>
      {newestFirst.length === 0 ? (
        <p className="text-sm text-stone-500">No requests yet. Try one of the snippets below.</p>
      ) : (
        <div className="max-h-80 overflow-y-auto">
          <table className="w-full text-sm" aria-label="API requests">
            <thead className="text-left text-xs text-stone-500">
              <tr>
                <th className="pr-3 font-medium">Time</th>
                <th className="pr-3 font-medium">Client</th>
                <th className="pr-3 font-medium">Model</th>
                <th className="pr-3 text-right font-medium">Tokens (in → out)</th>
                <th className="pr-3 text-right font-medium">Tokens/s</th>
                <th className="text-right font-medium">Status</th>
              </tr>
            </thead>
            <tbody>
              {newestFirst.map((entry, i) => (
                <Row key={`${entry.at}-${newestFirst.length - i}`} entry={entry} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
