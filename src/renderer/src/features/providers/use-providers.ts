import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { MachineModel, Provider, ProviderModel } from '../../../../shared/contract';
import { useClient, useRoute } from '../../lib/hooks';

/** Every provider, this machine first, kept current by the `providers.changed` event. */
export function useProviders() {
  const client = useClient();
  const queryClient = useQueryClient();
  useEffect(
    () =>
      client.on('providers.changed', (list) => {
        queryClient.setQueryData<Provider[]>(['providers.list', null], list);
      }),
    [client, queryClient],
  );
  return useRoute('providers.list');
}

/** One provider's models as it names them, and (another Hearth only) each one's fit on its own machine. */
export interface MachineGroup {
  provider: Provider;
  models: ProviderModel[];
  /** By model id; absent where the machine gives no fit data (Ollama, OpenAI). */
  fits: Map<string, MachineModel> | null;
  error: unknown;
  loading: boolean;
}

/** The remote providers' models for the chat's picker, grouped by machine. */
export function useRemoteGroups(enabled: boolean): MachineGroup[] {
  const client = useClient();
  const providers = useProviders();
  const remotes = (providers.data ?? []).filter((p) => p.kind !== 'local');
  const models = useQueries({
    queries: remotes.map((p) => ({
      queryKey: ['providers.models', { id: p.id }],
      queryFn: () => client.invoke('providers.models', { id: p.id }),
      enabled,
      staleTime: 30_000,
      retry: false,
    })),
  });
  const machines = useQueries({
    queries: remotes.map((p) => ({
      queryKey: ['providers.machine', { id: p.id, withSample: false }],
      queryFn: () => client.invoke('providers.machine', { id: p.id, withSample: false }),
      enabled: enabled && p.kind === 'hearth',
      staleTime: 30_000,
      retry: false,
    })),
  });
  return remotes.map((provider, i) => {
    const machine = machines[i]?.data;
    return {
      provider,
      models: models[i]?.data ?? [],
      fits: machine ? new Map(machine.models.map((m) => [m.id, m])) : null,
      error: models[i]?.error ?? null,
      loading: models[i]?.isLoading ?? false,
    };
  });
}

/** A machine's hardware, models with fits and latest reading (this machine: 'local'). */
export function useMachine(id: string) {
  const client = useClient();
  return useQuery({
    queryKey: ['providers.machine', { id, withSample: true }],
    queryFn: () => client.invoke('providers.machine', { id }),
    retry: false,
    staleTime: 30_000,
  });
}

/** The live monitor numbers, read every few seconds while shown. */
export function useLiveSample(id: string, everyMs = 3000) {
  const client = useClient();
  return useQuery({
    queryKey: ['providers.sample', { id }],
    queryFn: () => client.invoke('providers.sample', { id }),
    refetchInterval: everyMs,
    retry: false,
  });
}
