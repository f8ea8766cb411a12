import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeHub } from '../fixtures/fake-hub/fake-hub';
import { startCheckHub, writeCheckCatalog } from '../helpers/catalog-check-fixture';
import { hearthBin } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

describe('hearth catalog check against a fake Hub', () => {
  const dir = makeTempDir();
  let hub: FakeHub;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    hub = await startCheckHub();
    env = { ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: '', HF_HOME: join(dir.path, 'hf') };
  });
  afterAll(async () => {
    await hub.close();
    dir.cleanup();
  });

  it('reports the good entry, the missing file and the wrong size, and exits 1', async () => {
    const catalog = writeCheckCatalog(dir.path);
    const failure = await run(process.execPath, [hearthBin, 'catalog', 'check', '--catalog', catalog], {
      env,
      timeout: 60_000,
    }).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const stdout = failure?.stdout ?? '';
    expect(stdout).toMatch(/\[1\/6\] good .* ok \(2 files/);
    expect(stdout).toMatch(
      /missing-file .* FAILED\n {4}- missing file: Missing-Q4_K_M\.gguf is not in the repo/,
    );
    expect(stdout).toMatch(
      /wrong-size .* FAILED\n {4}- wrong size: Sized-Q4_K_M\.gguf is 3000 bytes on the Hub, the catalog says 2999/,
    );
    expect(stdout).toContain('5 of 6 entries have problems.');
  });

  it('honours HEARTH_CATALOG and prints JSON with --json', async () => {
    const catalog = writeCheckCatalog(dir.path);
    const failure = await run(process.execPath, [hearthBin, 'catalog', 'check', '--json'], {
      env: { ...env, HEARTH_CATALOG: catalog },
      timeout: 60_000,
    }).then(
      () => null,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    const report = JSON.parse(failure?.stdout ?? '{}') as {
      failed: number;
      entries: { id: string; ok: boolean }[];
    };
    expect(report.failed).toBe(5);
    expect(report.entries.find((e) => e.id === 'good')?.ok).toBe(true);
  });
});
