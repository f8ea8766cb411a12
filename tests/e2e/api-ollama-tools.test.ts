import { join } from 'node:path';
import { Ollama, type Message, type Tool } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qwenToolCallOpeners, qwenToolsTemplate } from '../fixtures/gguf';
import { invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

const cities = ['Paris', 'Lima', 'Oslo'];
const weather: Tool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: {
      type: 'object',
      // Bounded, so random weights finish each call.
      properties: { city: { type: 'string', enum: cities }, note: { type: 'string', maxLength: 6 } },
      required: ['city', 'note'],
      // The client's type lists only some schema keywords; the wire takes any.
    } as NonNullable<Tool['function']['parameters']>,
  },
};

const checkCall = (call: NonNullable<Message['tool_calls']>[number]): void => {
  expect(call.function.name).toBe('get_weather');
  // Ollama's arguments are an object, not JSON text.
  expect(cities).toContain(call.function.arguments.city);
  expect(typeof call.function.arguments.note).toBe('string');
  expect((call.function.arguments.note as string).length).toBeLessThanOrEqual(6);
};

/**
 * Tools through the official ollama client. Ollama has no tool_choice, so a random-weights model
 * would never call a tool by itself: the "caller" fixture has Qwen 2.5's template and output rows
 * that only ever pick the template's call prefix (as one token, bare or after a space), so every
 * reply is calls; node-llama-cpp's grammar writes the name and the arguments. It keeps calling
 * until num_predict runs out, which is also several calls in one turn, each streamed as it
 * completes. A plain ChatML model has no call format: tools are refused there.
 */
describe('Ollama tool calls through the official ollama client', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let ollama: Ollama;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(
      models,
      { chatTemplate: qwenToolsTemplate, openers: qwenToolCallOpeners, name: 'Caller' },
      'caller.gguf',
    );
    writeTinyModel(models, { name: 'Plain' }, 'plain.gguf');
    serve = await startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } });
    ollama = new Ollama({ host: new URL(serve.url).origin });
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  const question: Message = { role: 'user', content: 'What is the weather in Paris?' };
  const request = {
    model: 'caller',
    messages: [question],
    tools: [weather],
    options: { temperature: 0, num_predict: 150 },
  };

  it('lists "tools" in /api/show only for the model whose template has a call format', async () => {
    expect((await ollama.show({ model: 'caller' })).capabilities).toEqual(['completion', 'tools']);
    expect((await ollama.show({ model: 'plain' })).capabilities).toEqual(['completion']);
    const refused = await ollama.chat({ ...request, model: 'plain', stream: false }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'ResponseError', status_code: 400 });
    expect((refused as Error).message).toContain('Plain has no tool-call format in its chat template');
  });

  it('returns the calls in message.tool_calls, and takes them back with the results for a second round', async () => {
    const first = await ollama.chat({ ...request, stream: false });
    expect(first.done).toBe(true);
    const calls = first.message.tool_calls ?? [];
    expect(calls.length).toBeGreaterThan(1);
    calls.forEach(checkCall);
    const second = await ollama.chat({
      ...request,
      stream: false,
      messages: [
        question,
        first.message,
        ...calls.map((c): Message => ({
          role: 'tool',
          content: `{"sky":"clear","city":"${String(c.function.arguments.city)}"}`,
          tool_name: c.function.name,
        })),
      ],
    });
    // The results are in the prompt the model answered.
    expect(second.prompt_eval_count).toBeGreaterThan(first.prompt_eval_count + first.eval_count);
    (second.message.tool_calls ?? []).forEach(checkCall);
  });

  it('streams each call whole in its own chunk, the same calls as without streaming', async () => {
    const whole = await ollama.chat({ ...request, stream: false });
    const streamed: NonNullable<Message['tool_calls']> = [];
    let callChunks = 0;
    let last: { done: boolean; done_reason: string } | undefined;
    for await (const part of await ollama.chat({ ...request, stream: true })) {
      if (part.message.tool_calls) {
        expect(part.done).toBe(false);
        callChunks++;
        streamed.push(...part.message.tool_calls);
      }
      last = part;
    }
    expect(last?.done).toBe(true);
    expect(callChunks).toBe(streamed.length);
    expect(streamed).toEqual(whole.message.tool_calls);
  });

  it('sends a call while the reply is still being written (the client can leave after the first)', async () => {
    const stream = await ollama.chat({
      ...request,
      stream: true,
      options: { temperature: 0, num_predict: 1500 },
    });
    let first: Message | undefined;
    for await (const part of stream) {
      if (part.message.tool_calls) {
        first = part.message;
        break;
      }
    }
    stream.abort();
    checkCall(first!.tool_calls![0]!);
    // The request log has it as cancelled: the reply had not ended when the call arrived.
    await expect
      .poll(
        async () => {
          const log = (await invokeOver(serve.url, 'server.requests')).value as Array<{
            endpoint: string;
            status: unknown;
          }>;
          return log.filter((r) => r.endpoint.includes('/api/chat')).at(-1)?.status;
        },
        { timeout: 15_000 },
      )
      .toBe('cancelled');
  });

  it('answers bad tools and unenforceable schemas in Ollama\'s {"error"} shape', async () => {
    const bad = async (body: object): Promise<string> => {
      const error = await ollama.chat({ ...request, stream: false, ...body }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ResponseError', status_code: 400 });
      return (error as Error).message;
    };
    expect(await bad({ tools: [weather, weather] })).toContain('tools.1.function.name');
    // Validation-only words (pattern) are dropped from tool schemas; a structure no call can meet is not.
    const impossible = {
      ...weather,
      function: {
        ...weather.function,
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['town'] },
      },
    };
    expect(await bad({ tools: [impossible] })).toContain('tools.0.function.parameters.required');
    expect(
      await bad({ format: { type: 'object', properties: { n: { type: 'number', maximum: 3 } } } }),
    ).toContain('format.properties.n.maximum: "maximum" cannot be enforced');
  });
});
