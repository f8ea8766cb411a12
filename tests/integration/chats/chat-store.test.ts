import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listBackups, restoreBackup } from '../../../src/main/services/chats/chat-backups';
import { openChatDatabase } from '../../../src/main/services/chats/chat-database';
import { ChatStore } from '../../../src/main/services/chats/chat-store';
import { migrate, migrations, schemaVersion } from '../../../src/main/services/chats/migrations';
import { openDatabase } from '../../../src/main/services/db/open-database';
import { makeTempDir } from '../../helpers/temp-dir';

describe('chat storage on a real SQLite file', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());
  let n = 0;
  const file = (): string => join(dir.path, `db-${++n}`, 'hearth.db');

  it('migrates an empty file to the latest schema, without a pointless backup', () => {
    const path = file();
    const { db, backups, recovered } = openChatDatabase(path);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(backups).toEqual([]);
    expect(recovered).toBeNull();
    db.close();
  });

  it('migrates an existing database keeping every row, after a VACUUM INTO backup', () => {
    const path = file();
    const old = openDatabase(path);
    old.exec(
      "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO settings VALUES ('theme', '\"dark\"')",
    );
    old.close();
    const { db, backups } = openChatDatabase(path, { now: () => 42 });
    expect(db.prepare("SELECT value FROM settings WHERE key = 'theme'").get()).toEqual({ value: '"dark"' });
    expect(backups).toEqual([join(path, '..', 'backups', 'hearth-v0-42.db')]);
    const backup = openDatabase(backups[0]!);
    expect(backup.prepare('SELECT count(*) AS n FROM settings').get()).toEqual({ n: 1 });
    backup.close();
    db.close();
  });

  it.each(migrations.slice(0, -1).map((m) => m.version))(
    'upgrades a schema-v%i database with chats in it, keeping every row and search, after one backup',
    (version) => {
      const path = file();
      const old = openDatabase(path);
      migrate(old, path, () => 1, version);
      expect(schemaVersion(old)).toBe(version);
      // Rows written with that version's columns only.
      old.exec(`
        INSERT INTO conversations (id, title, model_id, system_prompt, created_at, updated_at) VALUES ('c1', 'Old chat', 'hearth:tiny.gguf', 'Be brief', 1, 2);
        INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at) VALUES ('m1', 'c1', NULL, 'user', 'What is a sourdough starter?', 'done', 1, 1);
        INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at) VALUES ('m2', 'c1', 'm1', 'assistant', 'Flour and water, fermented', 'done', 2, 2);
        INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at) VALUES ('m3', 'c1', 'm1', 'assistant', 'A living culture', 'stopped', 3, 3);
      `);
      old.close();
      const { db, backups } = openChatDatabase(path, { now: () => 99 });
      expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
      expect(backups).toEqual([join(path, '..', 'backups', `hearth-v${version}-99.db`)]);
      const store = new ChatStore(db);
      expect(store.listConversations()).toMatchObject([
        { id: 'c1', title: 'Old chat', systemPrompt: 'Be brief', params: {} },
      ]);
      expect(store.messages('c1').map((m) => [m.id, m.parentId, m.status])).toEqual([
        ['m1', null, 'done'],
        ['m2', 'm1', 'done'],
        ['m3', 'm1', 'stopped'],
      ]);
      expect(store.search('sourdough').map((r) => r.messageId)).toEqual(['m1']);
      const backup = openDatabase(backups[0]!);
      expect(backup.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 3 });
      backup.close();
      db.close();
    },
  );

  it('keeps conversations as trees, saves replies as they grow, and finds them by full-text search', () => {
    const { db } = openChatDatabase(file());
    const store = new ChatStore(db);
    const chat = store.createConversation({ title: 'Trip', modelId: 'hearth:tiny.gguf' });
    const question = store.addMessage({
      conversationId: chat.id,
      parentId: null,
      role: 'user',
      content: 'Plan a trip to Málaga',
      status: 'done',
    });
    const first = store.addMessage({
      conversationId: chat.id,
      parentId: question.id,
      role: 'assistant',
      content: '',
      status: 'streaming',
    });
    store.updateMessage(first.id, { content: 'Day one: the Alcazaba' });
    store.updateMessage(first.id, {
      content: 'Day one: the Alcazaba, then tapas',
      status: 'done',
      stats: { generatedTokens: 9 },
    });
    // Regenerate: a sibling of the first answer.
    const second = store.addMessage({
      conversationId: chat.id,
      parentId: question.id,
      role: 'assistant',
      content: 'Start at the beach',
      status: 'done',
    });
    const messages = store.messages(chat.id);
    expect(messages.map((m) => m.id)).toEqual([question.id, first.id, second.id]);
    expect(messages.filter((m) => m.parentId === question.id)).toHaveLength(2);
    expect(store.message(first.id)).toMatchObject({
      content: 'Day one: the Alcazaba, then tapas',
      status: 'done',
      stats: { generatedTokens: 9 },
    });
    expect(store.search('tapas').map((r) => r.messageId)).toEqual([first.id]);
    expect(store.search('malaga')[0]?.snippet).toContain('[Málaga]');
    expect(store.search('alcaz')).toHaveLength(1);
    expect(store.search('"); DROP TABLE messages; --')).toEqual([]);
    store.deleteConversation(chat.id);
    expect(store.listConversations()).toEqual([]);
    expect(store.search('tapas')).toEqual([]);
    store.restoreConversation(chat.id);
    expect(store.listConversations().map((c) => c.id)).toEqual([chat.id]);
    db.close();
  });

  it('marks replies cut by a crash as interrupted when it starts again', () => {
    const path = file();
    const first = openChatDatabase(path);
    const store = new ChatStore(first.db);
    const chat = store.createConversation({ title: 'Crash' });
    const user = store.addMessage({
      conversationId: chat.id,
      parentId: null,
      role: 'user',
      content: 'Hello',
      status: 'done',
    });
    const reply = store.addMessage({
      conversationId: chat.id,
      parentId: user.id,
      role: 'assistant',
      content: 'Half a rep',
      status: 'streaming',
    });
    first.db.close();
    const again = openChatDatabase(path);
    const reopened = new ChatStore(again.db);
    expect(reopened.markInterrupted()).toBe(1);
    expect(reopened.message(reply.id)).toMatchObject({ status: 'interrupted', content: 'Half a rep' });
    expect(reopened.message(user.id).content).toBe('Hello');
    again.db.close();
  });

  it('moves a corrupt file aside (never deletes it) and starts fresh, saying so', () => {
    const path = file();
    openChatDatabase(path).db.close();
    writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0x41)]));
    const { db, recovered } = openChatDatabase(path, { now: () => 7 });
    expect(recovered?.movedTo).toBe(`${path}.corrupt-7`);
    expect(existsSync(`${path}.corrupt-7`)).toBe(true);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    new ChatStore(db).createConversation({ title: 'works' });
    db.close();
    const garbage = file();
    openChatDatabase(garbage).db.close();
    writeFileSync(garbage, 'this is not a database at all');
    const second = openChatDatabase(garbage, { now: () => 8 });
    expect(second.recovered?.reason).toMatch(/not a database|malformed|corrupt/i);
    expect(readdirSync(join(garbage, '..')).some((f) => f.endsWith('.corrupt-8'))).toBe(true);
    second.db.close();
  });

  it('keeps a daily copy of the chats (three at most) and restores one beside the current chats', () => {
    const path = file();
    const day = 24 * 60 * 60 * 1000;
    let now = 1_000_000;
    const first = openChatDatabase(path, { now: () => now });
    const store = new ChatStore(first.db);
    const chat = store.createConversation({ title: 'Recipes' });
    const question = store.addMessage({
      conversationId: chat.id,
      parentId: null,
      role: 'user',
      content: 'How long to proof a loaf?',
      status: 'done',
    });
    store.addMessage({
      conversationId: chat.id,
      parentId: question.id,
      role: 'assistant',
      content: 'About two hours',
      status: 'streaming',
    });
    first.db.close();
    const daily = () => listBackups(path).filter((b) => b.path.includes('daily'));
    for (const hours of [1, 25, 26, 50, 75, 100]) {
      now = 1_000_000 + hours * 60 * 60 * 1000;
      openChatDatabase(path, { now: () => now }).db.close();
    }
    // At start, when the newest copy is a day old: at 1 h (first), 25 h, 50 h, 75 h, 100 h; three kept.
    expect(daily().map((b) => (b.at - 1_000_000) / (60 * 60 * 1000))).toEqual([100, 75, 50]);
    expect(now - daily()[1]!.at).toBeLessThan(2 * day);

    writeFileSync(path, 'garbage, not a database');
    const broken = openChatDatabase(path, { now: () => now + 1 });
    expect(broken.recovered).not.toBeNull();
    const fresh = new ChatStore(broken.db);
    fresh.createConversation({ title: 'Written after the crash' });
    expect(restoreBackup(broken.db, path, daily()[0]!.path)).toEqual({ conversations: 1 });
    expect(
      fresh
        .listConversations()
        .map((c) => c.title)
        .sort(),
    ).toEqual(['Recipes', 'Written after the crash']);
    expect(fresh.messages(chat.id).map((m) => [m.content, m.status])).toEqual([
      ['How long to proof a loaf?', 'done'],
      ['About two hours', 'interrupted'],
    ]);
    expect(fresh.search('proof').map((r) => r.messageId)).toEqual([question.id]);
    // Again: nothing doubles; and only Hearth's own backups can be restored.
    expect(restoreBackup(broken.db, path, daily()[0]!.path)).toEqual({ conversations: 0 });
    expect(() => restoreBackup(broken.db, path, `${path}.corrupt-${now + 1}`)).toThrow(/No such backup/);
    broken.db.close();
  });
});
