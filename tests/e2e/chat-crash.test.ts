import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

interface Row {
  id: string;
  role: string;
  content: string;
  status: string;
}

const runs = Number(process.env.HEARTH_CRASH_RUNS ?? 50);

/** Calls a route on the server, failing the test with the server's error. */
async function call<T>(serve: ServeProcess, route: string, input?: unknown): Promise<T> {
  const result = await invokeOver(serve.url, route, input);
  if (!result.ok) throw new Error(`${route}: ${result.error?.message}\n${serve.output()}`);
  return result.value as T;
}

const killed = (serve: ServeProcess): Promise<void> =>
  new Promise((resolve) => {
    serve.child.once('exit', () => resolve());
    serve.child.kill('SIGKILL');
  });

describe(`chat history survives ${runs} SIGKILLs of hearth serve mid-reply`, () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const database = join(dataDir, 'hearth.db');
  let serve: ServeProcess | undefined;
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  it('keeps the database intact, every question, and each partial reply marked interrupted', async () => {
    writeTinyModel(join(dataDir, 'models'), { endless: true }, 'endless.gguf');
    let conversationId = '';
    for (let run = 0; run < runs; run++) {
      serve = await startServe({ dataDir, env: { HOME: join(dir.path, 'home') } });
      if (run === 0) {
        const models = await call<{ id: string }[]>(serve, 'library.list');
        conversationId = (
          await call<{ id: string }>(serve, 'chats.create', { modelId: models[0]!.id, title: 'Crash test' })
        ).id;
      } else {
        // The reply cut by the last kill is kept, and marked as such when Hearth starts again.
        const before = await call<Row[]>(serve, 'chats.messages', { conversationId });
        expect(before.at(-1)).toMatchObject({ role: 'assistant', status: 'interrupted' });
      }
      const sent = await call<{ reply: { id: string } }>(serve, 'chats.send', {
        conversationId,
        content: `Question number ${run}`,
      });
      // Kill once some of the reply is on disk, at a varying point of the next 250 ms save window.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const rows = await call<(Row & { stats: unknown })[]>(serve, 'chats.messages', { conversationId });
        const reply = rows.find((r) => r.id === sent.reply.id);
        if ((reply?.content.length ?? 0) > 0) break;
        // A reply that ended, or never starts, fails the run with what the server said.
        if (reply?.status !== 'streaming' || Date.now() > deadline)
          throw new Error(`run ${run}: reply ${JSON.stringify(reply)}\n${serve.output()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, (run * 37) % 300));
      await killed(serve);

      const db = new Database(database, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = db
          .prepare(
            'SELECT id, role, content, status FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid',
          )
          .all(conversationId) as Row[];
        expect(rows.filter((r) => r.role === 'user').map((r) => r.content)).toEqual(
          Array.from({ length: run + 1 }, (_, i) => `Question number ${i}`),
        );
        const reply = rows.find((r) => r.id === sent.reply.id);
        expect(reply?.status).toBe('streaming');
        expect(reply?.content.length).toBeGreaterThan(0);
      } finally {
        db.close();
      }
    }
    serve = await startServe({ dataDir, env: { HOME: join(dir.path, 'home') } });
    const rows = await call<Row[]>(serve, 'chats.messages', { conversationId });
    const replies = rows.filter((r) => r.role === 'assistant');
    expect(replies).toHaveLength(runs);
    expect(replies.every((r) => r.status === 'interrupted' && r.content.length > 0)).toBe(true);
    expect(await call<{ interrupted: number }>(serve, 'chats.health')).toMatchObject({ interrupted: 1 });
  }, 600_000);
});
