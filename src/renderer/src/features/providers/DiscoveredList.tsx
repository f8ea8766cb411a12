import { useQuery } from '@tanstack/react-query';
import { Radar } from 'lucide-react';
import type { DiscoveredHearth, Provider } from '../../../../shared/contract';
import { Button, Card } from '../../components/ui';
import { useClient } from '../../lib/hooks';

/**
 * Hearths other machines announce on the LAN (only while they share). What they announce is shown
 * as text, never trusted: adding one still takes the person's click, its key and a connection test.
 */
export function DiscoveredList({
  added,
  onPick,
}: {
  added: Provider[];
  onPick: (hearth: DiscoveredHearth) => void;
}): React.JSX.Element {
  const client = useClient();
  const found = useQuery({
    queryKey: ['providers.discovered', null],
    queryFn: () => client.invoke('providers.discovered'),
    refetchInterval: 5000,
    retry: false,
  });
  const known = new Set(added.map((p) => p.baseUrl));
  const fresh = (found.data ?? []).filter((h) => !known.has(h.baseUrl));
  return (
    <Card aria-label="On your network">
      <h2 className="mb-2 flex items-center gap-2 text-sm font-semibold">
        <Radar className="size-4 text-stone-500" aria-hidden /> Hearths on your network
      </h2>
      {found.isError && <p className="text-sm text-stone-500">Could not look: {String(found.error)}</p>}
      {!found.isError && fresh.length === 0 && (
        <p className="text-sm text-stone-500">
          {found.isLoading
            ? 'Looking…'
            : 'None found. A Hearth shows up here while it shares on the network (Server → Share on my network, or hearth serve --host 0.0.0.0).'}
        </p>
      )}
      <ul className="divide-y divide-stone-100 dark:divide-stone-800">
        {fresh.map((h) => (
          <li key={h.baseUrl} className="flex items-center justify-between gap-3 py-2 text-sm">
            <span className="min-w-0">
              <span className="block truncate font-medium">{h.name}</span>
              <span className="block truncate text-xs text-stone-500">
                {[h.baseUrl, h.version ? `Hearth ${h.version}` : null, h.keyRequired ? 'needs a key' : null]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </span>
            <Button variant="secondary" onClick={() => onPick(h)} aria-label={`Add ${h.name}`}>
              Add…
            </Button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
