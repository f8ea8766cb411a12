import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { isAuxiliaryGguf, parseShard } from '../../../shared/domain/gguf-files';

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

const dirs = (path: string): string[] => {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
};

function walkGguf(root: string, depth = 6): string[] {
  if (depth < 0) return [];
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) found.push(...walkGguf(path, depth - 1));
    else if (/\.gguf$/i.test(entry.name)) found.push(path);
  }
  return found;
}

/** The model file to open: skips projector/imatrix files and every split part but the first. */
const isModelEntry = (path: string): boolean =>
  !isAuxiliaryGguf(path) && (parseShard(path)?.index ?? 1) === 1;

/** HF cache: models--org--name/snapshots/<commit from refs/main>/**.gguf (symlinks into blobs/). */
function huggingFaceCache(root: string): ExternalModelFile[] {
  const found: ExternalModelFile[] = [];
  for (const folder of dirs(root).filter((d) => d.startsWith('models--'))) {
    const repo = folder.slice('models--'.length).replace('--', '/');
    const base = join(root, folder);
    let commit: string | undefined;
    try {
      commit = readFileSync(join(base, 'refs', 'main'), 'utf8').trim();
    } catch {
      commit = dirs(join(base, 'snapshots'))[0];
    }
    if (!commit) continue;
    const snapshot = join(base, 'snapshots', commit);
    for (const file of walkGguf(snapshot).filter(isModelEntry)) {
      try {
        found.push({
          source: 'huggingface-cache',
          name: `${repo}/${relative(snapshot, file)}`,
          repo,
          path: realpathSync(file),
        });
      } catch {
        // a dangling symlink: the blob was deleted
      }
    }
  }
  return found;
}

/** LM Studio: <root>/<publisher>/<model>/<file>.gguf, exactly two levels deep. */
function lmStudio(root: string): ExternalModelFile[] {
  const found: ExternalModelFile[] = [];
  for (const publisher of dirs(root)) {
    for (const model of dirs(join(root, publisher))) {
      for (const file of walkGguf(join(root, publisher, model), 0).filter(isModelEntry)) {
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
function ollama(root: string): ExternalModelFile[] {
  const found: ExternalModelFile[] = [];
  const manifests = join(root, 'manifests');
  for (const host of dirs(manifests)) {
    for (const namespace of dirs(join(manifests, host))) {
      for (const model of dirs(join(manifests, host, namespace))) {
        const folder = join(manifests, host, namespace, model);
        const tags = (() => {
          try {
            return readdirSync(folder).filter((t) => statSync(join(folder, t)).isFile());
          } catch {
            return [];
          }
        })();
        for (const tag of tags) {
          try {
            const manifest = JSON.parse(readFileSync(join(folder, tag), 'utf8')) as OllamaManifest;
            const layer = manifest.layers?.find((l) => l.mediaType === 'application/vnd.ollama.image.model');
            if (!layer?.digest || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) continue;
            const blob = join(root, 'blobs', layer.digest.replace(':', '-'));
            if (!existsSync(blob)) continue;
            const prefix =
              host === 'registry.ollama.ai'
                ? namespace === 'library'
                  ? ''
                  : `${namespace}/`
                : `${host}/${namespace}/`;
            found.push({
              source: 'ollama',
              name: `${prefix}${model}:${tag}`,
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

export function findExternalModels(roots: ExternalRoots): ExternalModelFile[] {
  return [
    ...roots.huggingFaceCache.flatMap(huggingFaceCache),
    ...roots.lmStudio.flatMap(lmStudio),
    ...roots.ollama.flatMap(ollama),
  ];
}
