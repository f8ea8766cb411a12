import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../../shared/contract';
import type { Db } from '../db/open-database';

const day = 24 * 60 * 60 * 1000;
const keepDaily = 3;

export const backupsDir = (databasePath: string): string => join(dirname(databasePath), 'backups');

export interface BackupFile {
  path: string;
  at: number;
  bytes: number;
}

/** Every backup beside the database (before upgrades, and daily ones), newest first. */
export function listBackups(databasePath: string): BackupFile[] {
  const dir = backupsDir(databasePath);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^hearth-.*\.db$/.test(name))
    .map((name) => {
      const path = join(dir, name);
      const stat = statSync(path);
      // Named with the time they were taken (hearth-v2-<ms>.db, hearth-daily-<ms>.db).
      const at = Number(/-(\d+)\.db$/.exec(name)?.[1]) || stat.mtimeMs;
      return { path, at, bytes: stat.size };
    })
    .sort((a, b) => b.at - a.at);
}

/**
 * A copy of the chats once a day (at start), so a damaged file costs at most a day: VACUUM INTO
 * writes a consistent snapshot while the database stays open. The three newest daily copies are kept.
 */
export function dailyBackup(db: Db, databasePath: string, now: () => number = Date.now): string | null {
  const chats = (db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
  if (chats === 0) return null;
  const newest = listBackups(databasePath)[0];
  if (newest && now() - newest.at < day) return null;
  const dir = backupsDir(databasePath);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `hearth-daily-${now()}.db`);
  db.prepare('VACUUM INTO ?').run(path);
  const daily = listBackups(databasePath).filter((b) => /hearth-daily-/.test(b.path));
  for (const old of daily.slice(keepDaily)) rmSync(old.path, { force: true });
  return path;
}

/**
 * Brings back the conversations of a backup into the open database, next to what is there now:
 * nothing current is replaced, so restoring twice, or an older copy, loses nothing.
 */
export function restoreBackup(db: Db, databasePath: string, backupPath: string): { conversations: number } {
  const wanted = resolve(backupPath);
  if (!listBackups(databasePath).some((b) => resolve(b.path) === wanted))
    throw new AppError('NOT_FOUND', 'No such backup of the chat history');
  db.prepare('ATTACH DATABASE ? AS backup').run(wanted);
  try {
    const has = (table: string): boolean =>
      !!db.prepare("SELECT 1 FROM backup.sqlite_master WHERE type = 'table' AND name = ?").get(table);
    if (!has('conversations') || !has('messages'))
      throw new AppError('BAD_INPUT', 'This backup holds no chat history');
    return db.transaction(() => {
      const before = (db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
      // A backup from v4 on names each conversation's provider: kept while this Hearth still has it.
      const withProvider = (
        db.prepare('SELECT name FROM pragma_table_info(?, ?)').all('conversations', 'backup') as {
          name: string;
        }[]
      ).some((c) => c.name === 'provider_id');
      const provider = withProvider
        ? 'CASE WHEN provider_id IN (SELECT id FROM main.providers) THEN provider_id END'
        : 'NULL';
      db.exec(`
        INSERT OR IGNORE INTO conversations (id, title, model_id, provider_id, system_prompt, params, created_at, updated_at, deleted_at)
          SELECT id, title, model_id, ${provider}, system_prompt, params, created_at, updated_at, deleted_at FROM backup.conversations;
        INSERT OR IGNORE INTO messages (id, conversation_id, parent_id, role, content, thought, status, stats, created_at, updated_at)
          SELECT id, conversation_id, parent_id, role, content, thought,
                 CASE status WHEN 'streaming' THEN 'interrupted' ELSE status END, stats, created_at, updated_at
          FROM backup.messages ORDER BY rowid;
      `);
      if (has('presets'))
        db.exec(
          'INSERT OR IGNORE INTO presets (id, name, system_prompt, params, created_at) SELECT id, name, system_prompt, params, created_at FROM backup.presets',
        );
      const after = (db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
      return { conversations: after - before };
    })();
  } finally {
    db.prepare('DETACH DATABASE backup').run();
  }
}
