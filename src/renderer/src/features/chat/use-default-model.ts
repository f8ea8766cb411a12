import { useQueries } from '@tanstack/react-query';
import type { FitEstimate, RouteOutput } from '../../../../shared/contract';
import { useClient } from '../../lib/hooks';
import { pickDefaultModel } from './default-model';

type Conversation = RouteOutput<'chats.list'>[number];
type LibraryModel = RouteOutput<'library.list'>[number];

/** The model a new chat starts on (see pickDefaultModel); the fits are the model picker's own queries. */
export function useDefaultModel(
  conversations: Conversation[] | undefined,
  usable: LibraryModel[],
): string | null {
  const client = useClient();
  const needFits =
    conversations !== undefined &&
    usable.length > 1 &&
    !conversations.some((c) => c.modelId !== null && usable.some((m) => m.id === c.modelId));
  const fits = useQueries({
    queries: usable.map((m) => ({
      queryKey: ['estimator.fit', { modelPath: m.path }],
      queryFn: () => client.invoke('estimator.fit', { modelPath: m.path }),
      enabled: needFits,
    })),
  });
  const settled = new Map<string, FitEstimate | null>();
  usable.forEach((m, i) => {
    const fit = fits[i];
    if (fit?.data) settled.set(m.path, fit.data);
    else if (fit?.isError) settled.set(m.path, null);
  });
  return pickDefaultModel(conversations, usable, settled);
}
