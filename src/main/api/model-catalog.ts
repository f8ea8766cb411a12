import type { LibraryModel } from '../../shared/contract';
import { ApiError } from './api-error';
import { resolveModelName, withAliases, type ApiModel } from './model-names';

export interface CatalogOptions {
  list: () => Promise<LibraryModel[]>;
  now?: () => number;
  /** How long one scan of the library answers for: requests come in bursts, models rarely change. */
  ttlMs?: number;
}

/** The models the API can name: the library's usable ones, with their aliases. */
export class ModelCatalog {
  private cached: { at: number; models: Promise<ApiModel[]> } | undefined;

  constructor(private readonly options: CatalogOptions) {}

  all(): Promise<ApiModel[]> {
    const now = (this.options.now ?? Date.now)();
    if (!this.cached || now - this.cached.at > (this.options.ttlMs ?? 2000)) {
      const models = this.options.list().then((list) => withAliases(list.filter((m) => m.error === null)));
      // A failed scan is not kept: the next request tries again.
      models.catch(() => (this.cached = undefined));
      this.cached = { at: now, models };
    }
    return this.cached.models;
  }

  /** The library changed (a pull finished, a model was deleted). */
  invalidate(): void {
    this.cached = undefined;
  }

  async resolve(name: string): Promise<ApiModel> {
    const found = resolveModelName(name, await this.all());
    if (!found)
      throw new ApiError(
        404,
        `No model "${name.slice(0, 200)}" in Hearth's library: use an id from /v1/models or a name from /api/tags`,
        'model_not_found',
        'model',
      );
    return found;
  }
}
