import { join } from 'node:path';
import type { EventPayload } from '../../src/shared/contract';
import { openChatDatabase } from '../../src/main/services/chats/chat-database';
import { ChatService } from '../../src/main/services/chats/chat-service';
import { ChatStore, type Message } from '../../src/main/services/chats/chat-store';
import type { Engine } from '../../src/main/services/engine/engine-pool';
import { ProviderService } from '../../src/main/services/providers/provider-service';
import { ProviderStore } from '../../src/main/services/providers/provider-store';
import type { RemoteLimits } from '../../src/main/services/providers/remote-http';
import { MemorySecretStore } from '../../src/main/services/providers/secret-store';
import { makeTempDir } from './temp-dir';

/** This machine's engine must not be touched by a chat that runs on a remote. */
const noLocalEngine = new Proxy(
  {},
  {
    get: () => {
      throw new Error('the local engine was used for a remote conversation');
    },
  },
) as Engine;

/**
 * The chat side of Hearth on a real SQLite file, with providers and no local engine: what a test
 * needs to chat through a remote (a stub or another Hearth).
 */
export function providerChat(limits?: Partial<RemoteLimits>) {
  const dir = makeTempDir();
  const { db } = openChatDatabase(join(dir.path, 'hearth.db'));
  const store = new ChatStore(db);
  const secrets = new MemorySecretStore();
  const changes: unknown[] = [];
  const providers = new ProviderService({
    store: new ProviderStore(db),
    secrets,
    onChange: (list) => changes.push(list),
    localModels: async () => [],
    version: 'test',
    limits,
  });
  const deltas: EventPayload<'chats.delta'>[] = [];
  const finals = new Map<string, Message>();
  const chats = new ChatService({
    store,
    engine: noLocalEngine,
    ensureModel: () => Promise.reject(new Error('the local engine was used for a remote conversation')),
    remote: (id) => providers.target(id),
    emit: { delta: (d) => deltas.push(d), message: (m) => finals.set(m.id, m) },
    saveEveryMs: 20,
  });
  return {
    store,
    secrets,
    providers,
    chats,
    deltas,
    changes,
    /** The saved reply once it ended. */
    async settled(messageId: string): Promise<Message> {
      for (let i = 0; i < 3000 && !finals.has(messageId); i++) await new Promise((r) => setTimeout(r, 10));
      const message = finals.get(messageId);
      if (!message) throw new Error(`reply ${messageId} never ended`);
      return store.message(messageId);
    },
    close(): void {
      db.close();
      dir.cleanup();
    },
  };
}
