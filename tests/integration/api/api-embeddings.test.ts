import { request } from 'node:http';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EnginePool } from '../../../src/main/services/engine/engine-pool';
import { bertTiny, writeEmbeddingModel } from '../../fixtures/gguf/embedding-model';
import { rawRequest, startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

type Vector = ArrayLike<number>;
const length = (v: Vector): number => Math.hypot(...Array.from(v));
const cosine = (a: Vector, b: Vector): number =>
  Array.from(a).reduce((s, x, i) => s + x * (b[i] ?? 0), 0) / (length(a) * length(b));
/** Equal up to float32 rounding (the base64 form is float32; JSON carries doubles). */
const expectSame = (a: Vector, b: Vector): void => {
  expect(a.length).toBe(b.length);
  Array.from(a).forEach((x, i) => expect(x).toBeCloseTo(b[i]!, 5));
};

async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { status?: number; status_code?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { status?: number; status_code?: number };
  }
  throw new Error('expected the request to fail');
}

describe('embeddings through the API (official openai and ollama clients)', () => {
  const dir = makeTempDir();
  let api: ApiHarness;
  let openai: OpenAI;
  let ollama: Ollama;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(models);
    writeEmbeddingModel(join(models, 'embed.gguf'));
    api = await startApiHarness({ dir: dir.path });
    openai = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: 'unused', maxRetries: 0 });
    ollama = new Ollama({ host: api.origin });
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  const post = (path: string, body: unknown) =>
    rawRequest(api.origin, { method: 'POST', path, body: JSON.stringify(body) });

  it('lists the embedding model with the embedding capability in both dialects', async () => {
    const list = await openai.models.list();
    const caps = Object.fromEntries(
      list.data.map((m) => [m.id, (m as unknown as { capabilities: string[] }).capabilities]),
    );
    expect(caps['hearth:embed.gguf']).toEqual(['embedding']);
    expect(caps['hearth:tiny.gguf']).not.toContain('embedding');
    expect((await ollama.show({ model: 'embed' })).capabilities).toEqual(['embedding']);
  });

  it('ollama.embed: unit vectors of the model size; a batch equals its inputs one by one', async () => {
    const texts = ['hello world', 'the cat sat on the mat', 'hello world'];
    const batch = await ollama.embed({ model: 'embed', input: texts });
    expect(batch.model).toBe('embed');
    expect(batch.embeddings).toHaveLength(3);
    expect(batch.prompt_eval_count).toBeGreaterThanOrEqual(3 * 3);
    expect(batch.total_duration).toBeGreaterThan(0);
    for (const v of batch.embeddings) {
      expect(v).toHaveLength(bertTiny.embedding);
      expect(length(v)).toBeCloseTo(1, 5);
    }
    for (const [i, text] of texts.entries()) {
      const single = await ollama.embed({ model: 'embed', input: text });
      expectSame(single.embeddings[0]!, batch.embeddings[i]!);
    }
    expect(batch.embeddings[0]).toEqual(batch.embeddings[2]);
    expect(cosine(batch.embeddings[0]!, batch.embeddings[1]!)).toBeLessThan(0.999);
    // The older endpoint: the same direction, at the length the model gives it (as Ollama does).
    const legacy = await ollama.embeddings({ model: 'embed', prompt: 'hello world' });
    expect(cosine(legacy.embedding, batch.embeddings[0]!)).toBeCloseTo(1, 5);
    expect(length(legacy.embedding)).not.toBeCloseTo(1, 2);
  });

  it('openai embeddings.create: base64 by default (decoded by the client) equals float', async () => {
    const input = ['green apple bread', 'river stone tree'];
    const decoded = await openai.embeddings.create({ model: 'embed', input });
    const floats = await openai.embeddings.create({ model: 'embed', input, encoding_format: 'float' });
    expect(decoded.object).toBe('list');
    expect(decoded.data.map((d) => d.index)).toEqual([0, 1]);
    expect(decoded.usage.prompt_tokens).toBeGreaterThanOrEqual(2 * 3);
    expect(decoded.usage.total_tokens).toBe(decoded.usage.prompt_tokens);
    for (const [i, item] of floats.data.entries()) {
      expect(Array.isArray(item.embedding)).toBe(true);
      expect(item.embedding).toHaveLength(bertTiny.embedding);
      expect(length(item.embedding)).toBeCloseTo(1, 5);
      expectSame(decoded.data[i]!.embedding, item.embedding);
    }
    const single = await openai.embeddings.create({
      model: 'embed',
      input: input[1]!,
      encoding_format: 'float',
    });
    expectSame(single.data[0]!.embedding, floats.data[1]!.embedding);
    expect(cosine(floats.data[0]!.embedding, floats.data[1]!.embedding)).toBeLessThan(0.999);
    // Token ids are an input too.
    const ids = await openai.embeddings.create({
      model: 'embed',
      input: [[200, 201]],
      encoding_format: 'float',
    });
    expect(ids.data[0]!.embedding).toHaveLength(bertTiny.embedding);
  });

  it('dimensions: its own size is fine, another is a 400 saying the size', async () => {
    const same = await openai.embeddings.create({
      model: 'embed',
      input: 'hi',
      dimensions: bertTiny.embedding,
    });
    expect(same.data).toHaveLength(1);
    const wrong = await rejection(openai.embeddings.create({ model: 'embed', input: 'hi', dimensions: 32 }));
    expect(wrong.status).toBe(400);
    expect(wrong.message).toMatch(new RegExp(`dimensions: .*${bertTiny.embedding}-dimensional`));
    const viaOllama = await rejection(ollama.embed({ model: 'embed', input: 'hi', dimensions: 32 }));
    expect(viaOllama.status_code).toBe(400);
  });

  it('a chat model is refused with a 400 that says so', async () => {
    const viaOpenAi = await rejection(openai.embeddings.create({ model: 'tiny', input: 'hi' }));
    expect(viaOpenAi.status).toBe(400);
    expect(viaOpenAi.message).toContain('tiny is a chat model, not an embedding model');
    const viaOllama = await rejection(ollama.embed({ model: 'tiny:q8_0', input: 'hi' }));
    expect(viaOllama.status_code).toBe(400);
    expect(viaOllama.message).toContain('tiny:q8_0 is a chat model, not an embedding model');
    // Refused before anything was loaded for it.
    expect((api.app.engine.status().loaded ?? []).some((l) => l.modelPath.endsWith('tiny.gguf'))).toBe(false);
  });

  it('an embedding model asked to chat is a 400 that says so, in both dialects', async () => {
    const viaOpenAi = await rejection(
      openai.chat.completions.create({ model: 'embed', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(viaOpenAi.status).toBe(400);
    expect(viaOpenAi.message).toContain('is an embedding model');
    const viaOllama = await rejection(ollama.generate({ model: 'embed', prompt: 'hi', stream: false }));
    expect(viaOllama.status_code).toBe(400);
  });

  it('malformed inputs are 400s naming the field', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['/v1/embeddings', { model: 'embed' }, 'input'],
      ['/v1/embeddings', { model: 'embed', input: '' }, 'input'],
      ['/v1/embeddings', { model: 'embed', input: [] }, 'input'],
      ['/v1/embeddings', { model: 'embed', input: 42 }, 'input'],
      ['/v1/embeddings', { model: 'embed', input: ['fine', ''] }, 'input.1'],
      ['/v1/embeddings', { model: 'embed', input: ['fine', { text: 'x' }] }, 'input.1'],
      ['/v1/embeddings', { model: 'embed', input: [[1, 2], [-1]] }, 'input.1'],
      ['/v1/embeddings', { model: 'embed', input: [[5, 9_999_999]] }, 'input'],
      ['/v1/embeddings', { model: 'embed', input: Array.from({ length: 2049 }, () => 'x') }, 'input'],
      ['/v1/embeddings', { model: 'embed', input: 'hi', encoding_format: 'int8' }, 'encoding_format'],
      ['/api/embed', { model: 'embed', input: [1, 2] }, 'input.0'],
      ['/api/embed', { model: 'embed', input: ['fine', 7] }, 'input.1'],
      ['/api/embed', { model: 'embed', input: 'hi', truncate: 'yes' }, 'truncate'],
    ];
    for (const [path, body, field] of cases) {
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
      const error = (JSON.parse(res.body) as { error: string | { message: string; param: string } }).error;
      const message = typeof error === 'string' ? error : error.message;
      expect(message.startsWith(`${field}:`), message).toBe(true);
      expect(message).not.toMatch(/nonoptional/);
      if (typeof error !== 'string') expect(error.param).toBe(field);
    }
  });

  it("an input over the model's context: Ollama cuts it by default, refuses it with truncate: false", async () => {
    const long = 'word '.repeat(bertTiny.contextLength + 40);
    const cut = await ollama.embed({ model: 'embed', input: long });
    expect(cut.prompt_eval_count).toBe(bertTiny.contextLength - 1);
    expect(length(cut.embeddings[0]!)).toBeCloseTo(1, 5);
    const refused = await rejection(ollama.embed({ model: 'embed', input: ['ok', long], truncate: false }));
    expect(refused.status_code).toBe(400);
    expect(refused.message).toMatch(/^input\.1: takes \d+ tokens/);
    const viaOpenAi = await rejection(openai.embeddings.create({ model: 'embed', input: long }));
    expect(viaOpenAi.status).toBe(400);
  });

  it('no input only loads the model, as Ollama does', async () => {
    const res = await post('/api/embed', { model: 'embed' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ model: 'embed', embeddings: [] });
  });

  it('a client that leaves mid-batch cancels it and frees the slot', async () => {
    const input = Array.from({ length: 2000 }, (_, i) => `${'model local home '.repeat(140)} ${i}`);
    const body = JSON.stringify({ model: 'embed', input });
    const target = new URL(api.origin);
    const req = request({
      host: target.hostname,
      port: target.port,
      method: 'POST',
      path: '/api/embed',
      headers: { 'Content-Length': String(Buffer.byteLength(body)) },
    });
    req.on('error', () => {});
    req.end(body);
    await vi.waitFor(() => expect(api.app.api.scheduler.stats().active).toBe(1), { timeout: 10_000 });
    const host = (api.app.engine as EnginePool)
      .hosts()
      .find((h) => h.status().modelPath?.endsWith('embed.gguf'))!;
    expect(host.idleSince()).toBeNull();
    req.destroy();
    await vi.waitFor(() => expect(api.app.api.log.list().at(-1)?.status).toBe('cancelled'));
    // The engine stopped too: the model is idle again long before 2000 inputs could be done.
    await vi.waitFor(() => expect(host.idleSince()).not.toBeNull(), { timeout: 5000 });
    expect(api.app.api.scheduler.stats()).toMatchObject({ active: 0, queued: 0 });
    const after = await ollama.embed({ model: 'embed', input: 'still here' });
    expect(after.embeddings).toHaveLength(1);
  });
});

describe('embeddings from chat models, when the user opts in', () => {
  const dir = makeTempDir();
  let api: ApiHarness;

  beforeAll(async () => {
    writeTinyModel(join(dir.path, 'data', 'models'));
    api = await startApiHarness({ dir: dir.path, api: { embeddingsFromChatModels: true } });
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  it('gives a chat model unit vectors instead of a 400', async () => {
    const openai = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: 'unused', maxRetries: 0 });
    const result = await openai.embeddings.create({ model: 'tiny', input: ['hello world', 'the cat'] });
    expect(result.data).toHaveLength(2);
    for (const item of result.data) expect(length(item.embedding)).toBeCloseTo(1, 5);
    expect(cosine(result.data[0]!.embedding, result.data[1]!.embedding)).toBeLessThan(0.999);
    const ollama = new Ollama({ host: api.origin });
    expect((await ollama.embed({ model: 'tiny', input: 'hello world' })).embeddings[0]).toHaveLength(64);
  });
});
