import { describe, expect, it } from 'vitest';
import { ApiError, ClientGone } from '../../../../src/main/api/api-error';
import { Scheduler } from '../../../../src/main/api/scheduler';

/** An engine double: which models are loaded, their slots, and loads the test settles by hand. */
function engine(slots: Record<string, number>) {
  const loaded = new Set<string>();
  const loads: Array<{ id: string; done: () => void; fail: (e: Error) => void }> = [];
  return {
    loaded,
    loads,
    isLoaded: (path: string) => loaded.has(path),
    slots: (path: string) => slots[path] ?? 1,
    load: (id: string) =>
      new Promise<void>((resolve, reject) =>
        loads.push({
          id,
          done: () => {
            loaded.add(`/${id}`);
            resolve();
          },
          fail: reject,
        }),
      ),
  };
}
const a = { id: 'a', path: '/a' };
const b = { id: 'b', path: '/b' };
const flush = () => new Promise((r) => setImmediate(r));
const signal = () => new AbortController().signal;

describe('API scheduler', () => {
  it('runs as many as a model has slots, queues the rest first come first served', async () => {
    const e = engine({ '/a': 2 });
    e.loaded.add('/a');
    const s = new Scheduler(e, { maxQueued: 10 });
    const order: number[] = [];
    const releases = await Promise.all([s.acquire(a, signal()), s.acquire(a, signal())]);
    const third = s.acquire(a, signal()).then((r) => (order.push(3), r));
    const fourth = s.acquire(a, signal()).then((r) => (order.push(4), r));
    await flush();
    expect(s.stats()).toMatchObject({ active: 2, queued: 2 });
    releases[1]!();
    (await third)();
    releases[0]!();
    (await fourth)();
    expect(order).toEqual([3, 4]);
    expect(s.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  it('answers 503 with a Retry-After once the queue is full', async () => {
    const e = engine({});
    e.loaded.add('/a');
    const s = new Scheduler(e, { maxQueued: 1 });
    const running = await s.acquire(a, signal());
    const waiting = s.acquire(a, signal());
    const refused = await s.acquire(a, signal()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 503, code: 'engine_overloaded' });
    expect((refused as ApiError).retryAfterS).toBeGreaterThanOrEqual(1);
    running();
    (await waiting)();
  });

  it('drops a waiting request whose client left: it never starts', async () => {
    const e = engine({});
    e.loaded.add('/a');
    const s = new Scheduler(e, { maxQueued: 5 });
    const running = await s.acquire(a, signal());
    const controller = new AbortController();
    let started = false;
    const left = s.acquire(a, controller.signal).then(() => (started = true));
    controller.abort();
    await expect(left).rejects.toBeInstanceOf(ClientGone);
    expect(s.stats().queued).toBe(0);
    running();
    await flush();
    expect(started).toBe(false);
    expect(s.stats().active).toBe(0);
  });

  it('loads a model only once nothing runs, and nobody behind the load skips ahead', async () => {
    const e = engine({});
    e.loaded.add('/a');
    const s = new Scheduler(e, { maxQueued: 5 });
    const onA = await s.acquire(a, signal());
    const forB = s.acquire(b, signal());
    const alsoA = s.acquire(a, signal());
    await flush();
    expect(e.loads).toHaveLength(0);
    onA();
    await flush();
    expect(e.loads.map((l) => l.id)).toEqual(['b']);
    e.loads[0]!.done();
    (await forB)();
    (await alsoA)();
  });

  it('gives everyone waiting for a model the reason its load failed', async () => {
    const e = engine({});
    const s = new Scheduler(e, { maxQueued: 5 });
    const first = s.acquire(b, signal());
    const second = s.acquire(b, signal());
    await flush();
    e.loads[0]!.fail(new Error('b does not fit: it needs 9.9 GB'));
    await expect(first).rejects.toThrow(/does not fit/);
    await expect(second).rejects.toThrow(/does not fit/);
    expect(s.stats()).toMatchObject({ active: 0, queued: 0, loading: null });
  });
});
