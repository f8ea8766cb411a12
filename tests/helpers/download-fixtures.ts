import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeLlamaModel, type LlamaShape } from '../fixtures/gguf';

/** A real GGUF of about 40 MB (random weights, working tokenizer): big enough for many chunks and kills. */
export const downloadShape: LlamaShape = {
  name: 'Hearth Download Test',
  embedding: 768,
  layers: 4,
  heads: 12,
  kvHeads: 4,
  feedForward: 2048,
  vocab: 8000,
  contextLength: 4096,
  ropeFreqBase: 10000,
  tiedEmbeddings: false,
};

export function writeDownloadModel(
  dir: string,
  name = 'test-model-Q8_0.gguf',
  seed = 3,
): { path: string; sha256: string; size: number } {
  const path = join(dir, name);
  const written = writeLlamaModel(path, { shape: downloadShape, weightType: 'Q8_0', seed });
  return { path, sha256: sha256File(path), size: written.fileBytes };
}

export const sha256File = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex');
