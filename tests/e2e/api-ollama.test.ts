import { join } from 'node:path';
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

/**
 * The official `ollama` npm client, unchanged but for its host, against `hearth serve`: what VS
 * Code Copilot, Open WebUI and ollama-style tools do.
 */
describe('Ollama-compatible API through the official ollama client', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let ollama: Ollama;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(models);
    writeTinyModel(models, { endless: true, name: 'Endless' }, 'endless.gguf');
    serve = await startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } });
    ollama = new Ollama({ host: new URL(serve.url).origin });
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  const ask = { role: 'user', content: 'Write a short story about a cat.' };

  it('answers what VS Code Copilot asks first: version, tags, show', async () => {
    const { version } = await ollama.version();
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const { models } = await ollama.list();
    expect(models.map((m) => m.name).sort()).toEqual(['endless:q8_0', 'tiny:q8_0']);
    const tiny = models.find((m) => m.name === 'tiny:q8_0')!;
    expect(tiny.size).toBeGreaterThan(0);
    expect(tiny.details).toMatchObject({ format: 'gguf', family: 'llama', quantization_level: 'Q8_0' });
    const shown = await ollama.show({ model: 'tiny:q8_0' });
    expect(shown.capabilities).toContain('completion');
    expect((shown.model_info as unknown as Record<string, unknown>)['llama.context_length']).toBe(4096);
  });

  it('chats without streaming and streaming: the same reply for the same seed, with counts', async () => {
    const request = {
      model: 'tiny',
      messages: [ask],
      options: { seed: 5, temperature: 0.8, num_predict: 10 },
    };
    const whole = await ollama.chat({ ...request, stream: false });
    expect(whole.done).toBe(true);
    expect(whole.message.role).toBe('assistant');
    expect(whole.message.content.length).toBeGreaterThan(0);
    expect(whole.eval_count).toBeGreaterThan(0);
    expect(whole.eval_count).toBeLessThanOrEqual(10);
    expect(whole.prompt_eval_count).toBeGreaterThan(5);
    let text = '';
    let last: { done: boolean; done_reason: string; eval_count: number } | undefined;
    for await (const part of await ollama.chat({ ...request, stream: true })) {
      text += part.message.content;
      last = part;
    }
    expect(text).toBe(whole.message.content);
    expect(last).toMatchObject({ done: true, done_reason: whole.done_reason, eval_count: whole.eval_count });
  });

  it('maps options: num_predict ends the reply with done_reason "length"; another seed, another reply', async () => {
    const run = (seed: number) =>
      ollama.chat({ model: 'endless', messages: [ask], options: { seed, temperature: 1, num_predict: 6 } });
    const a = await run(1);
    expect(a).toMatchObject({ done_reason: 'length', eval_count: 6 });
    expect((await run(1)).message.content).toBe(a.message.content);
    expect((await run(2)).message.content).not.toBe(a.message.content);
  });

  it('generates from a prompt, templated or raw, streaming or not', async () => {
    const request = { model: 'tiny', prompt: 'Once upon a time', options: { seed: 3, num_predict: 8 } };
    const whole = await ollama.generate({ ...request, stream: false });
    expect(whole.done).toBe(true);
    expect(whole.response?.length).toBeGreaterThan(0);
    let streamed = '';
    for await (const part of await ollama.generate({ ...request, stream: true })) streamed += part.response;
    expect(streamed).toBe(whole.response);
    const raw = await ollama.generate({ ...request, raw: true, stream: false });
    expect(raw.response?.length).toBeGreaterThan(0);
    // Without the chat template the model sees other tokens: fewer of them, here.
    expect(raw.prompt_eval_count).toBeLessThan(whole.prompt_eval_count);
  });

  it('lists the loaded model in ps, and keep_alive 0 unloads it', async () => {
    await ollama.generate({ model: 'tiny', prompt: 'Hi', options: { num_predict: 2 } });
    const before = await ollama.ps();
    expect(before.models.map((m) => m.name)).toContain('tiny:q8_0');
    const loaded = before.models.find((m) => m.name === 'tiny:q8_0')!;
    expect(new Date(loaded.expires_at).getTime()).toBeGreaterThan(Date.now());
    // Ollama's own idiom for "unload now": a request with no prompt and keep_alive 0.
    const unloaded = await ollama.generate({ model: 'tiny', prompt: '', keep_alive: 0 });
    expect(unloaded).toMatchObject({ done: true, done_reason: 'unload' });
    await expect.poll(async () => (await ollama.ps()).models.map((m) => m.name)).not.toContain('tiny:q8_0');
    // And a request with no prompt loads it again.
    const preload = await ollama.generate({ model: 'tiny', prompt: '' });
    expect(preload).toMatchObject({ done: true, done_reason: 'load' });
    expect((await ollama.ps()).models.map((m) => m.name)).toContain('tiny:q8_0');
  });

  it('constrains the reply with format: a JSON schema, or "json"', async () => {
    const schema = {
      type: 'object',
      properties: { answer: { type: 'string', enum: ['yes', 'no'] } },
      required: ['answer'],
    };
    const reply = await ollama.chat({
      model: 'tiny',
      messages: [{ role: 'user', content: 'Is water wet? Answer in JSON.' }],
      format: schema,
      options: { seed: 1, num_predict: 100 },
    });
    expect(reply.done_reason).toBe('stop');
    expect(['yes', 'no']).toContain((JSON.parse(reply.message.content) as { answer: string }).answer);
    // "json" allows any object: a random model may not close it, but it opens one.
    const json = await ollama.generate({
      model: 'tiny',
      prompt: 'Give me a JSON object.',
      format: 'json',
      options: { seed: 1, num_predict: 20 },
    });
    expect((json.response ?? '').trimStart().startsWith('{')).toBe(true);
  });

  it('stops a stream the client aborts, and answers the next request', async () => {
    const stream = await ollama.chat({ model: 'endless', messages: [ask], stream: true });
    let parts = 0;
    const read = (async () => {
      for await (const part of stream) {
        if (part.message.content) parts++;
        if (parts === 3) stream.abort();
      }
    })();
    await expect(read).rejects.toThrow(/abort/i);
    expect(parts).toBe(3);
    const next = await ollama.chat({ model: 'tiny', messages: [ask], options: { num_predict: 3 } });
    expect(next.done).toBe(true);
  });

  it('answers errors as {"error": message} with the right status', async () => {
    const missing = await ollama.chat({ model: 'nope:latest', messages: [ask] }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'ResponseError', status_code: 404 });
    expect((missing as Error).message).toContain('nope:latest');
    const bad = await ollama
      .chat({ model: 'tiny', messages: [ask], keep_alive: 'soon' })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ status_code: 400 });
    expect((bad as Error).message).toContain('keep_alive');
  });
});
