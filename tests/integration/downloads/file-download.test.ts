import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadFile, FileChangedError } from '../../../src/main/services/downloads/file-download';
import { HubClient } from '../../../src/main/services/hub/hub-client';
import { startFakeHub, type FakeHub } from '../../fixtures/fake-hub/fake-hub';
import { sha256File, writeDownloadModel } from '../../helpers/download-fixtures';
import { makeTempDir } from '../../helpers/temp-dir';

const MiB = 1024 * 1024;

describe('one file download: resumable, verified, never trusting a bad server', () => {
  const dir = makeTempDir();
  let hub: FakeHub;
  let model: { path: string; sha256: string; size: number };
  let client: HubClient;
  let n = 0;
  const repo = 'hearth-test/Download-GGUF';
  const file = 'test-model-Q8_0.gguf';
  const target = (): string => join(dir.path, `out-${++n}`, file);
  const spec = (finalPath: string) => ({
    locate: async () => (await client.fileMetadata(repo, 'main', file)).location,
    sha256: model.sha256,
    size: model.size,
    finalPath,
  });
  const fast = { chunkBytes: 4 * MiB, sleep: async () => {}, freeSpaceMarginBytes: 0 };

  beforeAll(async () => {
    model = writeDownloadModel(dir.path);
    hub = await startFakeHub([{ id: repo, files: [{ path: file, diskPath: model.path }] }]);
    client = new HubClient({ endpoint: hub.url, sleep: async () => {} });
  });
  afterAll(async () => {
    await hub.close();
    dir.cleanup();
  });
  beforeEach(() => {
    hub.faults = {};
    hub.stats.cdnBytes = 0;
  });

  it('downloads tens of MB in ranged chunks and moves the verified file into place', async () => {
    expect(model.size).toBeGreaterThan(20 * MiB);
    const finalPath = target();
    await downloadFile(spec(finalPath), fast);
    expect(sha256File(finalPath)).toBe(model.sha256);
    expect(existsSync(`${finalPath}.part`)).toBe(false);
    expect(existsSync(`${finalPath}.part.json`)).toBe(false);
    expect(hub.stats.cdnBytes).toBe(model.size);
  });

  it('retries dropped connections and resumes where it stopped', async () => {
    hub.faults = { dropAfterBytes: 3 * MiB, dropCount: 4 };
    const finalPath = target();
    await downloadFile(spec(finalPath), fast);
    expect(sha256File(finalPath)).toBe(model.sha256);
    // A drop loses only what was in flight on the socket, never what reached the disk.
    expect(hub.stats.cdnBytes).toBeLessThanOrEqual(model.size + 4 * 1024 * 1024);
  });

  it('rejects a flipped byte: no file is put in place, the part is deleted', async () => {
    hub.faults = { flipByteAt: 12_345_678 };
    const finalPath = target();
    await expect(downloadFile(spec(finalPath), fast)).rejects.toMatchObject({
      code: 'INVALID_MODEL',
      message: expect.stringMatching(/checksum/),
    });
    expect(existsSync(finalPath)).toBe(false);
    expect(existsSync(`${finalPath}.part`)).toBe(false);
  });

  it('detects a server that ignores Range and starts from zero instead of splicing', async () => {
    const finalPath = target();
    hub.faults = { dropAfterBytes: 3 * MiB, dropCount: 1 };
    await expect(downloadFile(spec(finalPath), { ...fast, maxRetries: 0 })).rejects.toMatchObject({
      code: 'NETWORK',
    });
    const partial = statSync(`${finalPath}.part`).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThanOrEqual(3 * MiB);
    hub.faults = { ignoreRange: true };
    await downloadFile(spec(finalPath), fast);
    expect(sha256File(finalPath)).toBe(model.sha256);
  });

  it('stops when the file changes on the server mid-way (new ETag)', async () => {
    const finalPath = target();
    hub.faults = { dropAfterBytes: 2 * MiB, dropCount: 1 };
    await expect(downloadFile(spec(finalPath), { ...fast, maxRetries: 0 })).rejects.toMatchObject({
      code: 'NETWORK',
    });
    hub.faults = { changedEtag: createHash('sha256').update('another version').digest('hex') };
    await expect(downloadFile(spec(finalPath), fast)).rejects.toBeInstanceOf(FileChangedError);
    expect(existsSync(finalPath)).toBe(false);
  });

  it('starts over when the note beside the part was cut by a crash', async () => {
    const finalPath = target();
    hub.faults = { dropAfterBytes: 2 * MiB, dropCount: 1 };
    await expect(downloadFile(spec(finalPath), { ...fast, maxRetries: 0 })).rejects.toMatchObject({
      code: 'NETWORK',
    });
    writeFileSync(`${finalPath}.part.json`, '');
    hub.faults = {};
    await downloadFile(spec(finalPath), fast);
    expect(sha256File(finalPath)).toBe(model.sha256);
  });

  it('refuses an HTML page served instead of the model', async () => {
    hub.faults = { htmlBody: true };
    const finalPath = target();
    await expect(downloadFile(spec(finalPath), fast)).rejects.toMatchObject({
      code: 'INVALID_MODEL',
      message: expect.stringMatching(/web page/),
    });
    expect(existsSync(finalPath)).toBe(false);
  });

  describe('on a small disk (a 24 MB tmpfs)', () => {
    const mountPoint = join(dir.path, 'small-disk');
    let mounted = false;
    beforeAll(() => {
      mkdirSync(mountPoint, { recursive: true });
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint], { stdio: 'ignore' });
        mounted = true;
      } catch {
        console.warn('disk-full test skipped: cannot mount a tmpfs here (needs root)');
      }
    });
    afterAll(() => {
      if (mounted) execFileSync('umount', [mountPoint]);
    });

    it('refuses to start without room, fails clearly when the disk fills, and finishes once space is freed', async (ctx) => {
      if (!mounted) ctx.skip();
      const finalPath = join(mountPoint, 'models', file);
      // Up-front check: the whole file cannot fit.
      await expect(downloadFile(spec(finalPath), fast)).rejects.toMatchObject({
        code: 'DISK_FULL',
        message: expect.stringMatching(/needs .* GB/),
      });
      // Fill happens mid-way when the up-front check is passed by a margin that lies (another app writes).
      rmSync(join(mountPoint, 'models'), { recursive: true, force: true });
      execFileSync('umount', [mountPoint]);
      execFileSync('mount', [
        '-t',
        'tmpfs',
        '-o',
        `size=${Math.ceil(model.size / MiB) + 2}m`,
        'tmpfs',
        mountPoint,
      ]);
      mkdirSync(join(mountPoint, 'models'), { recursive: true });
      const filler = join(mountPoint, 'filler.bin');
      const grow = (): void => {
        try {
          writeFileSync(filler, Buffer.alloc(16 * MiB), { flag: 'a' });
        } catch {
          clearInterval(fill);
        }
      };
      hub.faults = { bytesPerSecond: 40 * MiB };
      const fill = setInterval(grow, 50);
      await expect(downloadFile(spec(finalPath), { ...fast, chunkBytes: 1 * MiB })).rejects.toMatchObject({
        code: 'DISK_FULL',
        message: expect.stringMatching(/disk is full.*kept/i),
      });
      clearInterval(fill);
      const kept = statSync(`${finalPath}.part`).size;
      rmSync(filler);
      hub.faults = {};
      hub.stats.cdnBytes = 0;
      await downloadFile(spec(finalPath), fast);
      expect(sha256File(finalPath)).toBe(model.sha256);
      expect(hub.stats.cdnBytes).toBeLessThanOrEqual(model.size - kept + 4 * MiB);
    });
  });
});
