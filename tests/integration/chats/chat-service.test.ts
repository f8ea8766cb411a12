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
    writeTinyModel(join(dir.path, 'data', 'models'), { seed: 2, name: 'Second' }, 'second.gguf');
    // Never ends its turn: a reply surely still running when it is stopped.
    writeTinyModel(join(dir.path, 'data', 'models'), { endless: true, name: 'Endless' }, 'endless.gguf');
    // Writes only broken UTF-8: nothing it generates is readable.
    writeTinyModel(join(dir.path, 'data', 'models'), { garbled: true, name: 'Garbled' }, 'garbled.gguf');
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

    const endlessChat = await call<{ id: string }>('chats.create', { modelId: 'hearth:endless.gguf' });
    const long = await call<{ reply: { id: string } }>('chats.send', {
      conversationId: endlessChat.id,
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

  it('applies the conversation settings, names it after the first question, and renames it', async () => {
    const chat = await call<{ id: string; title: string }>('chats.create', { modelId: 'hearth:tiny.gguf' });
    expect(chat.title).toBe('New chat');
    const updated = await call<{ params: unknown; systemPrompt: string | null }>('chats.update', {
      conversationId: chat.id,
      systemPrompt: 'You answer in one word.',
      params: { maxTokens: 3, temperature: 0 },
    });
    expect(updated).toMatchObject({
      params: { maxTokens: 3, temperature: 0 },
      systemPrompt: 'You answer in one word.',
    });
    const sent = await call<{ reply: { id: string } }>('chats.send', {
      conversationId: chat.id,
      content: 'What is the capital of France?\nAnswer briefly.',
    });
    const reply = await done(sent.reply.id);
    expect(reply.stats?.generatedTokens).toBeLessThanOrEqual(3);
    const [listed] = await call<{ id: string; title: string }[]>('chats.list');
    expect(listed).toMatchObject({ id: chat.id, title: 'What is the capital of France?' });
    await call('chats.update', { conversationId: chat.id, title: '  Geography  ' });
    expect((await call<{ title: string }[]>('chats.list'))[0]?.title).toBe('Geography');
    // Renaming or switching the model keeps the system prompt and sampling.
    const switched = await call<{ params: unknown; systemPrompt: string | null }>('chats.update', {
      conversationId: chat.id,
      modelId: 'hearth:second.gguf',
    });
    expect(switched).toMatchObject({
      params: { maxTokens: 3, temperature: 0 },
      systemPrompt: 'You answer in one word.',
    });
    // An empty prompt removes it.
    const cleared = await call<{ systemPrompt: string | null }>('chats.update', {
      conversationId: chat.id,
      systemPrompt: '',
    });
    expect(cleared.systemPrompt).toBeNull();
    const bad = await app.router.invoke('chats.update', {
      conversationId: chat.id,
      params: { temperature: -1 },
    });
    expect(bad.ok).toBe(false);
    const missing = await app.router.invoke('chats.update', { conversationId: 'nope', title: 'x' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('exports a conversation as Markdown and JSON, and imports the JSON back with every branch', async () => {
    const chat = await call<{ id: string }>('chats.create', {
      modelId: 'hearth:tiny.gguf',
      title: 'Export me',
    });
    await call('chats.update', { conversationId: chat.id, params: { maxTokens: 4, temperature: 0 } });
    const sent = await call<{ user: { id: string }; reply: { id: string } }>('chats.send', {
      conversationId: chat.id,
      content: 'Write a haiku about bread',
    });
    await done(sent.reply.id);
    const again = await call<{ id: string }>('chats.regenerate', { messageId: sent.reply.id });
    await done(again.id);

    const markdown = await call<{ filename: string; content: string }>('chats.export', {
      conversationId: chat.id,
      format: 'markdown',
    });
    expect(markdown.filename).toBe('Export-me.md');
    expect(markdown.content).toContain('# Export me');
    expect(markdown.content).toContain('## You\n\nWrite a haiku about bread');

    const json = await call<{ content: string }>('chats.export', { conversationId: chat.id, format: 'json' });
    const imported = await call<{ id: string; title: string; params: unknown }>('chats.import', {
      content: json.content,
    });
    expect(imported.id).not.toBe(chat.id);
    expect(imported).toMatchObject({ title: 'Export me', params: { maxTokens: 4, temperature: 0 } });
    type Row = { id: string; parentId: string | null; role: string; content: string; status: string };
    const shape = (rows: Row[]) => {
      const byId = new Map(rows.map((r) => [r.id, r]));
      return rows.map((r) => [
        r.role,
        r.content,
        r.status,
        r.parentId ? byId.get(r.parentId)?.content : null,
      ]);
    };
    const original = await call<Row[]>('chats.messages', { conversationId: chat.id });
    const copy = await call<Row[]>('chats.messages', { conversationId: imported.id });
    expect(copy).toHaveLength(3);
    expect(shape(copy)).toEqual(shape(original));

    const before = (await call<unknown[]>('chats.list')).length;
    for (const content of [
      'not json',
      '{"format":"other"}',
      json.content.replace(/"parentId": null/, '"parentId": "ghost"'),
    ]) {
      const refused = await app.router.invoke('chats.import', { content });
      expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    }
    expect(await call<unknown[]>('chats.list')).toHaveLength(before);
  });

  it('saves presets by name, replaces one of the same name, and deletes them', async () => {
    const first = await call<{ id: string }>('presets.save', {
      name: 'Coder',
      systemPrompt: 'You write TypeScript.',
      params: { temperature: 0.2 },
    });
    await call('presets.save', {
      name: 'Poet',
      systemPrompt: null,
      params: { temperature: 1.2, topP: 0.95 },
    });
    const replaced = await call<{ id: string; params: unknown }>('presets.save', {
      name: 'Coder',
      systemPrompt: 'You write Rust.',
      params: { temperature: 0.1 },
    });
    expect(replaced).toMatchObject({ id: first.id, params: { temperature: 0.1 } });
    expect((await call<{ name: string }[]>('presets.list')).map((p) => p.name)).toEqual(['Coder', 'Poet']);
    await call('presets.delete', { id: first.id });
    expect((await call<{ name: string }[]>('presets.list')).map((p) => p.name)).toEqual(['Poet']);
    expect(await call('chats.health')).toEqual({ recovered: null, interrupted: 0, backups: [] });
  });

  it('keeps two models in memory when the setting allows, each conversation answered by its own', async () => {
    type Status = { loaded: { modelPath: string; pid: number }[] };
    const first = await call<{ id: string }>('chats.create', { modelId: 'hearth:tiny.gguf' });
    const second = await call<{ id: string }>('chats.create', { modelId: 'hearth:second.gguf' });
    const ask = async (conversationId: string) => {
      const sent = await call<{ reply: { id: string } }>('chats.send', {
        conversationId,
        content: 'Hi',
        sampling: { maxTokens: 4 },
      });
      return done(sent.reply.id);
    };
    // One at a time by default: the second model replaces the first.
    await ask(first.id);
    await ask(second.id);
    expect((await call<Status>('engine.status')).loaded.map((l) => l.modelPath)).toEqual([
      expect.stringMatching(/second\.gguf$/),
    ]);
    await call('settings.update', { maxLoadedModels: 2 });
    await ask(first.id);
    const both = (await call<Status>('engine.status')).loaded;
    expect(both.map((l) => l.modelPath).sort()).toEqual([
      expect.stringMatching(/second\.gguf$/),
      expect.stringMatching(/tiny\.gguf$/),
    ]);
    expect(new Set(both.map((l) => l.pid)).size).toBe(2);
    // Back and forth: both stay, in the same processes.
    expect((await ask(second.id)).status).toBe('done');
    expect((await ask(first.id)).status).toBe('done');
    expect((await call<Status>('engine.status')).loaded).toEqual(expect.arrayContaining(both));
    await call('settings.update', { maxLoadedModels: 1 });
  });

  it('never saves an empty reply as done without saying why', async () => {
    const chat = await call<{ id: string }>('chats.create', { modelId: 'hearth:garbled.gguf' });
    const sent = await call<{ reply: { id: string } }>('chats.send', {
      conversationId: chat.id,
      content: 'Hello?',
      sampling: { maxTokens: 40, temperature: 0 },
    });
    const reply = await done(sent.reply.id);
    expect(reply).toMatchObject({ status: 'done', content: '' });
    expect(reply.stats?.notice).toMatch(/not readable text/);
    // The notice is stored with the reply: it is there after a reload too.
    const stored = await call<{ id: string; stats: { notice?: string } | null }[]>('chats.messages', {
      conversationId: chat.id,
    });
    expect(stored.find((m) => m.id === reply.id)?.stats?.notice).toBe(reply.stats?.notice);
  });
});
