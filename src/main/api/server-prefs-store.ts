import type { Db } from '../services/db/open-database';
import { keyVerifier } from '../bindings/lan-key';
import { defaultServerPrefs, type ServerPrefs } from './server-control';

const KEY = 'apiServer';

/** Reads a stored value field by field: a damaged one falls back to the default, never fails the start. */
function parse(text: string | undefined): ServerPrefs {
  let stored: Record<string, unknown> = {};
  try {
    const value: unknown = text === undefined ? {} : JSON.parse(text);
    if (typeof value === 'object' && value !== null) stored = value as Record<string, unknown>;
  } catch {
    // Hand-edited JSON: start from the defaults.
  }
  const bool = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);
  const port = stored.port;
  return {
    enabled: bool(stored.enabled, defaultServerPrefs.enabled),
    lanSharing: bool(stored.lanSharing, defaultServerPrefs.lanSharing),
    port:
      Number.isInteger(port) && (port as number) >= 0 && (port as number) < 65536
        ? (port as number)
        : defaultServerPrefs.port,
    allowedOrigins: Array.isArray(stored.allowedOrigins)
      ? stored.allowedOrigins.filter(
          (o): o is string => typeof o === 'string' && /^https?:\/\/[^/\s]+$/.test(o),
        )
      : [],
    keyVerifier:
      typeof stored.keyVerifier === 'string' && stored.keyVerifier.length > 0
        ? stored.keyVerifier
        : // A key stored whole by an earlier build: keep it working, and stop keeping it whole.
          typeof stored.key === 'string' && stored.key.length > 0
          ? keyVerifier(stored.key)
          : null,
  };
}

/** The desktop API's switches in the settings table, under a key settings.get never returns. */
export function serverPrefsStore(db: Db): { read(): ServerPrefs; write(prefs: ServerPrefs): void } {
  db.exec('CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  return {
    read() {
      const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as
        { value: string } | undefined;
      return parse(row?.value);
    },
    write(prefs) {
      db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ).run(KEY, JSON.stringify(prefs));
    },
  };
}
