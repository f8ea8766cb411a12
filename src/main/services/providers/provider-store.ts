import { randomUUID } from 'node:crypto';
import type { Provider, RemoteProviderKind } from '../../../shared/contract';
import type { Db } from '../db/open-database';

interface ProviderRow {
  id: string;
  name: string;
  kind: RemoteProviderKind;
  base_url: string;
  has_key: number;
  created_at: number;
}

const toProvider = (r: ProviderRow): Provider => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  baseUrl: r.base_url,
  hasKey: r.has_key === 1,
  createdAt: r.created_at,
});

/** The remote providers a person added (the table comes with chat schema v4); keys live in a SecretStore. */
export class ProviderStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(): Provider[] {
    return (this.db.prepare('SELECT * FROM providers ORDER BY created_at, rowid').all() as ProviderRow[]).map(
      toProvider,
    );
  }

  get(id: string): Provider | undefined {
    const row = this.db.prepare('SELECT * FROM providers WHERE id = ?').get(id) as ProviderRow | undefined;
    return row ? toProvider(row) : undefined;
  }

  add(input: { name: string; kind: RemoteProviderKind; baseUrl: string; hasKey: boolean }): Provider {
    const provider: Provider = { id: randomUUID(), ...input, createdAt: this.now() };
    this.db
      .prepare(
        'INSERT INTO providers (id, name, kind, base_url, has_key, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        provider.id,
        provider.name,
        provider.kind,
        provider.baseUrl,
        input.hasKey ? 1 : 0,
        provider.createdAt,
      );
    return provider;
  }

  update(id: string, patch: { name?: string; hasKey?: boolean }): void {
    if (patch.name !== undefined)
      this.db.prepare('UPDATE providers SET name = ? WHERE id = ?').run(patch.name, id);
    if (patch.hasKey !== undefined)
      this.db.prepare('UPDATE providers SET has_key = ? WHERE id = ?').run(patch.hasKey ? 1 : 0, id);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM providers WHERE id = ?').run(id).changes > 0;
  }
}
