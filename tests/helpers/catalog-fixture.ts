import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A one-model catalog pointing at the fake Hub's test repo, so first run has something to propose. */
export function writeTestCatalog(dir: string, repo: string): string {
  const path = join(dir, 'catalog.json');
  writeFileSync(
    path,
    JSON.stringify({
      models: [
        {
          id: 'hearth-tiny',
          name: 'Hearth Tiny Chat',
          family: 'Hearth',
          repo,
          parametersB: 0.001,
          shape: { layers: 2, embedding: 64, heads: 4, kvHeads: 2, contextLength: 4096, vocab: 700 },
          uses: ['chat', 'small'],
          license: 'mit',
          description: 'A tiny generated model for tests.',
        },
      ],
    }),
  );
  return path;
}
