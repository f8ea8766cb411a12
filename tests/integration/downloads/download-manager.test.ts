import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../src/shared/contract';
import { openDatabase, type Db } from '../../../src/main/services/db/open-database';
import { DownloadManager } from '../../../src/main/services/downloads/download-manager';
import { HubClient } from '../../../src/main/services/hub/hub-client';
import { startFakeHub, type FakeHub } from '../../fixtures/fake-hub/fake-hub';
import { sha256File, writeDownloadModel } from '../../helpers/download-fixtures';
import { makeTempDir } from '../../helpers/temp-dir';

const MiB = 1024 * 1024;
const worker = fileURLToPath(new URL('../../fixtures/download-worker.ts', import.meta.url));
const repo = 'hearth-test/Download-GGUF';

function runWorker(args: string[]): {
  done: Promise<{ code: number | null; out: string }>;
  kill: () => void;
  pid: () => number | undefined;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return {
    done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, out }))),
    kill: () => child.kill('SIGKILL'),
    pid: () => child.pid,
  };
}

describe('download manager', () => {
  const dir = makeTempDir();
  let hub: FakeHub;
  let model: { path: string; sha256: string; size: number };
  let split: { path: string; sha256: string; size: number }[];

  beforeAll(async () => {
    model = writeDownloadModel(dir.path);
    split = [
      writeDownloadModel(dir.path, 'part-a.gguf', 11),
      writeDownloadModel(dir.path, 'part-b.gguf', 12),
    ];
    hub = await startFakeHub([
      { id: repo, files: [{ path: 'test-model-Q8_0.gguf', diskPath: model.path }] },
      {
        id: 'hearth-test/Split-GGUF',
        files: [
          { path: 'Q8_0/big-Q8_0-00001-of-00002.gguf', diskPath: split[0]!.path },
          { path: 'Q8_0/big-Q8_0-00002-of-00002.gguf', diskPath: split[1]!.path },
          { path: 'small-Q4_K_M.gguf', content: Buffer.from('not used') },
        ],
      },
    ]);
  });
  afterAll(async () => {
    await hub.close();
    dir.cleanup();
  });
  beforeEach(() => {
    hub.faults = {};
    hub.stats.cdnBytes = 0;
  });

  let n = 0;
  function manager(options: { concurrency?: number } = {}): {
    manager: DownloadManager;
    db: Db;
    modelsDir: string;
    events: DownloadJob[];
    finished: (id: string) => Promise<DownloadJob>;
  } {
    const root = join(dir.path, `m${++n}`);
    const db = openDatabase(join(root, 'hearth.db'));
    const events: DownloadJob[] = [];
    const waiters = new Map<string, (job: DownloadJob) => void>();
    const m = new DownloadManager({
      db,
      hub: new HubClient({ endpoint: hub.url, sleep: async () => {} }),
      modelsDir: () => join(root, 'models'),
      fileOptions: { chunkBytes: 4 * MiB, freeSpaceMarginBytes: 0, sleep: async () => {} },
      progressIntervalMs: 0,
      concurrency: options.concurrency,
      onChange: (job) => {
        events.push(job);
        if (['done', 'failed', 'cancelled', 'paused'].includes(job.status)) waiters.get(job.id)?.(job);
      },
    });
    m.start();
    return {
      manager: m,
      db,
      modelsDir: join(root, 'models'),
      events,
      finished: (id) => new Promise((resolve) => waiters.set(id, resolve)),
    };
  }

  it('downloads a model into <models>/<owner>/<repo>/ with progress events', async () => {
    const { manager: m, finished, events, modelsDir } = manager();
    const job = await m.enqueue({ repo });
    expect(job).toMatchObject({ quant: 'Q8_0', bytesTotal: model.size });
    const done = await finished(job.id);
    expect(done.status).toBe('done');
    expect(done.modelPath).toBe(join(modelsDir, 'hearth-test', 'Download-GGUF', 'test-model-Q8_0.gguf'));
    expect(sha256File(done.modelPath)).toBe(model.sha256);
    const progress = events.filter((e) => e.status === 'downloading').map((e) => e.bytesDone);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('downloads every part of a split model as one job', async () => {
    const { manager: m, finished, modelsDir } = manager();
    const job = await m.enqueue({ repo: 'hearth-test/Split-GGUF', quant: 'Q8_0' });
    expect(job.files).toHaveLength(2);
    expect(job.bytesTotal).toBe(split[0]!.size + split[1]!.size);
    const done = await finished(job.id);
    expect(done.status).toBe('done');
    const folder = join(modelsDir, 'hearth-test', 'Split-GGUF', 'Q8_0');
    expect(readdirSync(folder).sort()).toEqual([
      'big-Q8_0-00001-of-00002.gguf',
      'big-Q8_0-00002-of-00002.gguf',
    ]);
    expect(sha256File(join(folder, 'big-Q8_0-00002-of-00002.gguf'))).toBe(split[1]!.sha256);
  });

  it('gives one job (one writer) when the same model is asked for twice', async () => {
    const { manager: m, finished } = manager();
    hub.faults = { bytesPerSecond: 50 * MiB };
    const [a, b] = await Promise.all([m.enqueue({ repo }), m.enqueue({ repo, quant: 'q8_0' })]);
    expect(b.id).toBe(a.id);
    expect(m.list()).toHaveLength(1);
    expect((await finished(a.id)).status).toBe('done');
  });

  it('pauses keeping the part, resumes from it, and cancels deleting it', async () => {
    const { manager: m, finished, modelsDir } = manager();
    hub.faults = { bytesPerSecond: 20 * MiB };
    const job = await m.enqueue({ repo });
    await new Promise((r) => setTimeout(r, 600));
    m.pause(job.id);
    const paused = await finished(job.id);
    expect(paused.status).toBe('paused');
    const part = join(modelsDir, 'hearth-test', 'Download-GGUF', 'test-model-Q8_0.gguf.part');
    expect(existsSync(part)).toBe(true);
    hub.faults = {};
    hub.stats.cdnBytes = 0;
    m.resume(job.id);
    const done = await finished(job.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');
    expect(hub.stats.cdnBytes).toBeLessThan(model.size);

    const { manager: m2, finished: finished2, modelsDir: dir2 } = manager();
    hub.faults = { bytesPerSecond: 20 * MiB };
    const other = await m2.enqueue({ repo });
    await new Promise((r) => setTimeout(r, 400));
    const cancelled = await m2.cancel(other.id);
    expect(cancelled.status).toBe('cancelled');
    expect(existsSync(join(dir2, 'hearth-test', 'Download-GGUF', 'test-model-Q8_0.gguf.part'))).toBe(false);
    void finished2;
  });

  it('reports a corrupted download as failed and never lists the file', async () => {
    const { manager: m, finished } = manager();
    hub.faults = { flipByteAt: 1_000_000 };
    const job = await m.enqueue({ repo });
    const failed = await finished(job.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'INVALID_MODEL' } });
    expect(existsSync(failed.modelPath)).toBe(false);
  });

  it('starts over on the new version when the file changes on the Hub mid-way (new ETag), and verifies it', async () => {
    const { manager: m, finished } = manager();
    hub.faults = { bytesPerSecond: 20 * MiB };
    const job = await m.enqueue({ repo });
    await new Promise((r) => setTimeout(r, 500));
    // The fake now serves a different file (all 0x5a) under a new ETag.
    hub.faults = { changedEtag: createHash('sha256').update(Buffer.alloc(model.size, 0x5a)).digest('hex') };
    const done = await finished(job.id);
    expect(done.status).toBe('done');
    expect(sha256File(done.modelPath)).toBe(hub.faults.changedEtag);
    expect(done.files[0]?.sha256).toBe(hub.faults.changedEtag);
  });

  it('retries downloads that failed for the network, as after the machine wakes', async () => {
    const { manager: m, finished } = manager();
    hub.faults = { dropAfterBytes: 1024, dropCount: 100 };
    const job = await m.enqueue({ repo });
    const failed = await finished(job.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'NETWORK' } });
    hub.faults = {};
    m.retryNetworkFailures();
    expect((await finished(job.id)).status).toBe('done');
  });

  it('rejects repo ids and file names that would write outside the models folder', async () => {
    const { manager: m } = manager();
    await expect(m.enqueue({ repo: '../../etc' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(m.enqueue({ repo, file: '../../evil.gguf' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(m.enqueue({ repo: 'hearth-test/Nope-GGUF' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(m.enqueue({ repo, quant: 'Q2_K' })).rejects.toThrow(/no Q2_K.*available: Q8_0/);
  });

  it('survives SIGKILL at random points: resumes every time, verifies, re-fetches no more than the missing part plus a chunk', async () => {
    const root = join(dir.path, 'killed');
    const args = [hub.url, join(root, 'models'), join(root, 'hearth.db'), repo, 'Q8_0', String(1 * MiB)];
    hub.faults = { bytesPerSecond: 6 * MiB };
    let kills = 0;
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 24; round++) {
      const run = runWorker(args);
      const timer = setTimeout(
        () => {
          kills++;
          run.kill();
        },
        250 + random() * 700,
      );
      const { code, out } = await run.done;
      clearTimeout(timer);
      if (code === 0) {
        const { modelPath } = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { modelPath: string };
        expect(sha256File(modelPath)).toBe(model.sha256);
        break;
      }
      expect(code, out).toBeNull();
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    // Every kill can lose at most the chunk that was in flight.
    expect(hub.stats.cdnBytes).toBeLessThanOrEqual(model.size + kills * 1 * MiB);
  }, 120_000);

  it('lets only one of two processes write the same file', async () => {
    const root = join(dir.path, 'race');
    const base = [hub.url, join(root, 'models')];
    hub.faults = { bytesPerSecond: 10 * MiB };
    const a = runWorker([...base, join(root, 'a.db'), repo, 'Q8_0', String(4 * MiB)]);
    await new Promise((r) => setTimeout(r, 700));
    const b = runWorker([...base, join(root, 'b.db'), repo, 'Q8_0', String(4 * MiB)]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(3);
    expect(rb.out).toMatch(/another Hearth process/);
    expect(sha256File(join(root, 'models', 'hearth-test', 'Download-GGUF', 'test-model-Q8_0.gguf'))).toBe(
      model.sha256,
    );
  }, 60_000);
});
