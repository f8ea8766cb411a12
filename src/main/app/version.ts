import { readFileSync } from 'node:fs';

/** Reads the version from the nearest package.json above a module URL (src/ in tests, out/ once built). */
export function readPackageVersion(from: string): string {
  for (const relative of ['../../package.json', '../../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, from), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'hearth' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}
