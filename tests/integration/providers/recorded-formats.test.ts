import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { detectKind } from '../../../src/main/services/providers/client-factory';
import { providerChat } from '../../helpers/provider-chat';
import { sendJson, sendSse, startStub, type Stub } from '../../helpers/remote-stub';

// Shapes copied from what each server sends (vLLM's OpenAI server, llama.cpp's tools/server, Ollama's api/types.go).
const vllmModels = {
  object: 'list',
  data: [
    {
      id: 'Qwen/Qwen3-8B',
      object: 'model',
      created: 1748000000,
      owned_by: 'vllm',
      root: 'Qwen/Qwen3-8B',
      parent: null,
      max_model_len: 32768,
      permission: [{ id: 'modelperm-1', object: 'model_permission', allow_sampling: true }],
    },
  ],
};
const llamaServerModels = {
  models: [{ name: 'qwen3-8b-q4_k_m.gguf', model: 'qwen3-8b-q4_k_m.gguf', type: 'model' }],
  object: 'list',
  data: [
    {
      id: 'qwen3-8b-q4_k_m.gguf',
      object: 'model',
      created: 1748000000,
      owned_by: 'llamacpp',
      meta: {
        vocab_type: 2,
        n_vocab: 151936,
        n_ctx_train: 40960,
        n_embd: 4096,
        n_params: 8190735360,
        size: 5027783488,
      },
    },
  ],
};
const chunk = (delta: object, finish: string | null = null) => ({
  id: 'chatcmpl-abc',
  object: 'chat.completion.chunk',
  created: 1748000000,
  model: 'm',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
});

describe('providers against recorded server formats', () => {
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

  it('vLLM: lists models with their context, streams reasoning, text and usage, sends the key and sampling', async () => {
    stub = await startStub((req, res) => {
      if (req.headers.authorization !== 'Bearer sk-vllm')
        return sendJson(res, 401, { error: { message: 'Unauthorized' } });
      if (req.path === '/api/version') return sendJson(res, 404, { detail: 'Not Found' });
      if (req.path === '/v1/models') return sendJson(res, 200, vllmModels);
      sendSse(res, [
        { ...chunk({ role: 'assistant', content: '' }), usage: null },
        chunk({ reasoning_content: 'Thinking.' }),
        chunk({ content: 'Bonjour' }),
        chunk({ content: ' !' }, 'stop'),
        {
          id: 'chatcmpl-abc',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'm',
          choices: [],
          usage: { prompt_tokens: 9, total_tokens: 12, completion_tokens: 3 },
        },
      ]);
    });
    expect(await detectKind({ baseUrl: stub.url, key: 'sk-vllm' })).toBe('openai');
    const provider = await chat.providers.add({
      name: 'cluster',
      kind: 'openai',
      baseUrl: `${stub.url}/v1/`,
      key: 'sk-vllm',
    });
    expect(provider).toMatchObject({ name: 'cluster', kind: 'openai', baseUrl: stub.url, hasKey: true });
    expect(JSON.stringify(chat.providers.list())).not.toContain('sk-vllm');
    expect(await chat.providers.models(provider.id)).toEqual([
      {
        providerId: provider.id,
        id: 'Qwen/Qwen3-8B',
        name: 'Qwen/Qwen3-8B',
        contextLength: 32768,
        details: 'vllm',
      },
    ]);
    const health = await chat.providers.test(provider.id);
    expect(health).toMatchObject({ ok: true, version: null, error: null });

    const conversation = await conversationOn(provider.id, 'Qwen/Qwen3-8B');
    expect(conversation.providerId).toBe(provider.id);
    const { reply } = await chat.chats.send({
      conversationId: conversation.id,
      content: 'Say hello in French',
      sampling: { temperature: 0.2, topK: 20, seed: 7 },
    });
    const done = await chat.settled(reply.id);
    expect(done).toMatchObject({ status: 'done', content: 'Bonjour !', thought: 'Thinking.' });
    expect(done.stats).toMatchObject({ promptTokens: 9, generatedTokens: 3 });
    const sent = JSON.parse(stub.requests.find((r) => r.path === '/v1/chat/completions')!.body) as Record<
      string,
      unknown
    >;
    expect(sent).toMatchObject({
      model: 'Qwen/Qwen3-8B',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      top_k: 20,
      seed: 7,
      messages: [{ role: 'user', content: 'Say hello in French' }],
    });
    expect(
      chat.deltas
        .filter((d) => d.messageId === reply.id)
        .map((d) => d.text)
        .join(''),
    ).toBe('Thinking.Bonjour !');
  });

  it('llama-server: reads n_ctx_train, and its error bodies (HTTP and mid-stream) reach the chat', async () => {
    let mode: 'ok' | 'http-error' | 'stream-error' = 'ok';
    stub = await startStub((req, res) => {
      if (req.path === '/v1/models') return sendJson(res, 200, llamaServerModels);
      if (mode === 'http-error')
        return sendJson(res, 400, {
          error: {
            code: 400,
            message: 'the request exceeds the available context size, try increasing it',
            type: 'exceed_context_size_error',
            n_prompt_tokens: 5000,
            n_ctx: 4096,
          },
        });
      if (mode === 'stream-error') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write(`data: ${JSON.stringify(chunk({ content: 'Once upon' }))}\n\n`);
        res.end(
          `error: ${JSON.stringify({ code: 500, message: 'slot was cancelled', type: 'server_error' })}\n\n`,
        );
        return;
      }
      sendSse(res, [
        chunk({ content: 'Hi' }),
        chunk({}, 'length'),
        {
          choices: [],
          created: 1,
          id: 'chatcmpl-abc',
          model: 'm',
          object: 'chat.completion.chunk',
          usage: { completion_tokens: 1, prompt_tokens: 4, total_tokens: 5 },
          timings: { prompt_n: 4, predicted_n: 1 },
        },
      ]);
    });
    const provider = await chat.providers.add({ kind: 'openai', baseUrl: stub.url });
    expect(provider.name).toBe(new URL(stub.url).host);
    expect((await chat.providers.models(provider.id))[0]).toMatchObject({
      id: 'qwen3-8b-q4_k_m.gguf',
      contextLength: 40960,
    });
    const conversation = await conversationOn(provider.id, 'qwen3-8b-q4_k_m.gguf');

    const first = await chat.settled(
      (await chat.chats.send({ conversationId: conversation.id, content: 'Hi' })).reply.id,
    );
    expect(first).toMatchObject({ status: 'done', content: 'Hi' });
    expect(first.stats?.notice).toMatch(/length limit/);

    mode = 'http-error';
    const refused = await chat.settled(
      (await chat.chats.send({ conversationId: conversation.id, content: 'Long' })).reply.id,
    );
    expect(refused.status).toBe('error');
    expect(refused.stats?.error).toContain(
      `${new URL(stub.url).host} could not answer: HTTP 400: the request exceeds the available context size`,
    );

    mode = 'stream-error';
    const cut = await chat.settled(
      (await chat.chats.send({ conversationId: conversation.id, content: 'Story' })).reply.id,
    );
    expect(cut).toMatchObject({ status: 'interrupted', content: 'Once upon' });
    expect(cut.stats?.error).toMatch(/stopped answering: it reported an error: slot was cancelled/);
  });

  it('vLLM error body {object: "error"} is shown as the reason', async () => {
    stub = await startStub((req, res) => {
      if (req.path === '/v1/models') return sendJson(res, 200, vllmModels);
      sendJson(res, 400, {
        object: 'error',
        message: "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens.",
        type: 'BadRequestError',
        param: null,
        code: 400,
      });
    });
    const provider = await chat.providers.add({ kind: 'openai', baseUrl: stub.url });
    const conversation = await conversationOn(provider.id, 'Qwen/Qwen3-8B');
    const reply = await chat.settled(
      (await chat.chats.send({ conversationId: conversation.id, content: 'x' })).reply.id,
    );
    expect(reply.status).toBe('error');
    expect(reply.stats?.error).toMatch(/HTTP 400: This model's maximum context length is 32768 tokens/);
  });

  it('Ollama: /api/tags with /api/show for the context, /api/chat NDJSON with thinking and counts', async () => {
    stub = await startStub((req, res) => {
      if (req.path === '/api/version') return sendJson(res, 200, { version: '0.9.0' });
      if (req.path === '/api/tags')
        return sendJson(res, 200, {
          models: [
            {
              name: 'qwen3:0.6b',
              model: 'qwen3:0.6b',
              modified_at: '2025-05-01T10:00:00.000000+02:00',
              size: 522653767,
              digest: '7df6b6e09427a769808717c0a93cadc4ae99ed4eb8bf5ca557c90846becea435',
              details: {
                parent_model: '',
                format: 'gguf',
                family: 'qwen3',
                families: ['qwen3'],
                parameter_size: '751.63M',
                quantization_level: 'Q4_K_M',
              },
            },
            { name: 'broken:latest', model: 'broken:latest', details: null },
          ],
        });
      if (req.path === '/api/show') {
        const { model } = JSON.parse(req.body) as { model: string };
        if (model !== 'qwen3:0.6b') return sendJson(res, 404, { error: `model '${model}' not found` });
        return sendJson(res, 200, {
          modelfile: '# Modelfile',
          parameters: 'temperature 0.6',
          template: '{{ .Prompt }}',
          details: { format: 'gguf', family: 'qwen3' },
          model_info: {
            'general.architecture': 'qwen3',
            'general.parameter_count': 751632384,
            'qwen3.context_length': 40960,
          },
          capabilities: ['completion', 'thinking'],
        });
      }
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      const line = (o: object) =>
        res.write(`${JSON.stringify({ model: 'qwen3:0.6b', created_at: '2025-06-01T10:00:00Z', ...o })}\n`);
      line({ message: { role: 'assistant', content: '', thinking: 'Short answer.' }, done: false });
      line({ message: { role: 'assistant', content: 'Hallo' }, done: false });
      line({
        message: { role: 'assistant', content: '' },
        done_reason: 'stop',
        done: true,
        total_duration: 1,
        prompt_eval_count: 11,
        eval_count: 2,
        eval_duration: 1,
      });
      res.end();
    });
    expect(await detectKind({ baseUrl: stub.url })).toBe('ollama');
    const provider = await chat.providers.add({
      name: 'ollama box',
      kind: 'ollama',
      baseUrl: `${stub.url}/api`,
    });
    expect(await chat.providers.test(provider.id)).toMatchObject({ ok: true, version: 'Ollama 0.9.0' });
    expect(await chat.providers.models(provider.id)).toEqual([
      {
        providerId: provider.id,
        id: 'qwen3:0.6b',
        name: 'qwen3:0.6b',
        contextLength: 40960,
        details: 'qwen3 · 751.63M · Q4_K_M',
      },
      {
        providerId: provider.id,
        id: 'broken:latest',
        name: 'broken:latest',
        contextLength: null,
        details: null,
      },
    ]);
    const conversation = await conversationOn(provider.id, 'qwen3:0.6b');
    const reply = await chat.settled(
      (
        await chat.chats.send({
          conversationId: conversation.id,
          content: 'Hallo?',
          sampling: { maxTokens: 64, topP: 0.9 },
        })
      ).reply.id,
    );
    expect(reply).toMatchObject({ status: 'done', content: 'Hallo', thought: 'Short answer.' });
    expect(reply.stats).toMatchObject({ promptTokens: 11, generatedTokens: 2 });
    const sent = JSON.parse(stub.requests.find((r) => r.path === '/api/chat')!.body) as Record<
      string,
      unknown
    >;
    expect(sent).toMatchObject({
      model: 'qwen3:0.6b',
      stream: true,
      options: { num_predict: 64, top_p: 0.9 },
    });
  });
});
