import { join } from 'node:path';
import Ajv from 'ajv';
import { Ollama } from 'ollama';
import OpenAI, { BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

/**
 * A schema with the parts replies most often get wrong (bounded strings, enums, arrays, a
 * nullable field, a nested object, a $defs reference), all bounded so random weights finish.
 */
const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 8 },
    mood: { $ref: '#/$defs/mood' },
    ok: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string', maxLength: 5 }, minItems: 1, maxItems: 3 },
    note: { anyOf: [{ type: 'string', maxLength: 6 }, { type: 'null' }] },
    where: {
      type: 'object',
      properties: { city: { enum: ['Paris', 'Lima'] }, indoor: { type: ['boolean', 'null'] } },
      required: ['city'],
      additionalProperties: false,
    },
  },
  required: ['name', 'mood', 'ok', 'tags', 'note', 'where'],
  additionalProperties: false,
  $defs: { mood: { enum: ['calm', 'busy', 'sleepy'] } },
};

const seeds = Array.from({ length: 20 }, (_, i) => i + 1);

/**
 * Structured output through the official openai and ollama clients: every reply parses and
 * validates against the schema (checked by ajv, not by Hearth's own code) over 20 seeds at a
 * sampling temperature, on chat and raw completions alike; a keyword the grammar cannot enforce
 * is a 400 naming it, in each dialect's error shape.
 */
describe('structured output through the openai and ollama clients', () => {
  const dir = makeTempDir();
  const validate = new Ajv({ strict: false }).compile(schema);
  let serve: ServeProcess;
  let openai: OpenAI;
  let ollama: Ollama;

  beforeAll(async () => {
    // The endless model never writes byte tokens: llama.cpp's grammar counts a broken UTF-8
    // sequence (which random weights write and real models do not) as one character, so a
    // maxLength could be exceeded once the bytes are decoded. Its replies end where the grammar does.
    writeTinyModel(join(dir.path, 'data', 'models'), { endless: true, name: 'Tiny' });
    serve = await startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } });
    openai = new OpenAI({ baseURL: new URL('/v1', serve.url).href, apiKey: 'unused', maxRetries: 0 });
    ollama = new Ollama({ host: new URL(serve.url).origin });
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  /** Replies seen per test: the seeds must make different ones, or the 20 runs test one reply. */
  let seen = new Set<string>();
  const expectValid = (text: string): void => {
    const value: unknown = JSON.parse(text);
    if (!validate(value)) throw new Error(`${text}: ${JSON.stringify(validate.errors)}`);
    seen.add(text);
  };
  const expectVariety = (): void => {
    expect(seen.size).toBeGreaterThan(seeds.length / 2);
    seen = new Set();
  };
  const responseFormat = {
    type: 'json_schema' as const,
    json_schema: { name: 'reply', strict: true, schema },
  };

  it('holds /v1/chat/completions json_schema replies to the schema over 20 seeds', async () => {
    for (const seed of seeds) {
      const reply = await openai.chat.completions.create({
        model: 'tiny',
        messages: [{ role: 'user', content: 'Describe a cat as JSON.' }],
        response_format: responseFormat,
        temperature: 1,
        seed,
        max_tokens: 300,
      });
      expect(reply.choices[0]!.finish_reason).toBe('stop');
      expectValid(reply.choices[0]!.message.content!);
    }
    expectVariety();
    // json_object: any JSON object.
    const loose = await openai.chat.completions.create({
      model: 'tiny',
      messages: [{ role: 'user', content: 'JSON please.' }],
      response_format: { type: 'json_object' },
      temperature: 0,
      max_tokens: 300,
    });
    // Any object may run past max_tokens (nothing bounds it); it is always an object from its start.
    const text = loose.choices[0]!.message.content!;
    expect(text.trimStart().startsWith('{')).toBe(true);
    if (loose.choices[0]!.finish_reason === 'stop') expect(typeof JSON.parse(text)).toBe('object');
  });

  it('holds /v1/completions json_schema replies to the schema over 20 seeds', async () => {
    for (const seed of seeds) {
      const reply = await openai.completions.create({
        model: 'tiny',
        prompt: 'A cat, as JSON:',
        // Hearth's extension: the openai client passes it through as it is.
        ...({ response_format: responseFormat } as object),
        temperature: 1,
        seed,
        max_tokens: 300,
      });
      expect(reply.choices[0]!.finish_reason).toBe('stop');
      expectValid(reply.choices[0]!.text);
    }
    expectVariety();
  });

  it('holds Ollama format replies to the schema over 20 seeds (/api/chat), and /api/generate', async () => {
    for (const seed of seeds) {
      const reply = await ollama.chat({
        model: 'tiny',
        messages: [{ role: 'user', content: 'Describe a cat.' }],
        format: schema,
        options: { temperature: 1, seed, num_predict: 300 },
      });
      expect(reply.done_reason).toBe('stop');
      expectValid(reply.message.content);
    }
    expectVariety();
    for (const seed of seeds.slice(0, 5)) {
      let text = '';
      for await (const part of await ollama.generate({
        model: 'tiny',
        prompt: 'Describe a cat.',
        format: schema,
        stream: true,
        options: { temperature: 1, seed, num_predict: 300 },
      }))
        text += part.response;
      expectValid(text);
    }
  });

  it('refuses a keyword the grammar cannot enforce with a 400 naming it, in each dialect', async () => {
    const patterned = {
      type: 'object',
      properties: { name: { type: 'string', pattern: '^[A-Z]' } },
      required: ['name'],
    };
    const format = { type: 'json_schema' as const, json_schema: { name: 'reply', schema: patterned } };
    const named = 'response_format.json_schema.schema.properties.name.pattern: "pattern" cannot be enforced';
    const chat = await openai.chat.completions
      .create({ model: 'tiny', messages: [{ role: 'user', content: 'hi' }], response_format: format })
      .catch((e: unknown) => e);
    expect(chat).toBeInstanceOf(BadRequestError);
    expect((chat as BadRequestError).message).toContain(named);
    expect((chat as BadRequestError).param).toBe('response_format.json_schema.schema');
    const completion = await openai.completions
      .create({ model: 'tiny', prompt: 'hi', ...({ response_format: format } as object) })
      .catch((e: unknown) => e);
    expect(completion).toBeInstanceOf(BadRequestError);
    expect((completion as BadRequestError).message).toContain(named);
    for (const call of [
      () => ollama.chat({ model: 'tiny', messages: [{ role: 'user', content: 'hi' }], format: patterned }),
      () => ollama.generate({ model: 'tiny', prompt: 'hi', format: patterned, stream: true }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ResponseError', status_code: 400 });
      expect((error as Error).message).toContain(
        'format.properties.name.pattern: "pattern" cannot be enforced',
      );
    }
  });
});
