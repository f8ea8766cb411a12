import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChatStore } from '../../../src/main/services/chats/chat-store';
import { openChatDatabase } from '../../../src/main/services/chats/chat-database';
import { migrate } from '../../../src/main/services/chats/migrations';
import { openDatabase } from '../../../src/main/services/db/open-database';
import { ProviderStore } from '../../../src/main/services/providers/provider-store';
import { providerChat } from '../../helpers/provider-chat';
import { sendJson, startStub, type Stub } from '../../helpers/remote-stub';
import { makeTempDir } from '../../helpers/temp-dir';

const vllmModels = {
  object: 'list',
  data: [{ id: 'Qwen/Qwen3-8B', object: 'model', owned_by: 'vllm', max_model_len: 32768 }],
};

describe('the provider registry', () => {
  const chat = providerChat();
  let stub: Stub | undefined;
  afterEach(async () => {
    await stub?.close();
    stub = undefined;
  });
  afterAll(() => chat.close());

  async function conversationOn(providerId: string, modelId: string) {
    return chat.chats.newConversation({ modelId, providerId });
  }

  it('refuses to add a server that does not answer, a bad URL, or a wrong key, keeping nothing', async () => {
    stub = await startStub((req, res) =>
      req.headers.authorization === 'Bearer right'
        ? sendJson(res, 200, vllmModels)
        : sendJson(res, 401, { error: { message: 'Invalid API key', type: 'invalid_request_error' } }),
    );
    const before = chat.providers.list().length;
    await expect(chat.providers.add({ kind: 'openai', baseUrl: stub.url, key: 'wrong' })).rejects.toThrow(
      /HTTP 401: Invalid API key/,
    );
    await expect(chat.providers.add({ kind: 'openai', baseUrl: 'file:///etc/passwd' })).rejects.toThrow(
      /Only http/,
    );
    await expect(chat.providers.add({ kind: 'openai', baseUrl: 'http://u:p@127.0.0.1:9' })).rejects.toThrow(
      /key field/,
    );
    await expect(chat.providers.add({ kind: 'hearth', baseUrl: 'http://127.0.0.1:9' })).rejects.toThrow(
      /connection refused/,
    );
    expect(chat.providers.list()).toHaveLength(before);
    const added = await chat.providers.add({ kind: 'openai', baseUrl: stub.url, key: 'right' });
    // The key changes and goes; the provider says whether one is set, never what it is.
    expect(chat.providers.update({ id: added.id, key: null }).hasKey).toBe(false);
    await expect(chat.providers.models(added.id)).rejects.toThrow(/HTTP 401/);
    expect(chat.providers.update({ id: added.id, key: 'right', name: 'renamed' })).toMatchObject({
      hasKey: true,
      name: 'renamed',
    });
    expect(await chat.providers.models(added.id)).toHaveLength(1);
    expect(chat.providers.remove(added.id)).toEqual({ ok: true });
    expect(chat.secrets.get(`provider:${added.id}`)).toBeNull();
    expect(() => chat.providers.remove('local')).toThrow(/cannot be changed/);
    expect(chat.providers.list()[0]).toMatchObject({ id: 'local', kind: 'local', baseUrl: null });
  });

  it('a conversation whose provider was removed says so, and chats.update refuses an unknown provider', async () => {
    stub = await startStub((_req, res) => sendJson(res, 200, vllmModels));
    const provider = await chat.providers.add({ kind: 'openai', baseUrl: stub.url });
    const conversation = await conversationOn(provider.id, 'Qwen/Qwen3-8B');
    chat.providers.remove(provider.id);
    await expect(chat.chats.send({ conversationId: conversation.id, content: 'hi' })).resolves.toBeDefined();
    const last = chat.store.messages(conversation.id).at(-1)!;
    expect((await chat.settled(last.id)).stats?.error).toMatch(/No such provider/);
    expect(() => chat.chats.update(conversation.id, { providerId: 'nope' })).toThrow(/No such provider/);
    expect(chat.chats.update(conversation.id, { providerId: 'local' }).providerId).toBeNull();
  });

  it("schema v4: earlier conversations stay on this machine; providers and each conversation's machine survive a restart", () => {
    const dir = makeTempDir();
    const path = join(dir.path, 'hearth.db');
    const old = openDatabase(path);
    migrate(old, path, () => 1, 3);
    old.exec(
      "INSERT INTO conversations (id, title, model_id, created_at, updated_at) VALUES ('c1', 'Old', 'hearth:tiny.gguf', 1, 2)",
    );
    old.close();
    let { db } = openChatDatabase(path, { now: () => 5 });
    expect(new ChatStore(db).conversation('c1')).toMatchObject({
      modelId: 'hearth:tiny.gguf',
      providerId: null,
    });
    const added = new ProviderStore(db).add({
      name: 'box',
      kind: 'ollama',
      baseUrl: 'http://box:11434',
      hasKey: true,
    });
    const moved = new ChatStore(db).updateConversation('c1', { providerId: added.id, modelId: 'qwen3:0.6b' });
    expect(moved.providerId).toBe(added.id);
    // A rename leaves the machine alone.
    expect(new ChatStore(db).updateConversation('c1', { title: 'Renamed' }).providerId).toBe(added.id);
    db.close();
    ({ db } = openChatDatabase(path));
    expect(new ProviderStore(db).list()).toEqual([added]);
    expect(new ChatStore(db).conversation('c1')).toMatchObject({
      title: 'Renamed',
      providerId: added.id,
      modelId: 'qwen3:0.6b',
    });
    db.close();
    dir.cleanup();
  });
});
