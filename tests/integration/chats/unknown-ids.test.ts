import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHearthApp, type HearthApp } from '../../../src/main/app/hearth-app';
import { sourceEngineLauncher } from '../../helpers/engine';
import { makeTempDir } from '../../helpers/temp-dir';

/** Ids a client made up, or from another conversation: always "not found", never an internal error. */
describe('chat routes with ids that do not exist', () => {
  const dir = makeTempDir();
  let app: HearthApp;
  const unknown = '00000000-0000-4000-8000-000000000000';

  beforeAll(() => {
    app = createHearthApp({
      dataDir: join(dir.path, 'data'),
      runtime: { runtime: 'server', version: 'test', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      externalRoots: null,
      log: () => {},
    });
  });
  afterAll(async () => {
    await app.close();
    dir.cleanup();
  });

  const call = (route: string, input?: unknown) => app.router.invoke(route, input);
  const get = async <T>(route: string, input?: unknown): Promise<T> => {
    const result = await call(route, input);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as T;
  };
  const notFound = { ok: false, error: { code: 'NOT_FOUND' } };

  it('answers NOT_FOUND for an unknown message, conversation or preset', async () => {
    expect(await call('chats.regenerate', { messageId: unknown })).toMatchObject(notFound);
    expect(await call('chats.stop', { messageId: unknown })).toMatchObject({
      ok: true,
      value: { stopped: false },
    });
    expect(await call('chats.send', { conversationId: unknown, content: 'hi' })).toMatchObject(notFound);
    expect(await call('chats.update', { conversationId: unknown, title: 'x' })).toMatchObject(notFound);
    expect(await call('chats.export', { conversationId: unknown, format: 'json' })).toMatchObject(notFound);
    expect(await call('chats.delete', { conversationId: unknown })).toMatchObject(notFound);
    expect(await call('chats.restore', { conversationId: unknown })).toMatchObject(notFound);
    expect(await call('presets.delete', { id: unknown })).toMatchObject(notFound);
    expect(await call('models.settings', { modelId: 'hearth:nope.gguf' })).toMatchObject(notFound);
    expect(await call('library.delete', { id: 'hearth:nope.gguf' })).toMatchObject(notFound);
    expect(await call('downloads.cancel', { id: unknown })).toMatchObject(notFound);
  });

  it('refuses an answer to a message that is not in the conversation, and saves nothing', async () => {
    const firstId = (await get<{ id: string }>('chats.create', { title: 'First' })).id;
    const secondId = (await get<{ id: string }>('chats.create', { title: 'Second' })).id;
    // No model is set, so a send that got through would answer BAD_INPUT after saving the question.
    const imported = await get<{ id: string }>('chats.import', {
      content: JSON.stringify({
        format: 'hearth-conversation',
        version: 1,
        conversation: {
          title: 'Elsewhere',
          modelId: null,
          systemPrompt: null,
          params: {},
          createdAt: 1,
          updatedAt: 1,
        },
        messages: [
          { id: 'm1', parentId: null, role: 'user', content: 'elsewhere', status: 'done', createdAt: 1 },
        ],
      }),
    });
    const elsewhere = await get<{ id: string }[]>('chats.messages', { conversationId: imported.id });
    const foreignId = elsewhere[0]!.id;
    expect(
      await call('chats.send', { conversationId: firstId, content: 'hi', parentId: unknown }),
    ).toMatchObject(notFound);
    expect(
      await call('chats.send', { conversationId: secondId, content: 'hi', parentId: foreignId }),
    ).toMatchObject(notFound);
    expect(await call('chats.messages', { conversationId: firstId })).toEqual({ ok: true, value: [] });
    expect(await call('chats.messages', { conversationId: secondId })).toEqual({ ok: true, value: [] });
  });

  it('deletes and restores a real conversation as before', async () => {
    const { id } = await get<{ id: string }>('chats.create', { title: 'Kept' });
    expect(await call('chats.delete', { conversationId: id })).toEqual({ ok: true, value: { ok: true } });
    expect(await call('chats.restore', { conversationId: id })).toEqual({ ok: true, value: { ok: true } });
  });
});
