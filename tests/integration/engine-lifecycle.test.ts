import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src/shared/contract';
import { startIdleUnloader } from '../../src/main/services/engine/idle-unloader';
import { shapes, writeLlamaModel } from '../fixtures/gguf';
import { engineHosts } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

const ask = (maxTokens = 8) => ({
  messages: [{ role: 'user' as const, content: 'Hello' }],
  sampling: { temperature: 0, maxTokens, stop: [] },
});

describe('engine lifecycle: load progress and cancel, unload after idle time', () => {
  const dir = makeTempDir();
  let tiny: string;
  let endless: string;
  let big: string;
  const { newHost, stopAll } = engineHosts();

  beforeAll(() => {
    tiny = writeTinyModel(dir.path);
    endless = writeTinyModel(dir.path, { endless: true }, 'endless.gguf');
    // Llama-3.2-1B's shape, 1.3 GB of zeros on a sparse file: a load long enough to watch and cancel.
    big = `${dir.path}/llama-1b-shape.gguf`;
    writeLlamaModel(big, { shape: shapes.llama32_1b, sparse: true });
  });
  afterAll(async () => {
    await stopAll();
    dir.cleanup();
  });

  it('reports load progress in its status, from 0 to done', async () => {
    const statuses: EngineStatus[] = [];
    const host = newHost({ onStatus: (s) => statuses.push(s) });
    await host.load({ modelPath: big, contextSize: 512, gpuLayers: 0, useMmap: false });
    const progress = statuses.flatMap((s) => (s.loading ? [s.loading.progress] : []));
    expect(progress[0]).toBe(0);
    expect(progress.some((p) => p > 0 && p < 1)).toBe(true);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(host.status()).toMatchObject({ loading: null, modelPath: big });
  });

  it('cancels a load in progress: it fails as cancelled, and the next load works', async () => {
    let cancelled = false;
    const host = newHost({
      onLoadProgress: (p) => {
        if (p > 0 && !cancelled) cancelled = host.cancelLoad();
      },
    });
    await expect(
      host.load({ modelPath: big, contextSize: 512, gpuLayers: 0, useMmap: false }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(host.status()).toMatchObject({ loading: null, modelPath: null });
    expect(host.cancelLoad()).toBe(false);
    // Cancelling is not a crash, whether the load stopped by itself or its process was replaced.
    expect(host.restartCount).toBe(0);
    await host.load({ modelPath: tiny, contextSize: 512, gpuLayers: 0 });
    expect((await host.chat(ask())).text.length).toBeGreaterThan(0);
  });

  it('unloads a model left idle past the setting, never one in use, and loads it again on demand', async () => {
    const host = newHost();
    await host.load({ modelPath: endless, contextSize: 1024, gpuLayers: 0 });
    let skew = 0;
    let after = 0;
    const unloaded: string[] = [];
    const stop = startIdleUnloader({
      engines: () => [host],
      unloadAfterMs: () => after,
      clock: { now: () => Date.now() + skew },
      checkEveryMs: 20,
      onUnload: (path) => unloaded.push(path),
    });
    try {
      // 0 keeps it loaded however long it waits.
      skew = 10 * 60_000;
      await new Promise((r) => setTimeout(r, 150));
      expect(host.status().modelPath).toBe(endless);

      // Busy: a reply in progress is never cut, however idle the clock says it is.
      after = 60_000;
      const controller = new AbortController();
      const reply = host.chat(ask(100_000), undefined, controller.signal);
      await new Promise((r) => setTimeout(r, 300));
      expect(host.status().modelPath).toBe(endless);
      controller.abort();
      expect((await reply).stopReason).toBe('abort');

      // Idle past the limit: unloaded, and its process gone.
      await expect.poll(() => unloaded, { timeout: 5000 }).toEqual([endless]);
      expect(host.status()).toMatchObject({ modelPath: null, pid: null });
      // Loaded again when needed.
      await host.load({ modelPath: tiny, contextSize: 512, gpuLayers: 0 });
      expect((await host.chat(ask())).text.length).toBeGreaterThan(0);
    } finally {
      stop();
    }
  });
});
