import { formatBytes } from '../../../shared/domain/format';
import { loadCatalog } from '../../services/catalog/catalog-file';
import { checkCatalog, type EntryCheck } from '../../services/catalog/catalog-check';
import { HubClient } from '../../services/hub/hub-client';
import { findHubToken } from '../../services/hub/hub-token';

export interface CatalogCheckOptions {
  json?: boolean;
  /** Another catalog file than the shipped one (also HEARTH_CATALOG). */
  catalog?: string;
}

function line(check: EntryCheck, index: number, total: number): string {
  const width = String(total).length;
  const head = `[${String(index + 1).padStart(width)}/${total}] ${check.id}  ${check.repo}`;
  if (!check.ok) return `${head}  FAILED\n${check.problems.map((p) => `    - ${p}`).join('\n')}`;
  const bytes = check.files.reduce((sum, f) => sum + (f.sizeBytes ?? 0), 0);
  const files = `${check.files.length} file${check.files.length === 1 ? '' : 's'}`;
  const gated = check.gated ? ', gated: needs a token with access' : '';
  return `${head}  ok (${files}, ${formatBytes(bytes)}, sha256 known${gated})`;
}

/**
 * `hearth catalog check`: every catalog entry against the Hub (HF_ENDPOINT honoured), so the
 * catalog stays honest from release to release. Exits 1 when anything is wrong.
 */
export async function catalogCheckCommand(options: CatalogCheckOptions): Promise<void> {
  const path = options.catalog ?? process.env.HEARTH_CATALOG;
  const { models } = loadCatalog(path);
  const hub = new HubClient({
    endpoint: process.env.HF_ENDPOINT ?? 'https://huggingface.co',
    token: () => findHubToken(undefined),
  });
  // With --json the report is stdout's only content; progress goes to stderr.
  const progress = options.json ? process.stderr : process.stdout;
  progress.write(`Checking ${models.length} catalog entries against ${hub.endpoint}\n`);
  const report = await checkCatalog(hub, models, (check, i, total) =>
    progress.write(`${line(check, i, total)}\n`),
  );
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else
    console.log(
      report.ok
        ? `All ${report.checked} entries check out.`
        : `${report.failed} of ${report.checked} entries have problems.`,
    );
  if (!report.ok) process.exitCode = 1;
}
