import { useMutation, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import type { Provider, ProviderHealth } from '../../../../shared/contract';
import { Button, Card, ErrorText } from '../../components/ui';
import { useClient } from '../../lib/hooks';

const kindNames: Record<Provider['kind'], string> = {
  local: 'this computer',
  hearth: 'Hearth',
  ollama: 'Ollama',
  openai: 'OpenAI-compatible',
};

/** Reachable, how fast, what it says it is; or why not. */
function Health({
  provider,
  health,
}: {
  provider: Provider;
  health: UseQueryResult<ProviderHealth>;
}): React.JSX.Element {
  if (health.isLoading) return <span className="text-xs text-stone-500">Checking…</span>;
  if (health.error) return <ErrorText error={health.error} />;
  const h = health.data!;
  return h.ok ? (
    <span
      className="text-xs text-emerald-700 dark:text-emerald-400"
      data-testid="provider-health"
      data-ok="true"
    >
      Reachable{h.latencyMs !== null && provider.kind !== 'local' ? ` · ${h.latencyMs} ms` : ''}
      {h.version ? ` · ${h.version}` : ''}
    </span>
  ) : (
    <span
      role="alert"
      className="text-xs text-red-600 dark:text-red-400"
      data-testid="provider-health"
      data-ok="false"
    >
      Unreachable: {h.error}
    </span>
  );
}

function ProviderRow({
  provider,
  comparing,
  onCompare,
}: {
  provider: Provider;
  comparing: boolean;
  onCompare: () => void;
}): React.JSX.Element {
  const client = useClient();
  const [confirming, setConfirming] = useState(false);
  const health = useQuery({
    queryKey: ['providers.test', { id: provider.id }],
    queryFn: () => client.invoke('providers.test', { id: provider.id }),
    retry: false,
    refetchInterval: 30_000,
  });
  const remove = useMutation({ mutationFn: () => client.invoke('providers.remove', { id: provider.id }) });
  const remote = provider.kind !== 'local';
  return (
    <li
      className="flex flex-wrap items-center gap-3 py-3"
      data-testid="provider-row"
      data-provider={provider.name}
    >
      <div className="min-w-0 flex-1">
        <div className="flex items-center gap-2">
          <span className="truncate text-sm font-medium">{provider.name}</span>
          <span className="rounded bg-stone-100 px-1.5 py-0.5 text-[11px] text-stone-600 dark:bg-stone-800 dark:text-stone-300">
            {kindNames[provider.kind]}
          </span>
          {provider.hasKey && <span className="text-[11px] text-stone-500">key saved</span>}
        </div>
        <div className="truncate text-xs text-stone-500">{provider.baseUrl ?? 'Models installed here'}</div>
        <Health provider={provider} health={health} />
        <ErrorText error={remove.error} />
      </div>
      {provider.kind === 'hearth' && (
        <Button variant="secondary" aria-pressed={comparing} onClick={onCompare}>
          Compare with this machine
        </Button>
      )}
      {remote && (
        <Button variant="secondary" onClick={() => void health.refetch()} disabled={health.isFetching}>
          Test
        </Button>
      )}
      {remote &&
        (confirming ? (
          <span className="flex items-center gap-1 text-xs">
            Remove?
            <Button variant="danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
              Remove
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              Keep
            </Button>
          </span>
        ) : (
          <Button variant="danger" onClick={() => setConfirming(true)} aria-label={`Remove ${provider.name}`}>
            Remove
          </Button>
        ))}
    </li>
  );
}

/** This machine and every server added, each with its health. */
export function ProviderList({
  providers,
  comparing,
  onCompare,
}: {
  providers: Provider[];
  comparing: string | null;
  onCompare: (id: string) => void;
}): React.JSX.Element {
  return (
    <Card aria-label="Providers">
      <ul className="divide-y divide-stone-100 dark:divide-stone-800">
        {providers.map((p) => (
          <ProviderRow
            key={p.id}
            provider={p}
            comparing={comparing === p.id}
            onCompare={() => onCompare(p.id)}
          />
        ))}
      </ul>
    </Card>
  );
}
