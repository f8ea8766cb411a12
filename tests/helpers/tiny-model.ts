import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeLlamaModel, type LlamaModelOptions } from '../fixtures/gguf';

/** Writes a tiny (about 1 MB) llama model with a ChatML template into `dir` and returns its path. */
export function writeTinyModel(dir: string, options: LlamaModelOptions = {}, name = 'tiny.gguf'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeLlamaModel(path, options);
  return path;
}
