import { AppError } from '../../../shared/contract';
import type { HubClient, HubModelInfo } from '../hub/hub-client';
import type { CatalogFileEntry } from './catalog-file';

export type FileStatus = 'ok' | 'missing' | 'size-mismatch' | 'sha256-mismatch' | 'no-sha256';

export interface FileCheck {
  path: string;
  status: FileStatus;
  /** What the Hub says (null when the file is missing). */
  sizeBytes: number | null;
  sha256: string | null;
  /** What the catalog says, when it says it. */
  expectedSizeBytes: number | null;
  expectedSha256: string | null;
}

export interface EntryCheck {
  id: string;
  repo: string;
  ok: boolean;
  /** One line per thing that is wrong, for people. */
  problems: string[];
  gated: false | 'auto' | 'manual' | null;
  files: FileCheck[];
}

export interface CatalogCheckReport {
  endpoint: string;
  ok: boolean;
  checked: number;
  failed: number;
  entries: EntryCheck[];
}

function checkFile(file: CatalogFileEntry['files'][number], info: HubModelInfo): FileCheck {
  const hub = info.files.find((f) => f.path === file.path);
  const expected = { expectedSizeBytes: file.sizeBytes ?? null, expectedSha256: file.sha256 ?? null };
  if (!hub) return { path: file.path, status: 'missing', sizeBytes: null, sha256: null, ...expected };
  const sha256 = hub.sha256 ?? null;
  const status: FileStatus =
    file.sizeBytes !== undefined && file.sizeBytes !== hub.size
      ? 'size-mismatch'
      : !sha256
        ? 'no-sha256'
        : file.sha256 !== undefined && file.sha256 !== sha256
          ? 'sha256-mismatch'
          : 'ok';
  return { path: file.path, status, sizeBytes: hub.size, sha256, ...expected };
}

function describe(file: FileCheck): string | null {
  switch (file.status) {
    case 'ok':
      return null;
    case 'missing':
      return `missing file: ${file.path} is not in the repo`;
    case 'size-mismatch':
      return `wrong size: ${file.path} is ${file.sizeBytes} bytes on the Hub, the catalog says ${file.expectedSizeBytes}`;
    case 'sha256-mismatch':
      return `wrong sha256: ${file.path} is ${file.sha256} on the Hub, the catalog says ${file.expectedSha256}`;
    case 'no-sha256':
      return `no sha256: the Hub gives no LFS hash for ${file.path}, so downloads cannot be verified`;
  }
}

/** One entry against the Hub: the repo exists, each listed file exists with its size and a sha256. */
export async function checkEntry(hub: HubClient, entry: CatalogFileEntry): Promise<EntryCheck> {
  const base = { id: entry.id, repo: entry.repo };
  let info: HubModelInfo;
  try {
    info = await hub.modelInfo(entry.repo);
  } catch (error) {
    const reason =
      error instanceof AppError && error.code === 'NOT_FOUND'
        ? 'repo not found on the Hub'
        : `cannot read the repo: ${(error as Error).message}`;
    return { ...base, ok: false, problems: [reason], gated: null, files: [] };
  }
  const files = entry.files.map((f) => checkFile(f, info));
  const problems = files.map(describe).filter((p): p is string => p !== null);
  if (entry.files.length === 0) problems.push('the catalog lists no file for this repo');
  return { ...base, ok: problems.length === 0, problems, gated: info.gated, files };
}

/** Every entry, one after the other (the Hub rate-limits bursts), reporting each as it is done. */
export async function checkCatalog(
  hub: HubClient,
  entries: readonly CatalogFileEntry[],
  onEntry: (check: EntryCheck, index: number, total: number) => void = () => {},
): Promise<CatalogCheckReport> {
  const checks: EntryCheck[] = [];
  for (const [i, entry] of entries.entries()) {
    const check = await checkEntry(hub, entry);
    checks.push(check);
    onEntry(check, i, entries.length);
  }
  const failed = checks.filter((c) => !c.ok).length;
  return { endpoint: hub.endpoint, ok: failed === 0, checked: checks.length, failed, entries: checks };
}
