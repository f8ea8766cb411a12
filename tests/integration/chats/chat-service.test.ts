import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src/shared/contract';
import { createHearthApp, type HearthApp } from '../../../src/main/app/hearth-app';
import { sourceEngineLauncher } from '../../helpers/engine';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

describe('chats through the app: saved as they stream, stopped, regenerated, searched', () => {
  const dir = makeTempDir();
  let app: HearthApp;
  const finished = new Map<string, (m: EventPayload<'chats.message'>) => void>();
  const deltas: EventPayload<'chats.delta'>[] = [];

  const call = async <T>(route: string, input?: unknown): Promise<T> => {
    const result = await app.router.invoke(route, input);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as T;
  };
  const done = (messageId: string) =>
    new Promise<EventPayload<'chats.message'>>((resolve) => finished.set(messageId, resolve));

  beforeAll(() => {
    writeTinyModel(join(dir.path, 'data', 'models'));
    app = createHearthApp({
      dataDir: join(dir.path, 'data'),
      runtime: { runtime: 'server', version: 'test', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      externalRoots: null,
      log: () => {},
    });
    app.events.subscribe((name, payload) => {
      if (name === 'chats.delta') deltas.push(payload as EventPayload<'chats.delta'>);
      if (name === 'chats.message')
        finished.get((payload as EventPayload<'chats.message'>).id)?.(
          payload as EventPayload<'chats.message'>,
        );
    });
  });
  afterAll(async () => {
    await app.close();
    dir.cleanup();
  });

  it('streams a reply, saves it, regenerates a sibling, stops one keeping the partial, and finds it by search', async () => {
    const chat = await call<{ id: string }>('chats.create', { modelId: 'hearth:tiny.gguf', title: 'First' });
    const sent = await call<{ user: { id: string }; reply: { id: string; status: string } }>('chats.send', {
      conversationId: chat.id,
      content: 'Hello hearth, remember the word pineapple',
      sampling: { temperature: 0, maxTokens: 16 },
    });
    expect(sent.reply.status).toBe('streaming');
    const reply = await done(sent.reply.id);
    expect(['done']).toContain(reply.status);
    expect(reply.content).toBe(
      deltas
        .filter((d) => d.messageId === reply.id && d.segment === 'text')
        .map((d) => d.text)
        .join(''),
    );
    expect(reply.stats?.generatedTokens).toBeGreaterThan(0);

    const again = await call<{ id: string; parentId: string }>('chats.regenerate', { messageId: reply.id });
    expect(again.parentId).toBe(sent.user.id);
    await done(again.id);
    const messages = await call<{ id: string; parentId: string | null }[]>('chats.messages', {
      conversationId: chat.id,
    });
    expect(messages.filter((m) => m.parentId === sent.user.id)).toHaveLength(2);

    const long = await call<{ reply: { id: string } }>('chats.send', {
      conversationId: chat.id,
      content: 'Now tell me a very long story',
      sampling: { temperature: 0, maxTokens: 3000 },
    });
    await expect
      .poll(() => deltas.filter((d) => d.messageId === long.reply.id).length, { timeout: 20_000 })
      .toBeGreaterThan(2);
    expect(await call('chats.stop', { messageId: long.reply.id })).toEqual({ stopped: true });
    const stopped = await done(long.reply.id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.content.length).toBeGreaterThan(0);

    expect(
      (await call<{ messageId: string }[]>('chats.search', { query: 'pineapple' })).map((r) => r.messageId),
    ).toEqual([sent.user.id]);
  });
});
