import { open, readFile, rm } from 'node:fs/promises';
import { AppError } from '../../../shared/contract';

export interface FileLock {
  release(): Promise<void>;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const held = new Set<string>();

/**
 * One writer per file: a lock file holding the writer's pid, created exclusively. A lock left
 * by a process that died (SIGKILL, crash) is taken over; a live one is refused.
 */
export async function acquireFileLock(path: string): Promise<FileLock> {
  if (held.has(path)) throw new AppError('CONFLICT', 'This file is already being downloaded');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      held.add(path);
      return {
        release: async () => {
          held.delete(path);
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(path, 'utf8').catch(() => ''));
      if (owner && owner !== process.pid && alive(owner)) {
        throw new AppError(
          'CONFLICT',
          `This file is being downloaded by another Hearth process (pid ${owner})`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new AppError('CONFLICT', 'Could not lock the file for download');
}
