import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverPrefsStore } from '../../../src/main/api/server-prefs-store';
import { defaultServerPrefs } from '../../../src/main/api/server-control';
import { keyVerifier } from '../../../src/main/bindings/lan-key';
import { openDatabase } from '../../../src/main/services/db/open-database';
import { makeTempDir } from '../../helpers/temp-dir';

describe("the desktop API's saved switches, in a real SQLite file", () => {
  const dir = makeTempDir();
  const db = openDatabase(join(dir.path, 'hearth.db'));
  afterAll(() => {
    db.close();
    dir.cleanup();
  });
  const store = serverPrefsStore(db);
  const raw = (value: string): void => {
    db.prepare(
      "INSERT INTO settings (key, value) VALUES ('apiServer', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(value);
  };

  it('starts from the defaults, and keeps what is written', () => {
    expect(store.read()).toEqual(defaultServerPrefs);
    const prefs = {
      enabled: true,
      lanSharing: true,
      port: 12000,
      keyVerifier: keyVerifier('k'.repeat(24)),
      allowedOrigins: ['http://localhost:3000'],
    };
    store.write(prefs);
    expect(store.read()).toEqual(prefs);
  });

  it('falls back field by field on damaged values, and never fails the start', () => {
    raw('{not json');
    expect(store.read()).toEqual(defaultServerPrefs);
    raw(JSON.stringify({ enabled: 'yes', port: 70000, lanSharing: true, keyVerifier: 7 }));
    expect(store.read()).toEqual({ ...defaultServerPrefs, lanSharing: true });
  });

  it('turns a key an earlier build stored whole into its verifier', () => {
    const key = 'a-key-stored-whole-by-an-old-build';
    raw(JSON.stringify({ enabled: true, lanSharing: true, port: 11435, key }));
    const prefs = store.read();
    expect(prefs.keyVerifier).toBe(keyVerifier(key));
    store.write(prefs);
    const row = db.prepare("SELECT value FROM settings WHERE key = 'apiServer'").get() as { value: string };
    expect(row.value).not.toContain(key);
  });
});
