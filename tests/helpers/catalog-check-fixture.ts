import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/fake-hub';

const q4 = Buffer.alloc(3000, 1);
const q8 = Buffer.alloc(5000, 2);
/** The bytes the fake repos serve, for tests that compare sizes and hashes. */
export const checkFiles = { q4, q8 };
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const shape = { layers: 2, embedding: 64, heads: 4, kvHeads: 2, contextLength: 4096, vocab: 700 };
const entry = (id: string, repo: string, files: { path: string; sizeBytes?: number; sha256?: string }[]) => ({
  id,
  name: id,
  family: 'Test',
  repo,
  parametersB: 0.001,
  shape,
  uses: ['chat'],
  license: 'mit',
  description: 'test entry',
  files,
  sources: [`https://huggingface.co/${repo}`],
});

/** One good entry, one whose file is gone, one with a wrong size, and the other ways an entry goes stale. */
export function writeCheckCatalog(dir: string): string {
  const path = join(dir, 'catalog.json');
  const models = [
    entry('good', 'test/Good-GGUF', [
      { path: 'Good-Q4_K_M.gguf', sizeBytes: q4.length, sha256: sha(q4) },
      { path: 'Good-Q8_0.gguf' },
    ]),
    entry('missing-file', 'test/Missing-GGUF', [{ path: 'Missing-Q4_K_M.gguf' }]),
    entry('wrong-size', 'test/Sized-GGUF', [{ path: 'Sized-Q4_K_M.gguf', sizeBytes: 2999 }]),
    entry('wrong-sha', 'test/Hashed-GGUF', [{ path: 'Hashed-Q4_K_M.gguf', sha256: sha(q8) }]),
    entry('no-lfs', 'test/Git-GGUF', [{ path: 'Git-Q4_K_M.gguf' }]),
    entry('no-repo', 'test/Gone-GGUF', [{ path: 'Gone-Q4_K_M.gguf' }]),
  ];
  writeFileSync(path, JSON.stringify({ models }));
  return path;
}

export async function startCheckHub(): Promise<FakeHub> {
  return startFakeHub([
    {
      id: 'test/Good-GGUF',
      files: [
        { path: 'Good-Q4_K_M.gguf', content: q4 },
        { path: 'Good-Q8_0.gguf', content: q8 },
      ],
    },
    { id: 'test/Missing-GGUF', files: [{ path: 'Missing-Q5_K_M.gguf', content: q4 }] },
    { id: 'test/Sized-GGUF', files: [{ path: 'Sized-Q4_K_M.gguf', content: q4 }] },
    { id: 'test/Hashed-GGUF', files: [{ path: 'Hashed-Q4_K_M.gguf', content: q4 }] },
    { id: 'test/Git-GGUF', files: [{ path: 'Git-Q4_K_M.gguf', content: q4, lfs: false }] },
  ]);
}
