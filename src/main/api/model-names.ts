import type { LibraryModel } from '../../shared/contract';

/** A library model as the API names it: its id, and an Ollama-style alias (name:tag). */
export interface ApiModel {
  model: LibraryModel;
  alias: string;
}

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** Lowercase, with only the characters Ollama allows in a name. */
const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '') || 'model';

/** "Llama-3.2-1B-Instruct-GGUF" or "Llama-3.2-1B-Instruct-Q4_K_M.gguf" → "llama-3.2-1b-instruct". */
function baseName(model: LibraryModel): string {
  const raw = model.repo ? (model.repo.split('/')[1] ?? model.repo) : fileName(model.path);
  let base = raw.replace(/\.gguf$/i, '').replace(/[-_.]gguf$/i, '');
  if (model.quant) {
    const quant = model.quant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    base = base.replace(new RegExp(`[-_.]${quant}$`, 'i'), '');
  }
  return slug(base);
}

/**
 * Aliases for the API's model list: Ollama's own models keep their names; others become
 * base:quant (or base:latest), numbered when two would clash. Derived from the list alone, in a
 * stable order, so a name means the same model until the library changes.
 */
export function withAliases(models: readonly LibraryModel[]): ApiModel[] {
  const taken = new Set<string>();
  const sorted = [...models].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const named = new Map<string, string>();
  // Ollama's names first: a user who pulled llama3.2:3b there expects exactly that name.
  for (const model of sorted.filter((m) => m.source === 'ollama')) {
    const alias = model.name.toLowerCase();
    if (!taken.has(alias)) {
      taken.add(alias);
      named.set(model.id, alias);
    }
  }
  for (const model of sorted) {
    if (named.has(model.id)) continue;
    const base = baseName(model);
    const tag = model.quant ? slug(model.quant) : 'latest';
    let alias = `${base}:${tag}`;
    for (let n = 2; taken.has(alias); n++) alias = `${base}-${n}:${tag}`;
    taken.add(alias);
    named.set(model.id, alias);
  }
  return models.map((model) => ({ model, alias: named.get(model.id) ?? model.id }));
}

/**
 * The model a client means, found in the list only: a name that is not one of these is never
 * looked up on disk. Accepts the library id, the alias (with or without its tag), owner/repo with
 * an optional :quant (also as hf.co/owner/repo:quant), and the file name with or without .gguf.
 */
export function resolveModelName(name: string, models: readonly ApiModel[]): ApiModel | undefined {
  const wanted = name.trim();
  const lower = wanted.toLowerCase();
  const byId = models.find((m) => m.model.id === wanted);
  if (byId) return byId;
  const byAlias =
    models.find((m) => m.alias === lower) ??
    (lower.includes(':') ? undefined : models.find((m) => m.alias === `${lower}:latest`));
  if (byAlias) return byAlias;
  if (!lower.includes(':')) {
    const sameBase = models.filter((m) => m.alias.split(':')[0] === lower);
    if (sameBase.length === 1) return sameBase[0];
  }
  const repoMatch = /^(?:(?:hf\.co|huggingface\.co)\/)?([^/:\s]+\/[^/:\s]+)(?::([^/:\s]+))?$/i.exec(wanted);
  if (repoMatch?.[1]) {
    const repo = repoMatch[1].toLowerCase();
    const quant = repoMatch[2]?.toLowerCase();
    const inRepo = models.filter((m) => m.model.repo?.toLowerCase() === repo);
    const found = quant
      ? inRepo.find((m) => m.model.quant?.toLowerCase() === quant || quant === 'latest')
      : (inRepo.find((m) => m.model.quant === 'Q4_K_M') ?? inRepo[0]);
    if (found) return found;
  }
  // A bare file name only: anything with a path separator is not one of ours.
  if (/[\\/]/.test(wanted)) return undefined;
  return models.find((m) => {
    const file = fileName(m.model.path).toLowerCase();
    return file === lower || file === `${lower}.gguf`;
  });
}
