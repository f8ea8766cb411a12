import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dailyBackup, restoreBackup } from '../../../src/main/services/chats/chat-backups';
import { openChatDatabase } from '../../../src/main/services/chats/chat-database';
import { ChatStore } from '../../../src/main/services/chats/chat-store';
import { exportConversation, importConversation } from '../../../src/main/services/chats/chat-transfer';
import { makeTempDir } from '../../helpers/temp-dir';

type Db = ReturnType<typeof openChatDatabase>['db'];

const addProvider = (db: Db, id: string): void => {
  db.prepare(
    "INSERT INTO providers (id, name, kind, base_url, has_key, created_at) VALUES (?, ?, 'hearth', 'http://10.0.0.2:7860', 0, 1)",
  ).run(id, `box ${id}`);
};

/** A conversation remembers the machine that answers it through export, import and a restored backup. */
describe('conversations on other machines, moved between databases', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());
  let n = 0;
  const open = () => {
    const path = join(dir.path, `db-${++n}`, 'hearth.db');
    const { db } = openChatDatabase(path);
    return { path, db, store: new ChatStore(db) };
  };
  const chatOn = (store: ChatStore, providerId: string | null, title: string) => {
    const chat = store.createConversation({ title, providerId, modelId: 'remote-model' });
    store.addMessage({
      conversationId: chat.id,
      parentId: null,
      role: 'user',
      content: title,
      status: 'done',
    });
    return chat;
  };

  it('exports the provider and imports it only where that provider is known', () => {
    const from = open();
    addProvider(from.db, 'gpu-box');
    const chat = chatOn(from.store, 'gpu-box', 'On the GPU box');
    const file = exportConversation(from.store, chat.id, 'json').content;
    expect(JSON.parse(file).conversation.providerId).toBe('gpu-box');

    const here = open();
    const known = importConversation(here.store, file, (id) => id === 'gpu-box');
    expect(here.store.conversation(known.id)?.providerId).toBe('gpu-box');
    const unknown = importConversation(here.store, file, () => false);
    expect(here.store.conversation(unknown.id)?.providerId).toBeNull();
    // Files from before providers existed import as this machine's.
    const old = JSON.parse(file) as { conversation: Record<string, unknown> };
    delete old.conversation.providerId;
    const legacy = importConversation(here.store, JSON.stringify(old), () => true);
    expect(here.store.conversation(legacy.id)?.providerId).toBeNull();
    for (const db of [from.db, here.db]) db.close();
  });

  it('restores a backup with each conversation on its provider while this Hearth still has it', () => {
    const first = open();
    addProvider(first.db, 'kept');
    addProvider(first.db, 'removed');
    const onKept = chatOn(first.store, 'kept', 'Kept box');
    const onRemoved = chatOn(first.store, 'removed', 'Removed box');
    const local = chatOn(first.store, null, 'This machine');
    const backup = dailyBackup(first.db, first.path, () => 5)!;
    // The current database: the chats are gone, and so is one provider.
    first.db.exec('DELETE FROM messages; DELETE FROM conversations;');
    first.db.prepare('DELETE FROM providers WHERE id = ?').run('removed');
    expect(restoreBackup(first.db, first.path, backup)).toEqual({ conversations: 3 });
    expect(first.store.conversation(onKept.id)?.providerId).toBe('kept');
    expect(first.store.conversation(onRemoved.id)?.providerId).toBeNull();
    expect(first.store.conversation(local.id)?.providerId).toBeNull();
    first.db.close();
  });
});
