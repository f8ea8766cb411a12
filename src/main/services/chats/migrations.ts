import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '../db/open-database';

/** Schema versions, in order. Each runs once, in a transaction, after a backup of the database. */
export const migrations: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'conversations, messages as a tree, full-text search',
    sql: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        model_id TEXT,
        system_prompt TEXT,
        params TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        parent_id TEXT REFERENCES messages(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content TEXT NOT NULL DEFAULT '',
        thought TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL CHECK (status IN ('streaming', 'done', 'stopped', 'interrupted', 'error')),
        stats TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX messages_by_conversation ON messages(conversation_id, created_at);
      CREATE INDEX messages_by_parent ON messages(parent_id);
      CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content);
      END;
      CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
      END;
      CREATE TRIGGER messages_au AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content);
      END;
    `,
  },
  {
    version: 2,
    name: 'presets: named system prompts and sampling',
    sql: `
      CREATE TABLE presets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        system_prompt TEXT,
        params TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'prefix indexes for search as you type',
    // Without them a prefix ("tap*") merges the posting list of every word it starts.
    sql: `
      DROP TABLE messages_fts;
      CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4');
      INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
    `,
  },
  {
    version: 4,
    name: 'providers: the machine each conversation runs on, and the remote servers (keys live elsewhere)',
    // NULL is this machine, so every earlier conversation stays where it was.
    sql: `
      ALTER TABLE conversations ADD COLUMN provider_id TEXT;
      CREATE TABLE providers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('hearth', 'ollama', 'openai')),
        base_url TEXT NOT NULL,
        has_key INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
    `,
  },
];

export const schemaVersion = (db: Db): number => db.pragma('user_version', { simple: true }) as number;

/**
 * Brings the database to the latest schema: first a `VACUUM INTO` backup of the version it had
 * (kept beside it), then each migration and its version bump in one transaction, so a
 * failure leaves the previous version intact.
 */
export function migrate(
  db: Db,
  databasePath: string,
  now: () => number = Date.now,
  target = migrations.at(-1)!.version,
): { from: number; to: number; backups: string[] } {
  const from = schemaVersion(db);
  const backups: string[] = [];
  // A brand-new file has nothing to back up.
  const tables = (
    db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }
  ).n;
  for (const migration of migrations) {
    if (migration.version <= schemaVersion(db) || migration.version > target) continue;
    // One backup per upgrade, of the version the user had.
    if (tables > 0 && backups.length === 0) {
      const folder = join(dirname(databasePath), 'backups');
      mkdirSync(folder, { recursive: true });
      const backup = join(folder, `hearth-v${schemaVersion(db)}-${now()}.db`);
      if (!existsSync(backup)) db.prepare('VACUUM INTO ?').run(backup);
      backups.push(backup);
    }
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to: schemaVersion(db), backups };
}
