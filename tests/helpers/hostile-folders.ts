import { execFileSync } from 'node:child_process';
import { closeSync, constants, copyFileSync, mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeGguf, writeLlamaModel } from '../fixtures/gguf';
import { smallModel } from '../fixtures/gguf/hostile-models';

export interface HostileRoots {
  /** Hearth's own models folder. */
  models: string;
  lmStudio: string;
  ollama: string;
  /** The HF hub cache (…/huggingface/hub). */
  hfCache: string;
}

/**
 * Fills every folder Hearth scans with what may sit there under a model's name (Unix only:
 * FIFOs): a good model, 21 KB claiming 10^6 or 10^9 layers, FIFOs (as a model, an Ollama blob, an
 * Ollama manifest, an HF refs/main), symlink loops, a symlink to /dev/zero, and names full of
 * terminal escapes. Returns a cleanup that releases any reader stuck opening a FIFO.
 */
export function fillHostileFolders(roots: HostileRoots): { goodId: string; release: () => void } {
  const fifos: string[] = [];
  const mkfifo = (path: string): void => {
    execFileSync('mkfifo', [path]);
    fifos.push(path);
  };
  const { models, lmStudio, ollama, hfCache } = roots;
  const good = join(models, 'hearth-test', 'Tiny-GGUF', 'tiny-Q8_0.gguf');
  mkdirSync(join(models, 'hearth-test', 'Tiny-GGUF'), { recursive: true });
  writeLlamaModel(good);
  writeGguf(
    join(models, 'million-layers.gguf'),
    smallModel({ 'llama.block_count': { type: 'u32', value: 1_000_000 } }),
  );
  mkfifo(join(models, 'pipe.gguf'));
  symlinkSync(join(models, 'loop-b.gguf'), join(models, 'loop-a.gguf'));
  symlinkSync(join(models, 'loop-a.gguf'), join(models, 'loop-b.gguf'));
  symlinkSync('/dev/zero', join(models, 'zero.gguf'));
  const escapeBomb = `\u001b[2J\u001b]0;pwned\u0007${'Z'.repeat(65_000)}`;
  writeGguf(join(models, 'named.gguf'), smallModel({ 'general.name': { type: 'str', value: escapeBomb } }));
  copyFileSync(good, join(models, 'evil-\u001b]0;pwned\u0007.gguf'));

  mkdirSync(join(lmStudio, 'evil', 'Model-GGUF'), { recursive: true });
  mkfifo(join(lmStudio, 'evil', 'Model-GGUF', 'pipe-Q4_K_M.gguf'));
  writeGguf(
    join(lmStudio, 'evil', 'Model-GGUF', 'huge-Q4_K_M.gguf'),
    smallModel({ 'llama.block_count': { type: 'u32', value: 1e9 } }),
  );

  const digest = `sha256:${'a'.repeat(64)}`;
  mkdirSync(join(ollama, 'blobs'), { recursive: true });
  mkfifo(join(ollama, 'blobs', digest.replace(':', '-')));
  const manifests = join(ollama, 'manifests', 'registry.ollama.ai', 'library', 'evil');
  mkdirSync(manifests, { recursive: true });
  writeFileSync(
    join(manifests, 'latest'),
    JSON.stringify({ layers: [{ mediaType: 'application/vnd.ollama.image.model', digest }] }),
  );
  mkfifo(join(manifests, 'pipe'));

  const repo = join(hfCache, 'models--evil--Loop-GGUF');
  mkdirSync(join(repo, 'refs'), { recursive: true });
  mkdirSync(join(repo, 'snapshots', 'c0ffee'), { recursive: true });
  mkfifo(join(repo, 'refs', 'main'));
  const loop = join(repo, 'snapshots', 'c0ffee', 'loop.gguf');
  symlinkSync(loop, loop);

  return {
    goodId: 'hearth:hearth-test/Tiny-GGUF/tiny-Q8_0.gguf',
    release: () => {
      // Opening a FIFO's write end without blocking releases a reader stuck in open() (a failing run).
      for (const fifo of fifos) {
        for (let i = 0; i < 16; i++) {
          try {
            closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
          } catch {
            break;
          }
        }
      }
    },
  };
}
