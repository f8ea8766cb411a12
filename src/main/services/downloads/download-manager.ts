import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { AppError, type DownloadJob } from '../../../shared/contract';
import { groupVariants, parseQuantLabel } from '../../../shared/domain/gguf-files';
import type { Db } from '../db/open-database';
import { validateRepoId, validateRepoPath, type HubClient } from '../hub/hub-client';
import { systemClock, type Clock } from '../monitor/heartbeat';
import { downloadFile, FileChangedError, type FileDownloadOptions } from './file-download';
import { acquireFileLock, type FileLock } from './file-lock';

export interface DownloadManagerOptions {
  db: Db;
  hub: HubClient;
  modelsDir: () => string;
  onChange: (job: DownloadJob) => void;
  clock?: Clock;
  /** Passed to each file download (fetch, chunk size, retries). */
  fileOptions?: Omit<FileDownloadOptions, 'signal' | 'onBytes'>;
  concurrency?: number;
  progressIntervalMs?: number;
  /** Run only the jobs this instance queued (the CLI), leaving the app's queue to the app. */
  onlyOwnJobs?: boolean;
}

const wakeCheckMs = 10_000;

interface Row {
  id: string;
  repo: string;
  revision: string;
  quant: string;
  model_path: string;
  files: string;
  status: DownloadJob['status'];
  error: string | null;
  created_at: number;
}

interface Running {
  controller: AbortController;
  locks: FileLock[];
  bytesDone: number;
  speed: number;
  lastEmit: number;
  lastSample: { at: number; bytes: number };
}

/**
 * The download queue: jobs live in SQLite so they survive restarts, each file downloads through
 * downloadFile (resumable, verified), one writer per file (in this process and across processes),
 * and progress is announced a few times per second at most.
 */
export class DownloadManager {
  private readonly running = new Map<string, Running>();
  private readonly own = new Set<string>();
  private wakeTimer: ReturnType<typeof setInterval> | undefined;
  private readonly clock: Clock;

  constructor(private readonly options: DownloadManagerOptions) {
    this.clock = options.clock ?? systemClock;
    options.db.exec(`CREATE TABLE IF NOT EXISTS downloads (
      id TEXT PRIMARY KEY, repo TEXT NOT NULL, revision TEXT NOT NULL, quant TEXT NOT NULL, model_path TEXT NOT NULL,
      files TEXT NOT NULL, status TEXT NOT NULL, error TEXT, created_at INTEGER NOT NULL)`);
    // Jobs that were running when the app stopped carry on.
    options.db.prepare("UPDATE downloads SET status = 'queued' WHERE status = 'downloading'").run();
  }

  /** Resumes the queue (call once the app is up). */
  start(): void {
    this.pump();
    // Timers stop while the machine sleeps but the wall clock does not: a jump means it slept.
    let last = this.clock.now();
    this.wakeTimer = setInterval(() => {
      const now = this.clock.now();
      if (now - last > 3 * wakeCheckMs) this.retryNetworkFailures();
      last = now;
    }, wakeCheckMs);
    this.wakeTimer.unref();
  }

  /** Downloads that failed for the network (Wi-Fi down, laptop asleep) start again. */
  retryNetworkFailures(): void {
    const failed = this.options.db
      .prepare("SELECT id, error FROM downloads WHERE status = 'failed'")
      .all() as { id: string; error: string | null }[];
    for (const row of failed) {
      if (row.error && (JSON.parse(row.error) as { code: string }).code === 'NETWORK')
        this.setStatus(row.id, 'queued');
    }
    this.pump();
  }

  list(): DownloadJob[] {
    const rows = this.options.db.prepare('SELECT * FROM downloads ORDER BY created_at DESC').all() as Row[];
    return rows.map((r) => this.toJob(r));
  }

  get(id: string): DownloadJob {
    const row = this.options.db.prepare('SELECT * FROM downloads WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No download ${id}`);
    return this.toJob(row);
  }

  /** Queues a model: a quant (best guess Q4_K_M) or a file of a repo; the same model twice is one job. */
  async enqueue(input: {
    repo: string;
    revision?: string;
    quant?: string;
    file?: string;
  }): Promise<DownloadJob> {
    const repo = validateRepoId(input.repo);
    const info = await this.options.hub.modelInfo(repo, input.revision ?? 'main');
    const variants = groupVariants(info.files);
    const variant = input.file
      ? variants.find((v) => v.files.some((f) => f.path === validateRepoPath(input.file ?? '')))
      : input.quant
        ? variants.find((v) => v.quant.toLowerCase() === input.quant?.toLowerCase())
        : (variants.find((v) => v.quant === 'Q4_K_M') ?? variants[0]);
    if (!variant) {
      const available = variants.map((v) => v.quant).join(', ') || 'none';
      throw new AppError(
        'NOT_FOUND',
        `${repo} has no ${input.file ?? input.quant ?? 'GGUF model'} (available: ${available})`,
      );
    }
    if (!variant.complete)
      throw new AppError('INVALID_MODEL', `${repo}: some parts of ${variant.path} are missing from the repo`);
    for (const file of variant.files) {
      validateRepoPath(file.path);
      if (!file.sha256)
        throw new AppError(
          'INVALID_MODEL',
          `${repo}/${file.path} has no checksum on the Hub, so it cannot be verified`,
        );
      this.targetPath(repo, file.path);
    }
    const modelPath = this.targetPath(repo, variant.path);
    const existing = this.options.db
      .prepare(
        "SELECT * FROM downloads WHERE model_path = ? AND status IN ('queued', 'downloading', 'paused', 'done')",
      )
      .get(modelPath) as Row | undefined;
    // A finished download whose model was deleted since downloads again (ollama rm, then pull).
    if (existing?.status === 'done' && !existsSync(modelPath)) this.setStatus(existing.id, 'cancelled');
    else if (existing) {
      this.own.add(existing.id);
      if (existing.status === 'paused' || existing.status === 'queued') return this.resume(existing.id);
      return this.toJob(existing);
    }
    const row: Row = {
      id: randomUUID(),
      repo,
      revision: info.sha,
      quant: variant.quant !== 'unknown' ? variant.quant : (parseQuantLabel(variant.path) ?? 'unknown'),
      model_path: modelPath,
      files: JSON.stringify(
        variant.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256, done: false })),
      ),
      status: 'queued',
      error: null,
      created_at: this.clock.now(),
    };
    this.own.add(row.id);
    this.options.db
      .prepare(
        'INSERT INTO downloads (id, repo, revision, quant, model_path, files, status, error, created_at) VALUES (@id, @repo, @revision, @quant, @model_path, @files, @status, @error, @created_at)',
      )
      .run(row);
    this.emit(row.id);
    this.pump();
    return this.get(row.id);
  }

  pause(id: string): DownloadJob {
    const job = this.get(id);
    if (job.status === 'queued' || job.status === 'downloading') {
      this.setStatus(id, 'paused');
      this.running.get(id)?.controller.abort();
    }
    return this.get(id);
  }

  resume(id: string): DownloadJob {
    const job = this.get(id);
    if (job.status === 'paused' || job.status === 'failed') this.setStatus(id, 'queued');
    this.pump();
    return this.get(id);
  }

  async cancel(id: string): Promise<DownloadJob> {
    const job = this.get(id);
    if (job.status === 'done')
      throw new AppError('CONFLICT', 'That download is finished; delete the model instead');
    this.setStatus(id, 'cancelled');
    const running = this.running.get(id);
    running?.controller.abort();
    await this.whenStopped(id);
    for (const file of job.files) {
      if (file.done) continue;
      const target = this.targetPath(job.repo, file.path);
      await rm(`${target}.part`, { force: true });
      await rm(`${target}.part.json`, { force: true });
    }
    return this.get(id);
  }

  /** Waits for every running download to stop (for shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.wakeTimer);
    for (const running of this.running.values()) running.controller.abort();
    await Promise.all([...this.running.keys()].map((id) => this.whenStopped(id)));
  }

  private async whenStopped(id: string): Promise<void> {
    while (this.running.has(id)) await new Promise((r) => setTimeout(r, 10));
  }

  /** The file's place under the models folder: <models>/<owner>/<repo>/<path>, never outside it. */
  private targetPath(repo: string, path: string): string {
    const root = resolve(this.options.modelsDir());
    const target = resolve(join(root, ...repo.split('/'), ...validateRepoPath(path).split('/')));
    if (!target.startsWith(root + sep))
      throw new AppError('BAD_INPUT', `${repo}/${path} would be written outside the models folder`);
    return target;
  }

  private pump(): void {
    const slots = (this.options.concurrency ?? 1) - this.running.size;
    if (slots <= 0) return;
    const queued = this.options.db
      .prepare("SELECT * FROM downloads WHERE status = 'queued' ORDER BY created_at")
      .all() as Row[];
    const next = queued.filter(
      (row) => !this.running.has(row.id) && (!this.options.onlyOwnJobs || this.own.has(row.id)),
    );
    for (const row of next.slice(0, slots)) void this.run(row);
  }

  private async run(row: Row): Promise<void> {
    const running: Running = {
      controller: new AbortController(),
      locks: [],
      bytesDone: 0,
      speed: 0,
      lastEmit: 0,
      lastSample: { at: this.clock.now(), bytes: 0 },
    };
    this.running.set(row.id, running);
    this.setStatus(row.id, 'downloading');
    try {
      const files = JSON.parse(row.files) as DownloadJob['files'];
      running.bytesDone = files.filter((f) => f.done).reduce((s, f) => s + f.size, 0);
      for (const file of files) {
        if (file.done) continue;
        const target = this.targetPath(row.repo, file.path);
        mkdirSync(dirname(target), { recursive: true });
        running.locks.push(await acquireFileLock(`${target}.lock`));
        const base = running.bytesDone;
        const spec = {
          locate: async () =>
            (await this.options.hub.fileMetadata(row.repo, row.revision, file.path)).location,
          sha256: file.sha256,
          size: file.size,
          finalPath: target,
        };
        const fileOptions = {
          ...this.options.fileOptions,
          signal: running.controller.signal,
          onBytes: (_bytes: number, done: number) => this.progress(row.id, running, base + done),
        };
        try {
          await downloadFile(spec, fileOptions);
        } catch (error) {
          if (!(error instanceof FileChangedError)) throw error;
          // The file was replaced upstream: take the new version's hash and size, once.
          const fresh = await this.options.hub.fileMetadata(row.repo, 'main', file.path);
          Object.assign(file, { sha256: fresh.etag, size: fresh.size });
          this.saveFiles(row.id, files);
          await downloadFile({ ...spec, sha256: fresh.etag, size: fresh.size }, fileOptions);
        }
        file.done = true;
        running.bytesDone = base + file.size;
        this.saveFiles(row.id, files);
        await running.locks.pop()?.release();
      }
      this.setStatus(row.id, 'done');
    } catch (error) {
      // A run we stopped (pause, cancel) leaves the status to whoever stopped it: it may already be queued again.
      if (!running.controller.signal.aborted) {
        const info =
          error instanceof AppError
            ? { code: error.code, message: error.message }
            : { code: 'INTERNAL', message: String((error as Error).message ?? error) };
        this.options.db
          .prepare('UPDATE downloads SET status = ?, error = ? WHERE id = ?')
          .run('failed', JSON.stringify(info), row.id);
      }
    } finally {
      for (const lock of running.locks) await lock.release();
      this.running.delete(row.id);
      this.emit(row.id);
      this.pump();
    }
  }

  private progress(id: string, running: Running, bytesDone: number): void {
    running.bytesDone = bytesDone;
    const now = this.clock.now();
    const elapsed = now - running.lastSample.at;
    if (elapsed >= 500) {
      const instant = ((bytesDone - running.lastSample.bytes) * 1000) / elapsed;
      running.speed = running.speed ? running.speed * 0.7 + instant * 0.3 : instant;
      running.lastSample = { at: now, bytes: bytesDone };
    }
    if (now - running.lastEmit >= (this.options.progressIntervalMs ?? 250)) {
      running.lastEmit = now;
      this.emit(id);
    }
  }

  private saveFiles(id: string, files: DownloadJob['files']): void {
    this.options.db.prepare('UPDATE downloads SET files = ? WHERE id = ?').run(JSON.stringify(files), id);
  }

  private setStatus(id: string, status: DownloadJob['status']): void {
    this.options.db.prepare('UPDATE downloads SET status = ?, error = NULL WHERE id = ?').run(status, id);
    this.emit(id);
  }

  private emit(id: string): void {
    this.options.onChange(this.get(id));
  }

  /** Bytes already on disk for an unfinished file (its .part), so paused jobs show their progress. */
  private partBytes(repo: string, path: string): number {
    try {
      return statSync(`${this.targetPath(repo, path)}.part`).size;
    } catch {
      return 0;
    }
  }

  private toJob(row: Row): DownloadJob {
    const files = JSON.parse(row.files) as DownloadJob['files'];
    const running = this.running.get(row.id);
    const bytesTotal = files.reduce((s, f) => s + f.size, 0);
    const bytesDone =
      running?.bytesDone ??
      files.reduce(
        (sum, f) =>
          sum +
          (f.done
            ? f.size
            : row.status === 'paused' || row.status === 'failed'
              ? this.partBytes(row.repo, f.path)
              : 0),
        0,
      );
    const speed = running?.speed ?? 0;
    return {
      id: row.id,
      repo: row.repo,
      revision: row.revision,
      quant: row.quant,
      modelPath: row.model_path,
      files,
      status: row.status,
      bytesDone: row.status === 'done' ? bytesTotal : bytesDone,
      bytesTotal,
      bytesPerSecond: row.status === 'downloading' ? speed : 0,
      etaSeconds:
        row.status === 'downloading' && speed > 0 ? Math.ceil((bytesTotal - bytesDone) / speed) : null,
      error: row.error ? (JSON.parse(row.error) as { code: string; message: string }) : null,
      createdAt: row.created_at,
    };
  }
}
