import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogCheckCommand } from '../../../src/main/cli/commands/catalog';
import { checkCatalog, type CatalogCheckReport } from '../../../src/main/services/catalog/catalog-check';
import { loadCatalog } from '../../../src/main/services/catalog/catalog-file';
import { HubClient } from '../../../src/main/services/hub/hub-client';
import type { FakeHub } from '../../fixtures/fake-hub/fake-hub';
import { checkFiles, startCheckHub, writeCheckCatalog } from '../../helpers/catalog-check-fixture';
import { makeTempDir } from '../../helpers/temp-dir';

const { q4, q8 } = checkFiles;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('catalog check against the fake Hub', () => {
  const dir = makeTempDir();
  let hub: FakeHub;
  let catalogPath: string;
  let report: CatalogCheckReport;
  const progress: string[] = [];

  beforeAll(async () => {
    hub = await startCheckHub();
    catalogPath = writeCheckCatalog(dir.path);
    const client = new HubClient({ endpoint: hub.url, maxRetries: 0 });
    report = await checkCatalog(client, loadCatalog(catalogPath).models, (c, i, n) =>
      progress.push(`${i + 1}/${n} ${c.id}`),
    );
  });
  afterAll(async () => {
    await hub.close();
    dir.cleanup();
  });
  const byId = (id: string) => report.entries.find((e) => e.id === id)!;

  it('passes an entry whose repo, files, sizes and sha256 all match', () => {
    const good = byId('good');
    expect(good.ok).toBe(true);
    expect(good.problems).toEqual([]);
    expect(good.files).toEqual([
      expect.objectContaining({ path: 'Good-Q4_K_M.gguf', status: 'ok', sizeBytes: 3000, sha256: sha(q4) }),
      // Nothing stated in the catalog: the Hub's size and hash are reported for the next refresh.
      expect.objectContaining({ path: 'Good-Q8_0.gguf', status: 'ok', sizeBytes: 5000, sha256: sha(q8) }),
    ]);
  });

  it('reports a file the repo no longer holds', () => {
    const missing = byId('missing-file');
    expect(missing.ok).toBe(false);
    expect(missing.files[0]?.status).toBe('missing');
    expect(missing.problems).toEqual(['missing file: Missing-Q4_K_M.gguf is not in the repo']);
  });

  it('reports a size that differs from the Hub', () => {
    const sized = byId('wrong-size');
    expect(sized.ok).toBe(false);
    expect(sized.files[0]).toMatchObject({
      status: 'size-mismatch',
      sizeBytes: 3000,
      expectedSizeBytes: 2999,
    });
    expect(sized.problems[0]).toMatch(
      /wrong size: Sized-Q4_K_M\.gguf is 3000 bytes on the Hub, the catalog says 2999/,
    );
  });

  it('reports a changed sha256, a file without one, and a repo that is gone', () => {
    expect(byId('wrong-sha').files[0]?.status).toBe('sha256-mismatch');
    expect(byId('no-lfs').files[0]?.status).toBe('no-sha256');
    expect(byId('no-repo').problems).toEqual(['repo not found on the Hub']);
  });

  it('counts the failures and reports progress entry by entry', () => {
    expect(report).toMatchObject({ ok: false, checked: 6, failed: 5 });
    expect(progress).toEqual([
      '1/6 good',
      '2/6 missing-file',
      '3/6 wrong-size',
      '4/6 wrong-sha',
      '5/6 no-lfs',
      '6/6 no-repo',
    ]);
  });
});

describe('hearth catalog check (command)', () => {
  const dir = makeTempDir();
  let hub: FakeHub;
  let out: string[];
  let err: string[];

  beforeAll(async () => {
    hub = await startCheckHub();
    vi.stubEnv('HF_ENDPOINT', hub.url);
    vi.stubEnv('HF_TOKEN', '');
    vi.stubEnv('HF_HOME', join(dir.path, 'hf'));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await hub.close();
    dir.cleanup();
  });

  const run = async (options: { json?: boolean; catalog?: string }): Promise<number> => {
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void out.push(`${String(line)}\n`));
    await catalogCheckCommand(options);
    return Number(process.exitCode ?? 0);
  };

  it('prints a line per entry as it goes and exits 1 when something is wrong', async () => {
    const code = await run({ catalog: writeCheckCatalog(dir.path) });
    const text = out.join('');
    expect(code).toBe(1);
    expect(text).toContain(`Checking 6 catalog entries against ${hub.url.replace(/\/$/, '')}`);
    expect(text).toMatch(/\[1\/6\] good {2}test\/Good-GGUF {2}ok \(2 files, .*sha256 known\)/);
    expect(text).toMatch(/\[2\/6\] missing-file .* FAILED\n {4}- missing file: Missing-Q4_K_M\.gguf/);
    expect(text).toMatch(/\[3\/6\] wrong-size .* FAILED\n {4}- wrong size: Sized-Q4_K_M\.gguf/);
    expect(text).toContain('5 of 6 entries have problems.');
  });

  it('--json prints only the report on stdout, progress on stderr', async () => {
    const code = await run({ catalog: writeCheckCatalog(dir.path), json: true });
    expect(code).toBe(1);
    const report = JSON.parse(out.join('')) as CatalogCheckReport;
    expect(report.entries.map((e) => [e.id, e.ok])).toEqual([
      ['good', true],
      ['missing-file', false],
      ['wrong-size', false],
      ['wrong-sha', false],
      ['no-lfs', false],
      ['no-repo', false],
    ]);
    expect(err.join('')).toContain('[6/6] no-repo');
  });

  it('exits 0 when every entry checks out', async () => {
    const path = join(dir.path, 'good.json');
    const { models } = JSON.parse(readFileSync(writeCheckCatalog(dir.path), 'utf8')) as {
      models: { id: string }[];
    };
    writeFileSync(path, JSON.stringify({ models: models.filter((m) => m.id === 'good') }));
    expect(await run({ catalog: path })).toBe(0);
    expect(out.join('')).toContain('All 1 entries check out.');
  });
});
