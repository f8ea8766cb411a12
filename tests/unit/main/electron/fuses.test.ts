import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../../..');

/**
 * The `electronFuses:` block of electron-builder.yml as key → boolean. A small reader for the
 * block form we write; any other form leaves the block empty and the test fails, never passes.
 */
function builderFuses(): Record<string, boolean> {
  const lines = readFileSync(join(root, 'electron-builder.yml'), 'utf8').split(/\r?\n/);
  const start = lines.findIndex((line) => /^electronFuses:\s*$/.test(line));
  const fuses: Record<string, boolean> = {};
  if (start < 0) return fuses;
  for (const line of lines.slice(start + 1)) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const entry = /^\s+(\w+):\s*(true|false)\s*(#.*)?$/.exec(line);
    if (!entry) break;
    fuses[entry[1]!] = entry[2] === 'true';
  }
  return fuses;
}

describe('Electron fuses in the packaged app', () => {
  const fuses = builderFuses();

  it('turn off the ways to run the binary as something else', () => {
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    });
  });

  it('load only the packaged, integrity-checked app and encrypt cookies', () => {
    expect(fuses).toMatchObject({
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('give file:// pages no extra privileges (the renderer comes over app://)', () => {
    expect(fuses.grantFileProtocolExtraPrivileges).toBe(false);
  });

  it('name only fuses electron-builder knows, so none is silently ignored', () => {
    const scheme = JSON.parse(
      readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
    ) as { definitions: { FuseOptionsV1: { properties: Record<string, unknown> } } };
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties);
    expect(Object.keys(fuses).length).toBeGreaterThan(0);
    for (const name of Object.keys(fuses)) expect(known, name).toContain(name);
  });
});
