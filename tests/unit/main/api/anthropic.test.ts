import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicStatus } from '../../../../src/main/api/anthropic/errors';
import { countTokensSchema, messagesSchema } from '../../../../src/main/api/anthropic/schemas';
import { MessageEvents } from '../../../../src/main/api/anthropic/stream-out';
import { chatRequestFrom, conversationFrom } from '../../../../src/main/api/anthropic/translate';
import { ApiError } from '../../../../src/main/api/api-error';
import type { ChatResult } from '../../../../src/main/engine-process/protocol';
import type { LibraryModel } from '../../../../src/shared/contract';
import { checkEventOrder, parseSse } from '../../../helpers/anthropic-sse';

/** Only what the translator reads of a library model. */
const model = (toolCalls: boolean) => ({ name: 'Qwen', toolCalls }) as unknown as LibraryModel;
const chat = (body: object, toolCalls = true) =>
  chatRequestFrom(messagesSchema.parse({ model: 'm', max_tokens: 8, ...body }), model(toolCalls));

describe('Anthropic requests to the engine', () => {
  it('turns blocks into engine messages: calls on the assistant turn, results as tool messages', () => {
    const request = chat({
      system: [
        { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Be brief.' },
      ],
      messages: [
        { role: 'user', content: 'List the files' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'I should run ls.', signature: 'sig' },
            { type: 'text', text: 'Running ls.' },
            { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a.txt' }] },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'denied', is_error: true },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_3',
              content: [
                { type: 'tool_reference', tool_name: 'TodoWrite' },
                {
                  type: 'search_result',
                  source: 'a.md',
                  title: 'A',
                  content: [{ type: 'text', text: 'hit' }],
                },
              ],
            },
            { type: 'text', text: 'Thanks' },
          ],
        },
      ],
      stop_sequences: ['', 'END'],
      thinking: { type: 'enabled', budget_tokens: 64 },
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'You are Claude Code.\n\nBe brief.' },
      { role: 'user', content: 'List the files' },
      {
        role: 'assistant',
        content: 'Running ls.',
        toolCalls: [{ id: 'toolu_1', name: 'Bash', arguments: '{"command":"ls"}' }],
      },
      { role: 'tool', toolCallId: 'toolu_1', content: 'a.txt' },
      { role: 'tool', toolCallId: 'toolu_2', content: 'Error: denied' },
      { role: 'tool', toolCallId: 'toolu_3', content: 'The tool TodoWrite is available.\nA (a.md)\nhit' },
      { role: 'user', content: 'Thanks' },
    ]);
    expect(request.sampling).toMatchObject({
      maxTokens: 8,
      stop: ['END'],
      maxThoughtTokens: 64,
      temperature: 1,
    });
    expect(request.tools).toBeUndefined();
    expect(
      chat({ messages: [{ role: 'user', content: 'Hi' }], thinking: { type: 'disabled' } }).sampling,
    ).toMatchObject({ maxThoughtTokens: 0 });
  });

  it('maps tools and tool_choice, and refuses what no local model can do', () => {
    const tool = { name: 'Bash', input_schema: { type: 'object', properties: {} } };
    const hi = [{ role: 'user', content: 'Hi' }];
    expect(
      chat({ messages: hi, tools: [tool], tool_choice: { type: 'any', disable_parallel_tool_use: true } }),
    ).toMatchObject({ toolChoice: 'required', parallelToolCalls: false, tools: [{ name: 'Bash' }] });
    expect(
      chat({ messages: hi, tools: [tool], tool_choice: { type: 'tool', name: 'Bash' } }).toolChoice,
    ).toEqual({
      name: 'Bash',
    });
    const refused = (body: object, toolCalls = true): string => {
      try {
        chat(body, toolCalls);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(refused({ messages: hi, tools: [tool] }, false)).toMatch(/tool-call format/);
    expect(refused({ messages: hi, tools: [{ type: 'bash_20250124', name: 'bash' }] })).toMatch(
      /"bash".*built-in/,
    );
    expect(refused({ messages: hi, tools: [tool, tool] })).toMatch(/offered twice/);
    expect(refused({ messages: hi, tools: [{ name: 'x y', input_schema: {} }] })).toMatch(/tools\.0\.name/);
    expect(refused({ messages: hi, tool_choice: { type: 'any' } })).toMatch(/no tools are offered/);
    expect(refused({ messages: [...hi, { role: 'assistant', content: 'Sure,' }] })).toMatch(/prefill/);
    expect(refused({ messages: hi, thinking: { type: 'enabled' } })).toMatch(/budget_tokens/);
    expect(
      refused({
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'x' } }] }],
      }),
    ).toMatch(/messages\.0\.content\.0: images are not supported/);
    // A count refuses exactly what the request would.
    expect(() =>
      conversationFrom(countTokensSchema.parse({ model: 'm', messages: hi, tools: [tool] }), model(false)),
    ).toThrow(/tool-call format/);
  });

  it('gives each failure the status and type Anthropic uses', () => {
    const typeOf = (status: number, code = 'x') => anthropicStatus(new ApiError(status, 'm', code));
    expect(typeOf(400)).toEqual({ status: 400, type: 'invalid_request_error' });
    expect(typeOf(401)).toEqual({ status: 401, type: 'authentication_error' });
    expect(typeOf(403)).toEqual({ status: 403, type: 'permission_error' });
    expect(typeOf(404)).toEqual({ status: 404, type: 'not_found_error' });
    expect(typeOf(413)).toEqual({ status: 413, type: 'request_too_large' });
    expect(typeOf(429)).toEqual({ status: 429, type: 'rate_limit_error' });
    expect(typeOf(503, 'engine_overloaded')).toEqual({ status: 529, type: 'overloaded_error' });
    expect(typeOf(503, 'engine_crashed')).toEqual({ status: 503, type: 'api_error' });
  });
});

describe('Anthropic event stream', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('pings while the reply is silent, between well-formed events', async () => {
    let events!: MessageEvents;
    let release!: () => void;
    const silent = new Promise<void>((resolve) => (release = resolve));
    server = createServer((_req, res) => {
      events = new MessageEvents(res, 20);
      events.start({}, { id: 'msg_1', model: 'm', inputTokens: 3 });
      void silent.then(() => {
        events.chunk('Hel', 'text');
        events.chunk('lo', 'text');
        events.finish(
          { text: 'Hello', thought: '', stopReason: 'eos', stats: { generatedTokens: 2 } } as ChatResult,
          [],
        );
        events.end();
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('event: ping')) release();
        });
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    const parsed = parseSse(body);
    expect(parsed.some((e) => e.event === 'ping' && e.data.type === 'ping')).toBe(true);
    expect(checkEventOrder(parsed)).toEqual([['text_delta', 'text_delta']]);
    expect(parsed.find((e) => e.event === 'message_delta')?.data).toMatchObject({
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 2 },
    });
  });
});
