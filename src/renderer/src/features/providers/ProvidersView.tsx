import { useState } from 'react';
import type { DiscoveredHearth, Provider } from '../../../../shared/contract';
import { ErrorText, Page } from '../../components/ui';
import { AddProviderForm, type AddPrefill } from './AddProviderForm';
import { DiscoveredList } from './DiscoveredList';
import { MachineCompare } from './MachineCompare';
import { ProviderList } from './ProviderList';
import { useProviders } from './use-providers';

/** This machine and the servers chats can run on: add, test, remove, find on the LAN, compare. */
export function ProvidersView(): React.JSX.Element {
  const providers = useProviders();
  const [prefill, setPrefill] = useState<AddPrefill | null>(null);
  const [comparing, setComparing] = useState<string | null>(null);
  const list: Provider[] = providers.data ?? [];
  // The comparison shows the Hearth picked, or the first one added.
  const remote =
    list.find((p) => p.id === comparing && p.kind === 'hearth') ?? list.find((p) => p.kind === 'hearth');
  const pick = (h: DiscoveredHearth): void =>
    setPrefill({ baseUrl: h.baseUrl, kind: 'hearth', name: h.name, nonce: Date.now() });
  return (
    <Page title="Providers" subtitle="This machine and the servers your chats can run on">
      <ErrorText error={providers.error} />
      <ProviderList providers={list} comparing={remote?.id ?? null} onCompare={setComparing} />
      <AddProviderForm prefill={prefill} onAdded={(p) => p.kind === 'hearth' && setComparing(p.id)} />
      <DiscoveredList added={list} onPick={pick} />
      {remote && <MachineCompare key={remote.id} remote={remote} />}
    </Page>
  );
}
