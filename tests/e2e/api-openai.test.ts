import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

/**
 * The official `openai` npm client, unchanged but for its base URL, against `hearth serve` on
 * generated models: what Continue, Zed, Open WebUI and scripts do.
 */
describe('OpenAI-compatible API through the official openai client', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let client: OpenAI;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(models);
    writeTinyModel(models, { endless: true, name: 'Endless' }, 'endless.gguf');
    serve = await startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } });
    // No key on loopback: any apiKey will do, as with a local server.
    client = new OpenAI({ baseURL: new URL('/v1', serve.url).href, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  const ask = { role: 'user' as const, content: 'Write a short story about a cat.' };

  it('lists the library with each model context length and capabilities', async () => {
    const page = await client.models.list();
    const ids = page.data.map((m) => m.id).sort();
    expect(ids).toEqual(['hearth:endless.gguf', 'hearth:tiny.gguf']);
    const tiny = page.data.find((m) => m.id === 'hearth:tiny.gguf') as unknown as Record<string, unknown>;
    expect(tiny).toMatchObject({
      object: 'model',
      context_length: 4096,
      capabilities: ['completion', 'chat'],
    });
  });

  it('chats without streaming, with usage, and the same seed gives the same reply by any of its names', async () => {
    const request = { messages: [ask], max_tokens: 12, temperature: 0.8, seed: 7 };
    const first = await client.chat.completions.create({ model: 'hearth:tiny.gguf', ...request });
    expect(first.object).toBe('chat.completion');
    expect(first.choices).toHaveLength(1);
    const reply = first.choices[0]!.message.content ?? '';
    expect(reply.length).toBeGreaterThan(0);
    expect(first.usage!.prompt_tokens).toBeGreaterThan(5);
    expect(first.usage!.completion_tokens).toBeGreaterThan(0);
    expect(first.usage!.completion_tokens).toBeLessThanOrEqual(12);
    expect(first.usage!.total_tokens).toBe(first.usage!.prompt_tokens + first.usage!.completion_tokens);
    // The file name, the alias and the library id name the same model.
    for (const model of ['tiny.gguf', 'tiny', 'tiny:q8_0']) {
      const again = await client.chat.completions.create({ model, ...request });
      expect(again.choices[0]!.message.content).toBe(reply);
    }
  });

  it('streams the same reply as SSE chunks, and the usage chunk before [DONE] when asked', async () => {
    const request = { model: 'tiny', messages: [ask], max_tokens: 12, temperature: 0.8, seed: 11 };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: string[] = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
      // The usage chunk comes last and alone.
      if (chunk.usage) expect(chunk.choices).toEqual([]);
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(finishes).toEqual([whole.choices[0]!.finish_reason]);
    expect(usage).toEqual(whole.usage);
  });

  it('stops at max_tokens with finish_reason "length", and at a stop string (an empty one is ignored)', async () => {
    const long = await client.chat.completions.create({
      model: 'endless',
      messages: [ask],
      max_completion_tokens: 5,
      seed: 1,
    });
    expect(long.choices[0]!.finish_reason).toBe('length');
    expect(long.usage!.completion_tokens).toBe(5);
    const text = long.choices[0]!.message.content ?? '';
    // A stop string taken from the reply cuts it there; an empty one changes nothing.
    const stopAt = text.trim().slice(-2);
    const stopped = await client.chat.completions.create({
      model: 'endless',
      messages: [ask],
      max_completion_tokens: 5,
      seed: 1,
      stop: ['', stopAt],
    });
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
    expect(text.startsWith(stopped.choices[0]!.message.content ?? '')).toBe(true);
    expect((stopped.choices[0]!.message.content ?? '').length).toBeLessThan(text.length);
    const emptyStop = await client.chat.completions.create({
      model: 'endless',
      messages: [ask],
      max_completion_tokens: 5,
      seed: 1,
      stop: '',
    });
    expect(emptyStop.choices[0]!.message.content).toBe(text);
  });

  it('lets the client stop a stream that would never end, and answers the next request', async () => {
    const stream = await client.chat.completions.create({
      model: 'endless',
      messages: [ask],
      stream: true,
    });
    let chunks = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) chunks++;
      if (chunks === 3) stream.controller.abort();
    }
    expect(chunks).toBe(3);
    const next = await client.chat.completions.create({ model: 'tiny', messages: [ask], max_tokens: 4 });
    expect(next.choices[0]!.message.content?.length).toBeGreaterThan(0);
  });

  it('completes raw text on /v1/completions, streaming or not', async () => {
    const request = { model: 'tiny', prompt: 'Once upon a time', max_tokens: 8, seed: 3, temperature: 0.9 };
    const whole = await client.completions.create(request);
    expect(whole.object).toBe('text_completion');
    expect(whole.choices[0]!.text.length).toBeGreaterThan(0);
    expect(whole.usage!.prompt_tokens).toBeGreaterThan(1);
    let streamed = '';
    for await (const chunk of await client.completions.create({ ...request, stream: true }))
      streamed += chunk.choices[0]?.text ?? '';
    expect(streamed).toBe(whole.choices[0]!.text);
  });

  it("answers errors in OpenAI's shape with the right status", async () => {
    const missing = await client.chat.completions
      .create({ model: 'no-such-model', messages: [ask] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    expect((missing as Error).message).toContain('no-such-model');

    const many = await client.chat.completions
      .create({ model: 'tiny', messages: [ask], n: 2 })
      .catch((e: unknown) => e);
    expect(many).toBeInstanceOf(OpenAI.BadRequestError);
    expect(many).toMatchObject({ status: 400, param: 'n', type: 'invalid_request_error' });

    const wrongType = await client.chat.completions
      .create({ model: 'tiny', messages: [{ role: 'user', content: 42 as unknown as string }] })
      .catch((e: unknown) => e);
    expect(wrongType).toBeInstanceOf(OpenAI.BadRequestError);
    expect((wrongType as Error).message).toContain('messages.0.content');
  });
});
