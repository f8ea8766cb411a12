import Anthropic from '@anthropic-ai/sdk';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qwenToolsTemplate } from '../../fixtures/gguf';
import { checkEventOrder, parseSse } from '../../helpers/anthropic-sse';
import { rawRequest, startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

const weather: Anthropic.Tool = {
  name: 'get_weather',
  description: 'The weather in a city',
  // Bounded, so random weights finish the call within max_tokens. (Not an integer: node-llama-cpp's
  // integer grammar allows a negative exponent, 5e-1, which its own check then refuses.)
  input_schema: {
    type: 'object',
    properties: {
      city: { type: 'string', maxLength: 12 },
      unit: { enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city', 'unit'],
  },
};

/** A tool as Claude Code declares its own: draft-07 schema, closed object, optional fields. */
const bash: Anthropic.Tool = {
  name: 'Bash',
  description: 'Executes a given bash command in a persistent shell session.',
  input_schema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      command: { type: 'string', description: 'The command to execute' },
      timeout: { type: 'number', description: 'Optional timeout in milliseconds' },
    },
    required: ['command'],
    additionalProperties: false,
  },
};

/**
 * Anthropic's Messages API through the official @anthropic-ai/sdk client, on a generated model with a
 * tool-call template that never ends its turn (so lengths and stop reasons are deterministic);
 * greedy sampling where content is compared.
 */
describe('Anthropic Messages API through the official client', () => {
  const dir = makeTempDir();
  let api: ApiHarness;
  let client: Anthropic;

  beforeAll(async () => {
    writeTinyModel(
      join(dir.path, 'data', 'models'),
      { chatTemplate: qwenToolsTemplate, endless: true },
      'coder.gguf',
    );
    api = await startApiHarness({ dir: dir.path, app: { hubEndpoint: 'http://127.0.0.1:9' } });
    client = new Anthropic({ baseURL: api.origin, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  const system = 'You are a terse assistant.';
  const turns: Anthropic.MessageParam[] = [
    { role: 'user', content: 'Hello' },
    { role: 'assistant', content: 'Hi. What do you need?' },
    { role: 'user', content: [{ type: 'text', text: 'The weather in Paris, please.' }] },
  ];

  it('answers a system prompt and several turns as an Anthropic message', async () => {
    const reply = await client.messages.create({
      model: 'coder',
      max_tokens: 6,
      system,
      messages: turns,
    });
    expect(reply).toMatchObject({ type: 'message', role: 'assistant', model: 'coder', stop_sequence: null });
    expect(reply.id).toMatch(/^msg_/);
    expect(reply.stop_reason).toBe('max_tokens');
    expect(reply.content).toHaveLength(1);
    const block = reply.content[0]!;
    if (block.type !== 'text') throw new Error(`a ${block.type} block`);
    expect(block.text.length).toBeGreaterThan(0);
    expect(reply.usage.output_tokens).toBe(6);
    expect(reply.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });

    // count_tokens: the same prompt, token for token, as the engine rendered it for the reply.
    const counted = await client.messages.countTokens({ model: 'coder', system, messages: turns });
    expect(counted.input_tokens).toBe(reply.usage.input_tokens);
    const shorter = await client.messages.countTokens({ model: 'coder', messages: turns.slice(2) });
    expect(shorter.input_tokens).toBeLessThan(counted.input_tokens);
    const withTools = await client.messages.countTokens({
      model: 'coder',
      system,
      messages: turns,
      tools: [weather, bash],
    });
    // The tools' documentation is part of the prompt.
    expect(withTools.input_tokens).toBeGreaterThan(counted.input_tokens + 40);
  });

  it('streams the events in Anthropic order, and the client assembles the same message', async () => {
    const body = { model: 'coder', max_tokens: 12, system, messages: turns };
    const raw = await rawRequest(api.origin, {
      method: 'POST',
      path: '/v1/messages',
      headers: { 'Content-Type': 'application/json', 'anthropic-version': '2023-06-01' },
      // temperature: gone from the newest SDK, still sent by older clients, and read.
      body: JSON.stringify({ ...body, stream: true, temperature: 0, top_k: 1 }),
    });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = parseSse(raw.body);
    expect(checkEventOrder(events)).toEqual([Array<string>(events.length - 5).fill('text_delta')]);
    const start = events[0]!.data as unknown as { message: Anthropic.Message };
    expect(start.message).toMatchObject({ content: [], stop_reason: null, role: 'assistant' });
    const counted = await client.messages.countTokens({ model: 'coder', system, messages: turns });
    expect(start.message.usage.input_tokens).toBe(counted.input_tokens);
    expect(events.at(-2)!.data).toMatchObject({
      delta: { stop_reason: 'max_tokens', stop_sequence: null },
      usage: { output_tokens: 12 },
    });

    const stream = client.messages.stream(body);
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const final = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThan(1);
    expect(final.content).toEqual([{ type: 'text', text: deltas.join(''), citations: null }]);
    expect(final).toMatchObject({ stop_reason: 'max_tokens', model: 'coder' });
    expect(final.usage).toMatchObject({ input_tokens: counted.input_tokens, output_tokens: 12 });
  });

  const question: Anthropic.MessageParam = { role: 'user', content: 'What is the weather in Paris?' };
  const forced = {
    model: 'coder',
    max_tokens: 120,
    messages: [question],
    tools: [weather, bash],
    tool_choice: { type: 'tool' as const, name: 'get_weather' },
  };
  const checkInput = (input: unknown): void => {
    const args = input as Record<string, unknown>;
    expect(typeof args.city).toBe('string');
    expect((args.city as string).length).toBeLessThanOrEqual(12);
    expect(['celsius', 'fahrenheit']).toContain(args.unit);
  };

  it('makes a forced tool call, streamed as input_json_delta pieces, and answers its result', async () => {
    const reply = await client.messages.create(forced);
    expect(reply.stop_reason).toBe('tool_use');
    const call = reply.content.find((b) => b.type === 'tool_use');
    if (!call || call.type !== 'tool_use') throw new Error('no tool_use block');
    expect(call.id).toMatch(/^toolu_/);
    expect(call.name).toBe('get_weather');
    checkInput(call.input);

    const stream = client.messages.stream(forced);
    const pieces: string[] = [];
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta')
        pieces.push(event.delta.partial_json);
    });
    const final = await stream.finalMessage();
    // Never buffered until the end: the arguments come in several pieces, as they are written.
    expect(pieces.length).toBeGreaterThan(1);
    const streamed = final.content.find((b) => b.type === 'tool_use');
    if (!streamed || streamed.type !== 'tool_use') throw new Error('no streamed tool_use block');
    expect(streamed.input).toEqual(JSON.parse(pieces.join('')));
    checkInput(streamed.input);
    expect(final.stop_reason).toBe('tool_use');

    const history: Anthropic.MessageParam[] = [
      question,
      { role: 'assistant', content: reply.content },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: call.id, content: '{"sky":"clear","high_c":21}' }],
      },
    ];
    const second = await client.messages.create({
      model: 'coder',
      max_tokens: 8,
      tools: [weather, bash],
      messages: history,
    });
    expect(second.stop_reason).toBe('max_tokens');
    expect(second.content.every((b) => b.type === 'text')).toBe(true);
    expect(second.usage.input_tokens).toBeGreaterThan(reply.usage.input_tokens);
    const counted = await client.messages.countTokens({
      model: 'coder',
      tools: [weather, bash],
      messages: history,
    });
    expect(counted.input_tokens).toBe(second.usage.input_tokens);

    // A schema as Claude Code writes it ($schema, a closed object, an optional field) becomes a
    // grammar too: the forced call is valid or cut at max_tokens, never an error.
    const shell = await client.messages.create({
      ...forced,
      max_tokens: 30,
      tool_choice: { type: 'tool', name: 'Bash' },
    });
    expect(['tool_use', 'max_tokens']).toContain(shell.stop_reason);
    for (const block of shell.content)
      if (block.type === 'tool_use')
        expect(typeof (block.input as { command?: unknown }).command).toBe('string');
  });

  it('stops at a stop sequence and says which one', async () => {
    // Common letters: a reply of random words meets one of them within a few tokens.
    const stops = ['e', 'a', 'o', 'i', 't', 'n', 's', 'r'];
    const reply = await client.messages.create({
      model: 'coder',
      max_tokens: 40,
      stop_sequences: stops,
      messages: [question],
    });
    expect(reply.stop_reason).toBe('stop_sequence');
    expect(stops).toContain(reply.stop_sequence);
    const text = reply.content[0]?.type === 'text' ? reply.content[0].text : '';
    for (const stop of stops) expect(text).not.toContain(stop);
  });
});
