import { parseShard, shardPath } from '../../../../shared/domain/gguf-files';

/** What a drop on the window will do: the files to import, and a line for each one left out. */
export interface DropPlan {
  imports: { name: string; path: string; sizeBytes: number }[];
  refused: string[];
}

interface DroppedFile {
  name: string;
  size: number;
}

/**
 * Sorts dropped files: GGUF files with a path on disk are imported; anything else gets a reason.
 * The later parts of a split model dropped with its first part are left out: importing the first
 * brings them all.
 */
export function planModelDrop<F extends DroppedFile>(
  files: readonly F[],
  pathFor: (file: F) => string,
): DropPlan {
  const plan: DropPlan = { imports: [], refused: [] };
  const names = new Set(files.map((f) => f.name.toLowerCase()));
  for (const file of files) {
    if (!/\.gguf$/i.test(file.name)) {
      plan.refused.push(`${file.name} is not a GGUF model file (.gguf)`);
      continue;
    }
    const shard = parseShard(file.name);
    if (shard && shard.index !== 1 && names.has(shardPath(shard, 1).toLowerCase())) continue;
    const path = pathFor(file);
    if (!path) {
      plan.refused.push(`${file.name} is not a file on this computer's disk: save it to a folder first`);
      continue;
    }
    plan.imports.push({ name: file.name, path, sizeBytes: file.size });
  }
  return plan;
}

/** Whether a drag carries files (their names are only known on drop). */
export const draggingFiles = (types: readonly string[]): boolean => types.includes('Files');
