import Anthropic from '@anthropic-ai/sdk';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLanKey } from '../../../src/main/bindings/lan-key';
import { startWebBinding, type WebBinding } from '../../../src/main/bindings/web';
import { chatmlTemplate } from '../../fixtures/gguf';
import { checkEventOrder, parseSse, postStream } from '../../helpers/anthropic-sse';
import { rawRequest, startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

/** A ChatML fine-tune that thinks: its template opens <think> (node-llama-cpp alone reads plain ChatML). */
const thinkingTemplate =
  chatmlTemplate.replace(/\{% if add_generation_prompt %\}.*$/, '') +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n<think>\\n' }}{% endif %}";

const ask = (text: string): Anthropic.MessageParam[] => [{ role: 'user', content: text }];

/** Reasoning, refusals, keys, failures mid-stream and clients that leave, on generated models. */
describe('Anthropic Messages API: thinking, errors, keys, failures', () => {
  const dir = makeTempDir();
  const key = generateLanKey();
  let api: ApiHarness;
  let lan: WebBinding;
  let client: Anthropic;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(
      models,
      { thinkTokens: true, endless: true, chatTemplate: thinkingTemplate },
      'thinker.gguf',
    );
    // No tool-call format in its template: tools are refused for it.
    writeTinyModel(models, { endless: true }, 'plain.gguf');
    api = await startApiHarness({ dir: dir.path, app: { hubEndpoint: 'http://127.0.0.1:9' } });
    // The same API behind a LAN key, as a second binding of the same app.
    lan = await startWebBinding({
      router: api.app.router,
      events: api.app.events,
      rendererDir: join(dir.path, 'renderer'),
      port: 0,
      api: api.app.api,
      lanKey: key,
      keyAttempts: { freeFailures: 1000 },
    });
    client = new Anthropic({ baseURL: api.origin, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await lan?.close();
    await api?.close();
    dir.cleanup();
  });

  const thinking = {
    model: 'thinker',
    max_tokens: 40,
    thinking: { type: 'enabled' as const, budget_tokens: 10 },
    messages: ask('Why is the sky blue?'),
  };

  it("returns a reasoning model's thinking as a signed thinking block, never in the text", async () => {
    const reply = await client.messages.create(thinking);
    expect(reply.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const [thought, text] = reply.content as [Anthropic.ThinkingBlock, Anthropic.TextBlock];
    expect(thought.thinking.trim().length).toBeGreaterThan(0);
    expect(thought.signature).toMatch(/^hearth-sha256:[A-Za-z0-9+/]{43}=$/);
    expect(text.text.trim().length).toBeGreaterThan(0);
    for (const tag of ['<think>', '</think>']) {
      expect(text.text).not.toContain(tag);
      expect(thought.thinking).not.toContain(tag);
    }

    const raw = await rawRequest(api.origin, {
      method: 'POST',
      path: '/v1/messages',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...thinking, stream: true }),
    });
    const events = parseSse(raw.body);
    const [thoughtDeltas, textDeltas, ...more] = checkEventOrder(events);
    expect(more).toEqual([]);
    // Thinking deltas, then the signature that closes the block; the text has its own block.
    expect(thoughtDeltas!.at(-1)).toBe('signature_delta');
    expect(new Set(thoughtDeltas!.slice(0, -1))).toEqual(new Set(['thinking_delta']));
    expect(new Set(textDeltas)).toEqual(new Set(['text_delta']));

    const stream = client.messages.stream(thinking);
    const parts = { thinking: '', text: '' };
    stream.on('thinking', (delta) => (parts.thinking += delta));
    stream.on('text', (delta) => (parts.text += delta));
    const final = await stream.finalMessage();
    expect(final.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    const [finalThought, finalText] = final.content as [Anthropic.ThinkingBlock, Anthropic.TextBlock];
    expect(finalThought.thinking).toBe(parts.thinking);
    expect(finalText.text).toBe(parts.text);
    expect(finalThought.signature).toMatch(/^hearth-sha256:/);
  });

  const refusal = async (
    make: () => Promise<unknown>,
    status: number,
    type: string,
    message: RegExp,
  ): Promise<void> => {
    const error = await make().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Anthropic.APIError);
    const apiError = error as InstanceType<typeof Anthropic.APIError>;
    expect(apiError.status).toBe(status);
    expect(apiError.error).toMatchObject({ type: 'error', error: { type } });
    expect((apiError.error as { error: { message: string } }).error.message).toMatch(message);
  };

  it('refuses what it cannot do with Anthropic-shaped errors the client raises as its own', async () => {
    const replies = api.app.api.log.list().length;
    const create = (body: object) => () =>
      client.messages.create({ model: 'thinker', max_tokens: 8, messages: ask('Hi'), ...body });
    await refusal(
      () => client.messages.create({ model: 'thinker', messages: ask('Hi') } as never),
      400,
      'invalid_request_error',
      /max_tokens/,
    );
    await expect(create({ max_tokens: -1 })()).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    // Claude Code's own model names are not silently replaced: the 404 names Hearth's models.
    await refusal(
      create({ model: 'claude-sonnet-4-6' }),
      404,
      'not_found_error',
      /thinker.*ANTHROPIC_MODEL|ANTHROPIC_MODEL.*thinker/,
    );
    await refusal(
      () => client.messages.countTokens({ model: 'claude-haiku-4-5', messages: ask('Hi') }),
      404,
      'not_found_error',
      /plain/,
    );
    const image = {
      type: 'image' as const,
      source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'iVBORw0KGgo=' },
    };
    await refusal(
      create({ messages: [{ role: 'user', content: [image, { type: 'text', text: 'What is this?' }] }] }),
      400,
      'invalid_request_error',
      /images are not supported by this model/,
    );
    await refusal(
      create({ tools: [{ type: 'web_search_20250305', name: 'web_search' }] }),
      400,
      'invalid_request_error',
      /web_search/,
    );
    await refusal(
      create({ messages: [...ask('Hi'), { role: 'assistant', content: 'Well,' }] }),
      400,
      'invalid_request_error',
      /last message/,
    );
    await refusal(
      create({ messages: [{ role: 'user', content: [{ type: 'container_upload', file_id: 'f' }] }] }),
      400,
      'invalid_request_error',
      /container_upload/,
    );
    const tool = { name: 'f', input_schema: { type: 'object' as const, properties: {} } };
    await refusal(
      create({ model: 'plain', tools: [tool] }),
      400,
      'invalid_request_error',
      /tool-call format/,
    );
    await refusal(
      create({ tools: [tool], tool_choice: { type: 'tool', name: 'g' } }),
      400,
      'invalid_request_error',
      /no offered tool is named "g"/,
    );
    // Other paths under /v1/messages answer in Anthropic's shape too.
    const wrongMethod = await rawRequest(api.origin, { path: '/v1/messages' });
    expect(wrongMethod.status).toBe(405);
    expect(JSON.parse(wrongMethod.body)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    // Each was refused before anything was generated.
    expect(api.app.api.log.list()).toHaveLength(replies);
  });

  it('accepts what Claude Code sends and has no use for', async () => {
    const body = {
      model: 'thinker',
      max_tokens: 4,
      system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: '<system-reminder>Be brief.</system-reminder>' },
            { type: 'text', text: 'Hi', cache_control: { type: 'ephemeral', ttl: '1h' } },
          ],
        },
      ],
      metadata: { user_id: 'user_abc' },
      service_tier: 'auto',
      context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
      output_config: { effort: 'high' },
      a_field_from_next_year: { anything: true },
    };
    const reply = await rawRequest(api.origin, {
      method: 'POST',
      path: '/v1/messages?beta=true',
      headers: {
        'Content-Type': 'application/json',
        'anthropic-version': '2023-06-01',
        'anthropic-beta':
          'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27',
      },
      body: JSON.stringify(body),
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ type: 'message', stop_reason: 'max_tokens' });

    // An image a tool returned (Claude Code's Read on a picture) is left out with a note, so the
    // conversation goes on; an image the user sends is refused (above).
    const withResult = (content: Anthropic.ToolResultBlockParam['content']) =>
      client.messages.countTokens({
        model: 'thinker',
        messages: [
          ...ask('Look at this'),
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a.png' } }],
          },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content }] },
        ],
      });
    const screenshot = await withResult([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
    ]);
    const note = await withResult('[image omitted: this model reads text only]');
    expect(screenshot.input_tokens).toBe(note.input_tokens);

    // max_tokens 0: the prompt is evaluated (cached for the next request) and nothing is answered.
    const warm = await client.messages.create({ model: 'thinker', max_tokens: 0, messages: ask('Hi') });
    expect(warm).toMatchObject({ stop_reason: 'max_tokens', content: [{ type: 'text', text: '' }] });
    expect(warm.usage.output_tokens).toBe(0);
    expect(warm.usage.input_tokens).toBeGreaterThan(0);
  });

  it('takes the LAN key as x-api-key or as a Bearer token, and refuses a wrong one', async () => {
    const counted = { model: 'thinker', messages: ask('Hi') };
    const byApiKey = new Anthropic({ baseURL: lan.url, apiKey: key, maxRetries: 0 });
    expect((await byApiKey.messages.countTokens(counted)).input_tokens).toBeGreaterThan(0);
    const byToken = new Anthropic({ baseURL: lan.url, apiKey: null, authToken: key, maxRetries: 0 });
    expect((await byToken.messages.countTokens(counted)).input_tokens).toBeGreaterThan(0);
    const wrong = new Anthropic({ baseURL: lan.url, apiKey: generateLanKey(), maxRetries: 0 });
    await refusal(() => wrong.messages.countTokens(counted), 401, 'authentication_error', /key/i);
    const none = await rawRequest(lan.url, {
      method: 'POST',
      path: '/v1/messages',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...counted, max_tokens: 4 }),
    });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('ends a stream whose engine dies with an error event, and stops a reply whose client leaves', async () => {
    const body = JSON.stringify({
      model: 'plain',
      max_tokens: 4000,
      stream: true,
      messages: ask('A long story'),
    });
    let killed = false;
    const text = await postStream(api.origin, '/v1/messages', body, (received) => {
      if (killed || !received.includes('content_block_delta')) return;
      killed = true;
      process.kill(api.app.engine.pid!, 'SIGKILL');
    });
    const events = parseSse(text);
    expect(events[0]!.event).toBe('message_start');
    expect(events.at(-1)).toMatchObject({
      event: 'error',
      data: { type: 'error', error: { type: 'api_error' } },
    });
    expect(events.some((e) => e.event === 'message_stop')).toBe(false);

    // A client that leaves mid-reply: the engine stops, the log says cancelled.
    const controller = new AbortController();
    const stream = client.messages.stream(
      { model: 'plain', max_tokens: 4000, messages: ask('Another long story') },
      { signal: controller.signal },
    );
    stream.on('text', () => controller.abort());
    await stream.done().catch(() => {});
    await expect
      .poll(() =>
        api.app.api.log.list().some((e) => e.endpoint === '/v1/messages' && e.status === 'cancelled'),
      )
      .toBe(true);
    await expect.poll(() => api.app.engine.idleSince() !== null).toBe(true);
  });
});
