import { join } from 'node:path';
import OpenAI, { BadRequestError, type APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qwenToolsTemplate } from '../../fixtures/gguf';
import { startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

type Event = OpenAI.Responses.ResponseStreamEvent;

const weather: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'The weather in a city',
  strict: true,
  // Bounded, so random weights finish the call within max_output_tokens.
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', maxLength: 12 }, days: { enum: [1, 2, 3, 4, 5, 6, 7] } },
    required: ['city', 'days'],
    additionalProperties: false,
  },
};

const person = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 16 },
    age: { enum: [18, 30, 65] },
    pet: { enum: ['cat', 'dog', 'none'] },
  },
  required: ['name', 'age', 'pet'],
  additionalProperties: false,
};

/** The person schema, checked by hand: every rule it states. */
function checkPerson(value: unknown): void {
  expect(value).toBeTypeOf('object');
  const p = value as Record<string, unknown>;
  expect(Object.keys(p).sort()).toEqual(['age', 'name', 'pet']);
  expect(typeof p.name).toBe('string');
  // Its maxLength only bounds the reply here: random weights write bytes that are not UTF-8, each
  // read back as U+FFFD, so the decoded length is not the grammar's count.
  expect([18, 30, 65]).toContain(p.age);
  expect(['cat', 'dog', 'none']).toContain(p.pet);
}

/**
 * Tool calls and JSON replies through POST /v1/responses with the official openai client. A
 * generated model has random weights and never chooses a tool by itself, so each call is forced by
 * a named tool_choice (the grammar then allows nothing but that call): what is tested is the wire.
 */
describe('OpenAI Responses API: tools, JSON schemas and refusals', () => {
  const dir = makeTempDir();
  let api: ApiHarness;
  let client: OpenAI;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(models);
    // A template with a tool-call format (Qwen 2.5's): the plain ChatML one has none.
    writeTinyModel(models, { chatTemplate: qwenToolsTemplate, name: 'Tools' }, 'tools.gguf');
    api = await startApiHarness({ dir: dir.path });
    client = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  const forced = {
    model: 'tools.gguf',
    input: 'What is the weather in Paris?',
    tools: [weather],
    tool_choice: { type: 'function' as const, name: 'get_weather' },
    max_output_tokens: 120,
    temperature: 0,
  };

  const checkArguments = (text: string): void => {
    const args = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(args).sort()).toEqual(['city', 'days']);
    expect(typeof args.city).toBe('string');
    expect([1, 2, 3, 4, 5, 6, 7]).toContain(args.days);
  };

  it('returns a forced call as a function_call item, streamed as argument deltas, and answers its output', async () => {
    const first = await client.responses.create(forced);
    expect(first.status).toBe('completed');
    expect(first.output.map((o) => o.type)).toEqual(['function_call']);
    const call = first.output[0]!;
    if (call.type !== 'function_call') throw new Error(call.type);
    expect(call).toMatchObject({ name: 'get_weather', status: 'completed' });
    expect(call.id).toMatch(/^fc_/);
    expect(call.call_id).toMatch(/^call_/);
    checkArguments(call.arguments);
    expect(first.output_text).toBe('');
    expect(first.tools).toEqual([{ ...weather, description: 'The weather in a city' }]);

    // Streamed as written, never buffered: several argument deltas that add up to the same call.
    const events: Event[] = [];
    for await (const event of await client.responses.create({ ...forced, stream: true })) events.push(event);
    const pieces = events.filter((e) => e.type === 'response.function_call_arguments.delta');
    expect(pieces.length).toBeGreaterThan(1);
    const done = events.find((e) => e.type === 'response.function_call_arguments.done');
    if (done?.type !== 'response.function_call_arguments.done') throw new Error('no arguments.done');
    expect(done.arguments).toBe(pieces.map((p) => p.delta).join(''));
    expect(done.arguments).toBe(call.arguments);
    const final = await client.responses.stream(forced).finalResponse();
    expect(final.output[0]).toMatchObject({
      type: 'function_call',
      name: 'get_weather',
      arguments: call.arguments,
    });

    // Round two: the call and its output in input, and the model answers in a message.
    const second = await client.responses.create({
      model: 'tools.gguf',
      tools: [weather],
      tool_choice: 'none',
      max_output_tokens: 8,
      temperature: 0,
      input: [
        { role: 'user', content: 'What is the weather in Paris?' },
        call,
        { type: 'function_call_output', call_id: call.call_id, output: '{"sky":"clear","high_c":21}' },
      ],
    });
    expect(second.output.map((o) => o.type)).toEqual(['message']);
    expect(second.usage!.input_tokens).toBeGreaterThan(first.usage!.input_tokens);
  });

  it('keeps every json_schema reply valid JSON for the schema, over 20 seeds', async () => {
    const replies = new Set<string>();
    for (let seed = 1; seed <= 20; seed++) {
      const reply = await client.responses.create({
        model: 'tiny',
        input: 'Describe a person.',
        text: { format: { type: 'json_schema', name: 'person', schema: person, strict: true } },
        max_output_tokens: 200,
        temperature: 1,
        seed,
      } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
      expect(reply.status).toBe('completed');
      checkPerson(JSON.parse(reply.output_text));
      replies.add(reply.output_text);
    }
    // Sampled, not one fixed reply: the grammar is what keeps them valid.
    expect(replies.size).toBeGreaterThan(1);
  });

  const refused = async (body: object): Promise<APIError> => {
    const error = await client.responses
      .create({ model: 'tiny', input: 'Hi', ...body } as OpenAI.Responses.ResponseCreateParamsNonStreaming)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(BadRequestError);
    return error as APIError;
  };

  it('refuses what needs stored state with a 400 that says to send the whole conversation', async () => {
    const previous = await refused({ previous_response_id: 'resp_123' });
    expect(previous.param).toBe('previous_response_id');
    expect(previous.message).toMatch(/keeps no responses.*whole conversation in input/);
    expect((await refused({ conversation: 'conv_1' })).param).toBe('conversation');
    const reference = await refused({ input: [{ type: 'item_reference', id: 'msg_1' }] });
    expect(reference.param).toBe('input.0');
  });

  it('refuses built-in tools, images and malformed items with a 400 naming the field', async () => {
    const search = await refused({ tools: [{ type: 'web_search' }] });
    expect(search.param).toBe('tools.0.type');
    expect(search.message).toContain('"web_search"');
    const code = await refused({
      tools: [weather, { type: 'code_interpreter', container: { type: 'auto' } }],
    });
    expect(code.message).toContain('"code_interpreter"');
    const image = await refused({
      input: [
        { role: 'user', content: [{ type: 'input_image', image_url: 'https://x/y.png', detail: 'auto' }] },
      ],
    });
    expect(image.param).toBe('input.0.content.0');
    expect(image.message).toContain('images not supported');
    const badCall = await refused({
      input: [
        { role: 'user', content: 'Hi' },
        { type: 'function_call', call_id: 'c1', name: 'not a name!', arguments: '{}' },
      ],
    });
    expect(badCall.param).toBe('input.1.name');
    const twice = await refused({ model: 'tools.gguf', tools: [weather, weather] });
    expect(twice.param).toBe('tools.1.name');
    const unknownChoice = await refused({
      model: 'tools.gguf',
      tools: [weather],
      tool_choice: { type: 'function', name: 'nope' },
    });
    expect(unknownChoice.param).toBe('tool_choice');
    const jsonWithTools = await refused({
      model: 'tools.gguf',
      tools: [weather],
      text: { format: { type: 'json_object' } },
    });
    expect(jsonWithTools.param).toBe('text.format');
    // Schema keywords the grammar cannot hold a reply to are refused, never dropped.
    const minimum = await refused({
      text: {
        format: {
          type: 'json_schema',
          name: 'n',
          schema: { type: 'object', properties: { n: { type: 'integer', minimum: 1 } } },
        },
      },
    });
    expect(minimum.message).toContain('text.format.schema.properties.n.minimum');
    const toolMinimum = await refused({
      model: 'tools.gguf',
      tools: [
        { ...weather, parameters: { type: 'object', properties: { n: { type: 'number', maximum: 2 } } } },
      ],
    });
    expect(toolMinimum.message).toContain('tools.0.parameters.properties.n.maximum');
    // A model whose chat template has no tool-call format.
    expect((await refused({ tools: [weather] })).code).toBe('tools_not_supported');
  });
});
