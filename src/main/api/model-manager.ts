import type { DownloadJob } from '../../shared/contract';
import { ApiError, ClientGone } from './api-error';

/** One line of Ollama's pull progress. */
export interface PullProgress {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

/** What /api/pull and /api/delete change, over Hearth's download manager and library. */
export interface ModelManage {
  /** Downloads a Hugging Face model (repo, quant) into the library, reporting progress. */
  pull(
    repo: string,
    quant: string | undefined,
    onProgress: (progress: PullProgress) => void,
    signal: AbortSignal,
  ): Promise<void>;
  delete(modelId: string): Promise<void>;
}

export interface ModelManagerDeps {
  enqueue(input: { repo: string; quant?: string }): Promise<DownloadJob>;
  get(id: string): DownloadJob;
  cancel(id: string): Promise<unknown>;
  /** downloads.changed events. */
  subscribe(listener: (job: DownloadJob) => void): () => void;
  deleteModel(modelId: string): Promise<unknown>;
}

/**
 * Pulls through the download manager (resumable, verified, one job per model, shown in the app's
 * downloads too). A client that leaves before the end cancels the download it started.
 */
export function modelManager(deps: ModelManagerDeps): ModelManage {
  return {
    async pull(repo, quant, onProgress, signal) {
      if (signal.aborted) throw new ClientGone();
      onProgress({ status: 'pulling manifest' });
      const job = await deps.enqueue({ repo, quant });
      const digest = `sha256:${job.files[0]?.sha256 ?? ''}`;
      await new Promise<void>((resolve, reject) => {
        let finished = false;
        const finish = (error?: Error): void => {
          if (finished) return;
          finished = true;
          unsubscribe();
          signal.removeEventListener('abort', onAbort);
          if (error) reject(error);
          else resolve();
        };
        const report = (update: DownloadJob): void => {
          if (update.id !== job.id || finished) return;
          if (update.status === 'queued' || update.status === 'downloading' || update.status === 'paused')
            onProgress({
              status: `pulling ${digest.slice(7, 19)}`,
              digest,
              total: update.bytesTotal,
              completed: update.bytesDone,
            });
          else if (update.status === 'done') {
            onProgress({
              status: `pulling ${digest.slice(7, 19)}`,
              digest,
              total: update.bytesTotal,
              completed: update.bytesTotal,
            });
            onProgress({ status: 'verifying sha256 digest' });
            onProgress({ status: 'writing manifest' });
            finish();
          } else
            finish(
              new ApiError(
                update.status === 'cancelled' ? 499 : 502,
                update.error?.message ?? `The download was ${update.status}`,
                update.status === 'cancelled' ? 'cancelled' : 'download_failed',
              ),
            );
        };
        const onAbort = (): void => {
          finish(new ClientGone());
          const current = deps.get(job.id);
          if (current.status !== 'done') void deps.cancel(job.id).catch(() => {});
        };
        const unsubscribe = deps.subscribe(report);
        signal.addEventListener('abort', onAbort, { once: true });
        report(deps.get(job.id));
      });
    },
    async delete(modelId) {
      await deps.deleteModel(modelId);
    },
  };
}
