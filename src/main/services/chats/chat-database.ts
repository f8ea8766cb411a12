import { existsSync, renameSync } from 'node:fs';
import { openDatabase, type Db, type OpenDatabaseOptions } from '../db/open-database';
import { dailyBackup } from './chat-backups';
import { migrate } from './migrations';

export interface OpenedChatDatabase {
  db: Db;
  /** Set when the file was unreadable: it was moved aside (never deleted) and a fresh one started. */
  recovered: { movedTo: string; reason: string } | null;
  backups: string[];
}

function check(db: Db): void {
  const result = db.pragma('quick_check', { simple: true });
  if (result !== 'ok') throw new Error(`integrity check: ${String(result)}`);
}

/**
 * Opens the database, migrating it to the latest schema. A corrupt or foreign file is moved aside
 * with its WAL, and Hearth starts on a fresh one, saying where the old one went.
 */
export function openChatDatabase(
  file: string,
  options: OpenDatabaseOptions & { now?: () => number } = {},
): OpenedChatDatabase {
  const now = options.now ?? Date.now;
  try {
    const db = openDatabase(file, options);
    try {
      check(db);
      const { backups } = migrate(db, file, now);
      dailyBackup(db, file, now);
      return { db, recovered: null, backups };
    } catch (error) {
      db.close();
      throw error;
    }
  } catch (error) {
    const movedTo = `${file}.corrupt-${now()}`;
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
    const db = openDatabase(file, options);
    return {
      db,
      recovered: { movedTo, reason: (error as Error).message },
      backups: migrate(db, file, now).backups,
    };
  }
}
