import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { AppError } from '../../../shared/contract';
import { isAuxiliaryGguf, parseShard } from '../../../shared/domain/gguf-files';
import { listDir, pathExists, readSmallFile, realPath } from '../fs/safe-fs';

/** A GGUF another tool downloaded, used in place. */
export interface ExternalModelFile {
  source: 'huggingface-cache' | 'lm-studio' | 'ollama';
  /** What the other tool calls it. */
  name: string;
  repo: string | null;
  path: string;
}

export interface ExternalRoots {
  huggingFaceCache: string[];
  lmStudio: string[];
  ollama: string[];
}

/** Where the other tools keep models, as each documents it (hf-hub-api.md §7). */
export function defaultExternalRoots(env: NodeJS.ProcessEnv = process.env, home = homedir()): ExternalRoots {
  const hfHome = env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'huggingface');
  return {
    huggingFaceCache: [env.HF_HUB_CACHE ?? env.HUGGINGFACE_HUB_CACHE ?? join(hfHome, 'hub')],
    lmStudio: [join(home, '.lmstudio', 'models'), join(home, '.cache', 'lm-studio', 'models')],
    ollama: env.OLLAMA_MODELS
      ? [env.OLLAMA_MODELS]
      : [join(home, '.ollama', 'models'), '/usr/share/ollama/.ollama/models'],
  };
}

const dirs = async (path: string): Promise<string[]> =>
  (await listDir(path)).filter((e) => e.isDirectory()).map((e) => e.name);

/** *.gguf entries of any kind (a FIFO, device or symlink loop among them is listed, and shown as unusable). */
async function walkGguf(root: string, depth = 6): Promise<string[]> {
  if (depth < 0) return [];
  const found: string[] = [];
  for (const entry of await listDir(root)) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) found.push(...(await walkGguf(path, depth - 1)));
    else if (/\.gguf$/i.test(entry.name)) found.push(path);
  }
  return found;
}

/** The model file to open: skips projector/imatrix files and every split part but the first. */
const isModelEntry = (path: string): boolean =>
  !isAuxiliaryGguf(path) && (parseShard(path)?.index ?? 1) === 1;

/** A small text file of another tool (a ref, a manifest): only a regular file, bounded, in time. */
const readSmall = (path: string): Promise<string | undefined> =>
  readSmallFile(path, 1024 * 1024).catch(() => undefined);

/** HF cache: models--org--name/snapshots/<commit from refs/main>/**.gguf (symlinks into blobs/). */
async function huggingFaceCache(root: string): Promise<ExternalModelFile[]> {
  const found: ExternalModelFile[] = [];
  for (const folder of (await dirs(root)).filter((d) => d.startsWith('models--'))) {
    const repo = folder.slice('models--'.length).replace('--', '/');
    const base = join(root, folder);
    const ref = (await readSmall(join(base, 'refs', 'main')))?.trim();
    const commit = ref && !/[\\/]|^\.\.?$/.test(ref) ? ref : (await dirs(join(base, 'snapshots')))[0];
    if (!commit) continue;
    const snapshot = join(base, 'snapshots', commit);
    for (const file of (await walkGguf(snapshot)).filter(isModelEntry)) {
      const name = `${repo}/${relative(snapshot, file)}`;
      try {
        found.push({ source: 'huggingface-cache', name, repo, path: await realPath(file) });
      } catch (error) {
        // A dangling symlink means the blob was deleted: not a model. Anything else (a loop) is shown as unusable.
        if (!(error instanceof AppError && error.code === 'NOT_FOUND'))
          found.push({ source: 'huggingface-cache', name, repo, path: file });
      }
    }
  }
  return found;
}

/** LM Studio: <root>/<publisher>/<model>/<file>.gguf, exactly two levels deep. */
async function lmStudio(root: string): Promise<ExternalModelFile[]> {
  const found: ExternalModelFile[] = [];
  for (const publisher of await dirs(root)) {
    for (const model of await dirs(join(root, publisher))) {
      for (const file of (await walkGguf(join(root, publisher, model), 0)).filter(isModelEntry)) {
        found.push({
          source: 'lm-studio',
          name: `${publisher}/${model}/${file.split(/[\\/]/).pop()}`,
          repo: `${publisher}/${model}`,
          path: file,
        });
      }
    }
  }
  return found;
}

interface OllamaManifest {
  layers?: { mediaType?: string; digest?: string }[];
}

/** Ollama: manifests/<host>/<namespace>/<model>/<tag> name the blob of the model layer. */
async function ollama(root: string): Promise<ExternalModelFile[]> {
  const found: ExternalModelFile[] = [];
  const manifests = join(root, 'manifests');
  for (const host of await dirs(manifests)) {
    for (const namespace of await dirs(join(manifests, host))) {
      for (const model of await dirs(join(manifests, host, namespace))) {
        const folder = join(manifests, host, namespace, model);
        for (const tag of await listDir(folder)) {
          if (tag.isDirectory()) continue;
          try {
            const text = await readSmall(join(folder, tag.name));
            if (text === undefined) continue;
            const manifest = JSON.parse(text) as OllamaManifest;
            const layer = manifest.layers?.find((l) => l.mediaType === 'application/vnd.ollama.image.model');
            if (!layer?.digest || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) continue;
            const blob = join(root, 'blobs', layer.digest.replace(':', '-'));
            // Present in any form (a FIFO or a loop is then shown as unusable); a missing blob is no model.
            if (!(await pathExists(blob))) continue;
            const prefix =
              host === 'registry.ollama.ai'
                ? namespace === 'library'
                  ? ''
                  : `${namespace}/`
                : `${host}/${namespace}/`;
            found.push({
              source: 'ollama',
              name: `${prefix}${model}:${tag.name}`,
              repo: host.startsWith('hf.co') || host === 'huggingface.co' ? `${namespace}/${model}` : null,
              path: blob,
            });
          } catch {
            // not a manifest we understand
          }
        }
      }
    }
  }
  return found;
}

export async function findExternalModels(roots: ExternalRoots): Promise<ExternalModelFile[]> {
  const found: ExternalModelFile[] = [];
  for (const root of roots.huggingFaceCache) found.push(...(await huggingFaceCache(root)));
  for (const root of roots.lmStudio) found.push(...(await lmStudio(root)));
  for (const root of roots.ollama) found.push(...(await ollama(root)));
  return found;
}
