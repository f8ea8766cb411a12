import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileByteSource } from '../../../../src/main/services/gguf/byte-source';
import { writeGguf } from '../../../fixtures/gguf';
import { hostileModels } from '../../../fixtures/gguf/hostile-models';
import { parseAndEstimate, problemsWith, timedOutcome } from '../../../helpers/hostile-check';
import { makeTempDir } from '../../../helpers/temp-dir';

/** Reads and estimates a file as the library does, on every test machine. */
async function check(path: string) {
  const source = await fileByteSource(path);
  try {
    return await parseAndEstimate(source);
  } finally {
    await source.close();
  }
}

describe('estimator on hostile hyperparameters', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  hostileModels.forEach((entry, i) => {
    it(`${entry.expect === 'sane' ? 'estimates' : 'refuses'}: ${entry.name}`, async () => {
      const path = join(dir.path, `hostile-${i}.gguf`);
      writeGguf(path, entry.spec);
      const { outcome, ms } = await timedOutcome(() => check(path));
      expect(problemsWith(outcome)).toEqual([]);
      expect(ms).toBeLessThan(100);
      if (entry.expect === 'sane') {
        expect(outcome.ok ? null : (outcome.error as Error).message).toBeNull();
        if (outcome.ok) expect(outcome.facts.name.length).toBeLessThanOrEqual(200);
      } else {
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect((outcome.error as Error).message).toMatch(entry.expect);
      }
    });
  });
});
