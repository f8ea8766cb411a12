import { AppError, type Provider } from '../../../shared/contract';
import type { InsightTarget } from './remote-insight';

/**
 * A provider with its key, for reading its machine. The key name is ProviderService's own
 * (`provider:<id>`, provider-service.ts); the key stays in the main process.
 */
export function insightTarget(
  list: () => Provider[],
  secret: (name: string) => string | null,
): (id: string) => InsightTarget {
  return (id) => {
    const provider = list().find((p) => p.id === id);
    if (!provider) throw new AppError('NOT_FOUND', 'No such provider (it may have been removed)');
    const key = provider.hasKey ? secret(`provider:${id}`) : null;
    return { id, kind: provider.kind, baseUrl: provider.baseUrl, key };
  };
}
