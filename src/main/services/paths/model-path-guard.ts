import { basename, dirname, resolve, sep } from 'node:path';
import { AppError } from '../../../shared/contract';
import { closeQuietly, openRegularFile, realPath, withTimeout, fileTimeoutMs } from '../fs/safe-fs';

export interface ModelPathGuardOptions {
  /** Folders models live in: Hearth's models folder and the other tools' folders the library scans. */
  roots: () => string[];
  /** Set when Hearth is shared on the network: paths outside the roots are refused before any disk access. */
  restricted: boolean;
}

const ggufMagic = Buffer.from('GGUF', 'latin1');

/** `*.gguf`, or a content-addressed blob: how the Hugging Face cache and Ollama store GGUF files. */
const modelFileName = /(\.gguf|^(sha256-)?[0-9a-f]{64})$/i;

/** Strictly inside `root` (a file is never the root itself). */
const isInside = (path: string, root: string): boolean =>
  path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * Whether a regular file starts with the GGUF magic: reads those 4 bytes and nothing else, through
 * the same time-limited, FIFO-safe open as every other model file read.
 */
async function hasGgufMagic(path: string): Promise<boolean> {
  const { handle } = await openRegularFile(path);
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await withTimeout(
      handle.read(magic, 0, 4, 0),
      fileTimeoutMs,
      'Reading a model file',
    );
    return bytesRead === 4 && magic.equals(ggufMagic);
  } finally {
    void closeQuietly(handle);
  }
}

/**
 * The one gate for every route that takes a file path from a client (estimator.fit, library.import):
 * only GGUF model files pass, and whatever the reason for refusing (missing, unreadable, not a file,
 * not a model, not allowed), the answer is the same, so a client learns nothing about other files.
 */
export class ModelPathGuard {
  constructor(private readonly options: ModelPathGuardOptions) {}

  get restricted(): boolean {
    return this.options.restricted;
  }

  private refusal(): AppError {
    return new AppError(
      'NOT_FOUND',
      this.options.restricted
        ? 'No GGUF model file at that path in the models folders (a shared Hearth only opens models there)'
        : 'No GGUF model file at that path',
    );
  }

  /** The absolute path of a GGUF model file, or the one refusal. */
  async check(path: string): Promise<string> {
    const given = resolve(path);
    if (path.includes('\0') || !modelFileName.test(basename(given))) throw this.refusal();
    const roots = this.options.roots().map((root) => resolve(root));
    // Shared on the network: outside the models folders is refused before touching the disk.
    if (this.options.restricted && !roots.some((root) => isInside(given, root))) throw this.refusal();
    try {
      if (this.options.restricted && !(await this.folderInsideRoots(given, roots))) throw this.refusal();
      if (!(await hasGgufMagic(await realPath(given)))) throw this.refusal();
    } catch {
      throw this.refusal();
    }
    return given;
  }

  /**
   * A folder link inside a models folder must not lead out of them. The file itself may be a link
   * out (imports in link mode and the Hugging Face cache's snapshots are): the local user made those.
   */
  private async folderInsideRoots(given: string, roots: string[]): Promise<boolean> {
    const folder = await realPath(dirname(given));
    const realRoots = await Promise.all(roots.map((root) => realPath(root).catch(() => root)));
    return [...roots, ...realRoots].some((root) => folder === root || isInside(folder, root));
  }

  /** Changing the models folder widens what the guard lets through: only on the machine itself. */
  checkModelsDirChange(current: string | null, next: string | null | undefined): void {
    if (this.options.restricted && next !== undefined && next !== current)
      throw new AppError(
        'FORBIDDEN',
        'The models folder cannot be changed while Hearth is shared on the network: change it on this machine',
      );
  }
}
