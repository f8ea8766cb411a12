import type { Stats } from 'node:fs';
import { copyFile, link, mkdir, rm, rmdir, symlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { AppError, type LibraryModel } from '../../../shared/contract';
import { isAuxiliaryGguf, parseQuantLabel, parseShard, shardPath } from '../../../shared/domain/gguf-files';
import { isEmbeddingModel } from '../../../shared/domain/embedding-model';
import { hasToolFormat } from '../../../shared/domain/tool-format';
import { safeText } from '../../../shared/domain/safe-text';
import { modelFacts } from '../estimator/model-facts';
import { listDir, pathExists, statRegularFile } from '../fs/safe-fs';
import { fileByteSource } from '../gguf/byte-source';
import { readGgufHeader } from '../gguf/gguf-reader';
import { findExternalModels, type ExternalRoots } from './external-sources';

export interface LibraryOptions {
  modelsDir: () => string;
  /** Other tools' folders to reuse read-only; null turns that off. */
  externalRoots: ExternalRoots | null;
  onChange?: (count: number) => void;
}

type Metadata = Pick<
  LibraryModel,
  | 'name'
  | 'quant'
  | 'architecture'
  | 'parameters'
  | 'contextLength'
  | 'hasChatTemplate'
  | 'toolCalls'
  | 'embedding'
  | 'license'
  | 'error'
>;

/** *.gguf entries of any kind: a FIFO, device or symlink loop is listed too, and shown as unusable. */
async function walk(dir: string, depth = 6): Promise<string[]> {
  if (depth < 0) return [];
  const files: string[] = [];
  for (const entry of await listDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path, depth - 1)));
    else if (/\.gguf$/i.test(entry.name)) files.push(path);
  }
  return files;
}

/** All parts of a split model that exist next to its first part. */
async function partsOf(path: string): Promise<string[]> {
  const shard = parseShard(path);
  if (!shard) return [path];
  const parts = [];
  for (let i = 1; i <= shard.total; i++) {
    const part = shardPath(shard, i);
    if (await pathExists(part)) parts.push(part);
  }
  return parts;
}

/** Why a file is unusable, fit to show: an AppError's message, or a plain description of anything else. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return safeText(error instanceof AppError ? message : `Could not read this model: ${message}`, 400);
}

/** The models Hearth can run: its own folder, plus what LM Studio, Ollama and the HF cache already downloaded. */
export class LibraryService {
  private readonly metadata = new Map<string, { key: string; value: Metadata }>();

  constructor(private readonly options: LibraryOptions) {}

  private root(): string {
    return resolve(this.options.modelsDir());
  }

  async list(): Promise<LibraryModel[]> {
    const root = this.root();
    const own = (await walk(root)).filter((p) => !isAuxiliaryGguf(p) && (parseShard(p)?.index ?? 1) === 1);
    const models: LibraryModel[] = [];
    for (const path of own) models.push(await this.describeOwn(root, path));
    if (this.options.externalRoots) {
      for (const file of await findExternalModels(this.options.externalRoots)) {
        models.push(
          await this.describe(
            file.path,
            { id: `${file.source}:${file.name}`, source: file.source, readOnly: true, repo: file.repo },
            file.name,
          ),
        );
      }
    }
    return models.sort((a, b) => b.modifiedAt - a.modifiedAt);
  }

  /** A model of Hearth's own folder, from its relative path. */
  private describeOwn(root: string, path: string): Promise<LibraryModel> {
    const rel = relative(root, path).split(sep).join('/');
    const imported = rel.startsWith('imported/');
    const segments = rel.split('/');
    const repo = !imported && segments.length >= 3 ? `${segments[0]}/${segments[1]}` : null;
    return this.describe(path, {
      id: `hearth:${rel}`,
      source: imported ? 'imported' : 'hearth',
      readOnly: false,
      repo,
    });
  }

  async get(id: string): Promise<LibraryModel> {
    // Hearth's own ids name their file: no need to scan every folder (this runs on each load and chat).
    if (id.startsWith('hearth:')) {
      const root = this.root();
      const segments = id.slice('hearth:'.length).split('/');
      const path = resolve(root, ...segments);
      // The same files list() finds: inside the folder, no deeper than its walk, models only.
      const listed =
        segments.length <= 7 &&
        path.startsWith(root + sep) &&
        /\.gguf$/i.test(path) &&
        !isAuxiliaryGguf(path) &&
        (parseShard(path)?.index ?? 1) === 1;
      // Anything there is listed (a FIFO or a symlink loop as unusable), so it can be deleted too.
      if (listed && (await pathExists(path))) return this.describeOwn(root, path);
      throw new AppError('NOT_FOUND', `No model "${id}" in the library`);
    }
    const model = (await this.list()).find((m) => m.id === id);
    if (!model) throw new AppError('NOT_FOUND', `No model "${id}" in the library`);
    return model;
  }

  async delete(id: string): Promise<{ deleted: string[] }> {
    const model = await this.get(id);
    if (model.readOnly)
      throw new AppError('FORBIDDEN', `${model.name} belongs to ${model.source}; delete it there`);
    const root = this.root();
    for (const file of model.files) {
      if (!resolve(file).startsWith(root + sep))
        throw new AppError('FORBIDDEN', 'Refusing to delete outside the models folder');
      await rm(file, { force: true });
    }
    // Remove folders left empty, up to the models folder.
    for (let dir = dirname(model.path); dir.startsWith(root + sep); dir = dirname(dir)) {
      if (
        !(await rmdir(dir).then(
          () => true,
          () => false,
        ))
      )
        break;
    }
    this.options.onChange?.((await this.list()).length);
    return { deleted: model.files };
  }

  /** Brings a GGUF from elsewhere into the models folder, copied or linked (hard link, else symlink). */
  async import(path: string, mode: 'copy' | 'link'): Promise<LibraryModel> {
    const source = resolve(path);
    // Else it would be copied, yet never listed (as list() skips those files).
    if (isAuxiliaryGguf(basename(source)) || (parseShard(basename(source))?.index ?? 1) !== 1)
      throw new AppError(
        'BAD_INPUT',
        'Import the model itself: its first file, not a projector or a later part',
      );
    await statRegularFile(source);
    const handle = await fileByteSource(source);
    try {
      modelFacts(await readGgufHeader(handle));
    } finally {
      await handle.close();
    }
    const parts = await partsOf(source);
    await Promise.all(parts.map((part) => statRegularFile(part)));
    const targetDir = join(this.root(), 'imported');
    await mkdir(targetDir, { recursive: true });
    for (const part of parts) {
      const target = join(targetDir, basename(part));
      if (await pathExists(target))
        throw new AppError('CONFLICT', `${safeText(basename(part))} is already in the library`);
      if (mode === 'copy') await copyFile(part, target);
      else await link(part, target).catch(() => symlink(part, target));
    }
    const models = await this.list();
    this.options.onChange?.(models.length);
    const added = models.find((m) => m.id === `hearth:imported/${basename(source)}`);
    if (!added) throw new AppError('INTERNAL', 'The imported model is not in the library');
    return added;
  }

  private async describe(
    path: string,
    base: Pick<LibraryModel, 'id' | 'source' | 'readOnly' | 'repo'>,
    displayName?: string,
  ): Promise<LibraryModel> {
    const files = await partsOf(path);
    let stats: Stats[];
    try {
      stats = await Promise.all(files.map((f) => statRegularFile(f)));
    } catch (error) {
      // A FIFO, device, symlink loop or unreadable part: listed, unusable, with the reason.
      return { ...base, ...unreadable(path, displayName, error), path, files, sizeBytes: 0, modifiedAt: 0 };
    }
    const sizeBytes = stats.reduce((s, st) => s + st.size, 0);
    const modifiedAt = Math.max(...stats.map((s) => s.mtimeMs));
    const key = `${sizeBytes}:${modifiedAt}`;
    let meta = this.metadata.get(path)?.key === key ? this.metadata.get(path)?.value : undefined;
    if (!meta) {
      meta = await this.readMetadata(path, displayName);
      this.metadata.set(path, { key, value: meta });
    }
    return { ...base, ...meta, path, files, sizeBytes, modifiedAt };
  }

  private async readMetadata(path: string, displayName?: string): Promise<Metadata> {
    try {
      const source = await fileByteSource(path);
      try {
        const header = await readGgufHeader(source);
        const facts = modelFacts(header);
        const license = header.metadata.get('general.license');
        const name = header.metadata.get('general.name');
        return {
          name: safeText(displayName ?? (typeof name === 'string' && name ? name : fallbackName(path))),
          quant: facts.quant !== 'unknown' ? facts.quant : (parseQuantLabel(displayName ?? path) ?? null),
          architecture: facts.architecture,
          parameters: facts.parameters,
          contextLength: facts.trainContextSize,
          hasChatTemplate: typeof header.metadata.get('tokenizer.chat_template') === 'string',
          toolCalls: hasToolFormat(header.metadata.get('tokenizer.chat_template'), [
            typeof name === 'string' ? name : null,
            basename(path),
          ]),
          embedding: isEmbeddingModel(
            facts.architecture,
            header.metadata.get(`${facts.architecture}.pooling_type`),
          ),
          license: typeof license === 'string' ? safeText(license, 80) : null,
          error: null,
        };
      } finally {
        await source.close();
      }
    } catch (error) {
      return unreadable(path, displayName, error);
    }
  }
}

/** The file's name without .gguf, escaped: what a model is called when its header cannot say. */
const fallbackName = (path: string): string => safeText(basename(path).replace(/\.gguf$/i, ''));

function unreadable(path: string, displayName: string | undefined, error: unknown): Metadata {
  return {
    name: safeText(displayName ?? fallbackName(path)),
    quant: parseQuantLabel(path) ?? null,
    architecture: null,
    parameters: null,
    contextLength: null,
    hasChatTemplate: false,
    toolCalls: false,
    embedding: false,
    license: null,
    error: reasonOf(error),
  };
}
