import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a generated file (a bench model) once and reuses it. The writer gets a temporary name in
 * the same folder, renamed into place when whole: two benches running at once each write their own
 * copy and the last rename wins, so neither ever loads a half-written model.
 */
export function cachedFile(path: string, write: (tempPath: string) => void): string {
  if (existsSync(path)) return path;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    write(temp);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
  return path;
}
