import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../../../src/shared/contract';
import type { EngineHost } from '../../../../src/main/services/engine/engine-host';
import { EnginePool } from '../../../../src/main/services/engine/engine-pool';

/** Stands in for one engine process: the pool's decisions are what is tested here. */
class FakeHost {
  static pids = 100;
  readonly pid = FakeHost.pids++;
  modelPath: string | null = null;
  busy = false;
  loads = 0;
  status(): EngineStatus {
    return { state: 'ready', pid: this.pid, restarts: 0, modelPath: this.modelPath, loading: null };
  }
  async load(input: { modelPath: string }) {
    this.loads++;
    this.modelPath = input.modelPath;
    return { modelPath: input.modelPath, contextSize: 512, gpuLayers: 0, loadMs: 1 };
  }
  async chat() {
    return { text: `from ${this.modelPath}` };
  }
  async unload() {
    this.modelPath = null;
  }
  async stop() {}
  idleSince(): number | null {
    return this.busy || !this.modelPath ? null : 0;
  }
  cancelLoad() {
    return false;
  }
  restartCount = 0;
}

const GB = 1e9;
const setup = (max: number) => {
  const made: FakeHost[] = [];
  let clock = 0;
  const pool = new EnginePool(
    () => {
      const host = new FakeHost();
      made.push(host);
      return host as unknown as EngineHost;
    },
    () => max,
    () => ++clock,
  );
  const load = (modelPath: string, ramGB = 1, budgetGB = 100) =>
    pool.load(
      { modelPath, contextSize: 512, gpuLayers: 0 },
      { ramBytes: ramGB * GB, vramBytes: 0 },
      { ramBytes: budgetGB * GB, vramBytes: 0 },
    );
  const loaded = () => (pool.status().loaded ?? []).map((l) => l.modelPath).sort();
  return { pool, made, load, loaded };
};

describe('engine pool: one process per loaded model, within the limit and the memory', () => {
  it('with the default limit of one, a new model replaces the old in the same process', async () => {
    const { pool, made, load, loaded } = setup(1);
    await load('a.gguf');
    await load('b.gguf');
    expect(loaded()).toEqual(['b.gguf']);
    expect(made).toHaveLength(1);
    expect(pool.status().modelPath).toBe('b.gguf');
  });

  it('keeps several models up to the limit, routes each chat to its model, and evicts the least recently used', async () => {
    const { pool, made, load, loaded } = setup(2);
    await load('a.gguf');
    await load('b.gguf');
    expect(loaded()).toEqual(['a.gguf', 'b.gguf']);
    expect(made).toHaveLength(2);
    const ask = { messages: [], sampling: { temperature: 0, maxTokens: 1, stop: [] } };
    expect(await pool.chat(ask, undefined, undefined, 'a.gguf')).toMatchObject({ text: 'from a.gguf' });
    // a was used last: c takes b's place, in b's process.
    await load('c.gguf');
    expect(loaded()).toEqual(['a.gguf', 'c.gguf']);
    expect(made).toHaveLength(2);
    // Loading a model already in memory reloads it where it is (new settings), no eviction.
    await load('a.gguf');
    expect(loaded()).toEqual(['a.gguf', 'c.gguf']);
  });

  it('makes room when the new model would not fit beside the others, but never takes a model mid-reply', async () => {
    const { made, load, loaded } = setup(3);
    await load('a.gguf', 4);
    await load('b.gguf', 4);
    // 6 GB more where 10 GB are free: a (the oldest) leaves.
    await load('c.gguf', 6, 10);
    expect(loaded()).toEqual(['b.gguf', 'c.gguf']);
    // b is busy answering: c leaves instead, though b is older.
    made.find((h) => h.modelPath === 'b.gguf')!.busy = true;
    await load('d.gguf', 6, 10);
    expect(loaded()).toEqual(['b.gguf', 'd.gguf']);
  });
});
