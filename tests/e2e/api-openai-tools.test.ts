import { join } from 'node:path';
import OpenAI, { APIError, BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { qwenToolsTemplate } from '../fixtures/gguf';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

const weather: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      type: 'object',
      // Bounded, so random weights finish the call within max_tokens.
      properties: {
        city: { type: 'string', maxLength: 12 },
        days: { type: 'integer', enum: [1, 2, 3, 7] },
      },
      required: ['city', 'days'],
    },
  },
};
const clock: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
};

/**
 * Tool calls through the official openai client, on a model with Qwen 2.5's chat template (calls
 * written as <tool_call> JSON, which node-llama-cpp reads from the template). A generated model has
 * random weights and never chooses a tool by itself, so each call is forced by a named tool_choice
 * (the grammar then allows nothing but that call): what is tested is the wire, streaming and not.
 * A second model has plain ChatML, which has no tool-call format: tools are refused there.
 */
describe('OpenAI tool calls through the official openai client', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let client: OpenAI;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(models, { chatTemplate: qwenToolsTemplate });
    writeTinyModel(models, { name: 'Plain' }, 'plain.gguf');
    serve = await startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } });
    client = new OpenAI({ baseURL: new URL('/v1', serve.url).href, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  const question = { role: 'user' as const, content: 'What is the weather in Paris?' };
  const forced = {
    model: 'tiny',
    messages: [question],
    tools: [weather, clock],
    tool_choice: { type: 'function' as const, function: { name: 'get_weather' } },
    max_tokens: 120,
    temperature: 0,
  };

  const checkArguments = (text: string): void => {
    const args = JSON.parse(text) as Record<string, unknown>;
    expect(typeof args.city).toBe('string');
    expect(Number.isInteger(args.days)).toBe(true);
  };

  it('returns a forced call whole, with finish_reason tool_calls and schema-valid arguments', async () => {
    const reply = await client.chat.completions.create(forced);
    const choice = reply.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls![0]!;
    expect(call.type).toBe('function');
    expect(call.id).toMatch(/^call_/);
    if (call.type !== 'function') throw new Error('not a function call');
    expect(call.function.name).toBe('get_weather');
    checkArguments(call.function.arguments);
  });

  it('streams the same call as delta.tool_calls pieces, as it is written, and the same arguments', async () => {
    const whole = await client.chat.completions.create(forced);
    const stream = await client.chat.completions.create({ ...forced, stream: true });
    const pieces: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    const finishes: string[] = [];
    for await (const chunk of stream) {
      pieces.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
    }
    expect(finishes).toEqual(['tool_calls']);
    // Never buffered until the end: the arguments come in several deltas.
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather' } });
    expect(pieces[0]!.id).toMatch(/^call_/);
    expect(pieces.slice(1).every((p) => p.index === 0 && p.id === undefined)).toBe(true);
    const args = pieces.map((p) => p.function?.arguments ?? '').join('');
    checkArguments(args);
    const wholeCall = whole.choices[0]!.message.tool_calls![0]!;
    if (wholeCall.type !== 'function') throw new Error('not a function call');
    expect(args).toBe(wholeCall.function.arguments);

    // The client's stream helper assembles the same call.
    const helper = client.chat.completions.stream(forced);
    const final = await helper.finalChatCompletion();
    const assembled = final.choices[0]!.message.tool_calls![0]!;
    expect(assembled).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: args } });
  });

  it('answers a second round with the tool result in messages', async () => {
    const first = await client.chat.completions.create(forced);
    const call = first.choices[0]!.message.tool_calls![0]!;
    const second = await client.chat.completions.create({
      model: 'tiny',
      tools: [weather, clock],
      tool_choice: 'none',
      max_tokens: 8,
      temperature: 0,
      messages: [
        question,
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call.id, content: '{"sky":"clear","high_c":21}' },
      ],
    });
    const choice = second.choices[0]!;
    expect(['stop', 'length']).toContain(choice.finish_reason);
    expect(choice.message.tool_calls).toBeUndefined();
    expect(typeof choice.message.content).toBe('string');
    expect(second.usage!.prompt_tokens).toBeGreaterThan(20);
  });

  it('says which models write tool calls, and refuses tools for one whose template has no call format', async () => {
    const { data } = await client.models.list();
    const capabilities = (file: string) =>
      (data.find((m) => m.id.endsWith(file)) as unknown as { capabilities: string[] }).capabilities;
    expect(capabilities('tiny.gguf')).toEqual(['completion', 'chat', 'tools']);
    expect(capabilities('plain.gguf')).toEqual(['completion', 'chat']);
    for (const stream of [false, true]) {
      const error = await client.chat.completions.create({ ...forced, model: 'plain', stream }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as APIError).param).toBe('tools');
      expect((error as APIError).message).toContain('Plain has no tool-call format in its chat template');
    }
    // Without tools the same model answers.
    const reply = await client.chat.completions.create({
      model: 'plain',
      messages: [question],
      max_tokens: 4,
    });
    expect(reply.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it('refuses bad tools with a 400 naming the field', async () => {
    const bad = async (body: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming>): Promise<APIError> => {
      const error = await client.chat.completions
        .create({ model: 'tiny', messages: [question], ...body })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(BadRequestError);
      return error as APIError;
    };
    const notObject = await bad({
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }],
    });
    expect(notObject.param).toBe('tools.0.function.parameters');
    const twice = await bad({ tools: [weather, weather] });
    expect(twice.param).toBe('tools.1.function.name');
    expect(twice.message).toContain('get_weather');
    const unknown = await bad({
      tools: [weather],
      tool_choice: { type: 'function', function: { name: 'nope' } },
    });
    expect(unknown.param).toBe('tool_choice');
    const noLink = await bad({ messages: [question, { role: 'tool', content: 'x' } as never] });
    expect(noLink.param).toBe('messages.1.tool_call_id');
    // A strict tool whose schema the grammar cannot hold the arguments to: refused, never loosened.
    const ranged = await bad({
      tools: [
        weather,
        {
          type: 'function',
          function: {
            name: 'f',
            strict: true,
            parameters: { properties: { n: { type: 'integer', minimum: 1 } } },
          },
        },
      ],
    });
    expect(ranged.message).toContain(
      'tools.1.function.parameters.properties.n.minimum: "minimum" cannot be enforced',
    );
  });
});
