import { request } from 'node:http';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../src/main/api/request-log';
import { startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

type Event = OpenAI.Responses.ResponseStreamEvent;

/** A ChatML fine-tune that thinks: its generation prompt opens <think>. */
const thinkingTemplate =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n<think>\\n' }}{% endif %}";

/** A raw POST whose SSE body is read as {event, data} blocks, so the wire itself is checked. */
function rawSse(origin: string, body: object): Promise<{ contentType: string; blocks: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/v1/responses', origin),
      { method: 'POST', headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            contentType: String(res.headers['content-type']),
            blocks: text.split('\n\n').filter((b) => b !== ''),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ ...body, stream: true }));
  });
}

function nextLogEntry(api: ApiHarness, match: (e: RequestLogEntry) => boolean): Promise<RequestLogEntry> {
  return new Promise((resolve) => {
    const stop = api.app.api.log.subscribe((entry) => {
      if (!match(entry)) return;
      stop();
      resolve(entry);
    });
  });
}

/**
 * The text of a response's message items. The client derives output_text only for responses it
 * returns itself, not inside raw stream events (OpenAI's wire has no output_text either).
 */
const messageText = (response: OpenAI.Responses.Response): string =>
  response.output
    .flatMap((o) => (o.type === 'message' ? o.content : []))
    .map((p) => (p.type === 'output_text' ? p.text : ''))
    .join('');

/** The event types of a text reply, in the documented order. */
const textOrder = (deltas: number): string[] => [
  'response.created',
  'response.in_progress',
  'response.output_item.added',
  'response.content_part.added',
  ...Array<string>(deltas).fill('response.output_text.delta'),
  'response.output_text.done',
  'response.content_part.done',
  'response.output_item.done',
];

/**
 * POST /v1/responses through the official openai client, unchanged but for its base URL, on
 * generated models: what Codex CLI (wire_api = "responses") and LangChain's useResponsesApi send.
 * Tool calls, JSON schemas and refusals: api-responses-tools.test.ts.
 */
describe('OpenAI Responses API through the official openai client', () => {
  const dir = makeTempDir();
  let api: ApiHarness;
  let client: OpenAI;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(models);
    writeTinyModel(models, { endless: true, name: 'Endless' }, 'endless.gguf');
    writeTinyModel(
      models,
      { thinkTokens: true, endless: true, chatTemplate: thinkingTemplate, name: 'Thinking' },
      'thinking.gguf',
    );
    // One slot per model: a request that leaves must free it for the next one to run at all.
    api = await startApiHarness({ dir: dir.path, api: { parallel: 1 } });
    client = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  const ask = {
    model: 'tiny',
    input: 'Write a short story about a cat.',
    max_output_tokens: 12,
    temperature: 0,
  };

  it('answers with a response object whose output_text is the message text, stored nowhere', async () => {
    const reply = await client.responses.create(ask);
    expect(reply.id).toMatch(/^resp_[0-9a-f]{32}$/);
    expect(reply).toMatchObject({ object: 'response', model: 'tiny', store: false, error: null });
    expect(['completed', 'incomplete']).toContain(reply.status);
    const messages = reply.output.filter((o) => o.type === 'message');
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    expect(message).toMatchObject({ role: 'assistant', status: reply.status });
    expect(message.content).toHaveLength(1);
    const part = message.content[0]!;
    if (part.type !== 'output_text') throw new Error('not output_text');
    expect(part.text.length).toBeGreaterThan(0);
    expect(reply.output_text).toBe(part.text);
    const usage = reply.usage!;
    expect(usage.input_tokens).toBeGreaterThan(5);
    expect(usage.output_tokens).toBeGreaterThan(0);
    expect(usage.output_tokens).toBeLessThanOrEqual(12);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    // store: true is accepted, and still nothing is kept (OpenAI's answers carry store; the SDK's type omits it).
    const stored = await client.responses.create({ ...ask, store: true });
    expect(stored).toMatchObject({ store: false });
    expect(stored.output_text).toBe(reply.output_text);
  });

  it('reads instructions and message items; reasoning items from history are not fed back', async () => {
    const input: OpenAI.Responses.ResponseInput = [
      { role: 'developer', content: 'Answer briefly.' },
      { role: 'user', content: [{ type: 'input_text', text: 'Hello there.' }] },
      {
        type: 'message',
        id: 'msg_1',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Hi! How can I help?', annotations: [] }],
      },
      { role: 'user', content: 'Tell me about cats.' },
    ];
    const base = { model: 'tiny', max_output_tokens: 4, temperature: 0, instructions: 'You are kind.' };
    const plain = await client.responses.create({ ...base, input });
    expect(plain.instructions).toBe('You are kind.');
    const withThinking = await client.responses.create({
      ...base,
      input: [
        ...input.slice(0, 2),
        {
          type: 'reasoning',
          id: 'rs_1',
          summary: [{ type: 'summary_text', text: 'The user greets me, so I will greet them back warmly.' }],
          content: [
            { type: 'reasoning_text', text: 'Greeting detected; reply with a greeting and an offer.' },
          ],
        },
        ...input.slice(2),
      ],
    });
    // Same prompt to the token: the reasoning item added nothing.
    expect(withThinking.usage!.input_tokens).toBe(plain.usage!.input_tokens);
    const shorter = await client.responses.create({ ...base, input: input.slice(1) });
    expect(plain.usage!.input_tokens).toBeGreaterThan(shorter.usage!.input_tokens);
  });

  it('streams typed events in order with sequence numbers that reassemble the whole reply', async () => {
    const whole = await client.responses.create(ask);
    const stream = await client.responses.create({ ...ask, stream: true });
    const events: Event[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.filter((e) => e.type === 'response.output_text.delta');
    expect(deltas.length).toBeGreaterThan(1);
    const last = events.at(-1)!;
    const end = whole.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    expect(events.map((e) => e.type)).toEqual([...textOrder(deltas.length), end]);
    if (last.type !== 'response.completed' && last.type !== 'response.incomplete') throw new Error(last.type);
    const text = deltas.map((d) => d.delta).join('');
    expect(text).toBe(whole.output_text);
    expect(messageText(last.response)).toBe(text);
    const created = events[0]!;
    if (created.type !== 'response.created') throw new Error(created.type);
    expect(created.response).toMatchObject({ status: 'in_progress', output: [], id: last.response.id });
    const item = last.response.output[0]!;
    expect(deltas.every((d) => d.item_id === item.id && d.output_index === 0)).toBe(true);

    // The client's stream helper, which checks every event against the snapshot it builds.
    const helper = client.responses.stream(ask);
    const final = await helper.finalResponse();
    expect(final.output_text).toBe(text);
    expect(final.usage).toEqual(last.response.usage);
  });

  it('sends each event on the wire as "event: <type>" with the same type in its data, and no [DONE]', async () => {
    const { contentType, blocks } = await rawSse(api.origin, ask);
    expect(contentType).toContain('text/event-stream');
    expect(blocks.length).toBeGreaterThan(8);
    for (const block of blocks) {
      const match = /^event: ([a-z_.]+)\ndata: (.+)$/.exec(block);
      expect(match, block).not.toBeNull();
      expect((JSON.parse(match![2]!) as { type: string }).type).toBe(match![1]);
    }
    expect(blocks.some((b) => b.includes('[DONE]'))).toBe(false);
  });

  it('stops at max_output_tokens with status incomplete, whole and streamed', async () => {
    const long = { model: 'endless', input: 'Go on forever.', max_output_tokens: 10, temperature: 0 };
    const reply = await client.responses.create(long);
    expect(reply.status).toBe('incomplete');
    expect(reply.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(reply.usage!.output_tokens).toBe(10);
    expect(reply.output.at(-1)).toMatchObject({ type: 'message', status: 'incomplete' });
    const events: Event[] = [];
    for await (const event of await client.responses.create({ ...long, stream: true })) events.push(event);
    const last = events.at(-1)!;
    expect(last.type).toBe('response.incomplete');
    if (last.type !== 'response.incomplete') return;
    expect(last.response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(messageText(last.response)).toBe(reply.output_text);
  });

  it("returns a reasoning model's thinking as a reasoning item, never in output_text", async () => {
    const think = {
      model: 'thinking.gguf',
      input: 'Why is the sky blue?',
      // minimal: a thinking budget of 256 tokens, then the answer.
      reasoning: { effort: 'minimal' as const },
      max_output_tokens: 300,
      temperature: 0,
    };
    const reply = await client.responses.create(think);
    expect(reply.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    const reasoning = reply.output[0]!;
    if (reasoning.type !== 'reasoning') throw new Error(reasoning.type);
    const thought = reasoning.content![0]!.text;
    expect(thought.trim().length).toBeGreaterThan(0);
    expect(reply.output_text.trim().length).toBeGreaterThan(0);
    expect(reply.output_text).not.toContain(thought.trim());
    expect(reply.output_text).not.toContain('<think>');
    expect(thought).not.toContain('</think>');

    const events: Event[] = [];
    for await (const event of await client.responses.create({ ...think, stream: true })) events.push(event);
    const kinds = events
      .filter((e) => e.type === 'response.reasoning_text.delta' || e.type === 'response.output_text.delta')
      .map((e) => e.type)
      .filter((k, i, all) => k !== all[i - 1]);
    expect(kinds).toEqual(['response.reasoning_text.delta', 'response.output_text.delta']);
    const streamed = events
      .filter((e) => e.type === 'response.reasoning_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(streamed).toBe(thought);
    const final = await client.responses.stream(think).finalResponse();
    expect(final.output_text).toBe(reply.output_text);

    // effort none: a thinking budget of 0, so thinking stops at once (node-llama-cpp lets one token
    // through before the budget closes it) and the model answers.
    const direct = await client.responses.create({
      ...think,
      reasoning: { effort: 'none' },
      max_output_tokens: 20,
    });
    const brief = direct.output.find((o) => o.type === 'reasoning');
    expect((brief?.content?.[0]?.text ?? '').length).toBeLessThan(thought.length / 10);
    expect(direct.output.at(-1)!.type).toBe('message');
    expect(direct.output_text.trim().length).toBeGreaterThan(0);
  });

  it('ends the stream with response.failed when the engine dies mid-reply, and answers the next request', async () => {
    const events: Event[] = [];
    let killed = false;
    const stream = await client.responses.create({ model: 'endless', input: 'Go on forever.', stream: true });
    for await (const event of stream) {
      events.push(event);
      if (!killed && event.type === 'response.output_text.delta') {
        killed = true;
        const pid = api.app.engine.status().loaded!.find((l) => l.modelPath.endsWith('endless.gguf'))!.pid!;
        process.kill(pid, 'SIGKILL');
      }
    }
    const last = events.at(-1)!;
    expect(last.type).toBe('response.failed');
    if (last.type !== 'response.failed') return;
    expect(last.response.status).toBe('failed');
    expect(last.response.error?.message.length).toBeGreaterThan(0);
    // The item that was being written is closed as incomplete, keeping what was sent.
    const done = events.find((e) => e.type === 'response.output_item.done');
    expect(done).toMatchObject({ item: { type: 'message', status: 'incomplete' } });
    expect(last.response.output).toHaveLength(1);
    const next = await client.responses.create({ model: 'endless', input: 'Hello', max_output_tokens: 4 });
    expect(next.status).toBe('incomplete');
  });

  it('stops the reply when the client leaves mid-stream, and frees the slot for the next request', async () => {
    const cancelled = nextLogEntry(api, (e) => e.endpoint === '/v1/responses' && e.status === 'cancelled');
    await new Promise<void>((resolve, reject) => {
      const req = request(
        new URL('/v1/responses', api.origin),
        { method: 'POST', headers: { 'Content-Type': 'application/json' } },
        (res) => {
          let seen = '';
          res.on('data', (c: Buffer) => {
            seen += c.toString();
            // Mid-reply: the engine is writing text.
            if (seen.includes('event: response.output_text.delta')) {
              req.destroy();
              resolve();
            }
          });
          res.on('error', () => {});
        },
      );
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      req.end(JSON.stringify({ model: 'endless', input: 'Go on forever.', stream: true }));
    });
    // An endless reply that was not stopped would run to the end of the context and log 200.
    const entry = await cancelled;
    expect(entry.model).toMatch(/endless/);
    expect(api.app.api.scheduler.stats()).toMatchObject({ active: 0, queued: 0 });
    const next = await client.responses.create({ model: 'endless', input: 'Hello', max_output_tokens: 4 });
    expect(next.usage!.output_tokens).toBe(4);
  });
});
