import Anthropic from '@anthropic-ai/sdk';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qwenToolsTemplate } from '../fixtures/gguf';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

/**
 * The official @anthropic-ai/sdk client, unchanged but for its base URL, against the built
 * `hearth serve`: what Claude Code does with ANTHROPIC_BASE_URL and ANTHROPIC_MODEL set.
 */
describe('Anthropic Messages API of hearth serve through the official client', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let client: Anthropic;

  beforeAll(async () => {
    writeTinyModel(
      join(dir.path, 'data', 'models'),
      { chatTemplate: qwenToolsTemplate, endless: true },
      'coder.gguf',
    );
    serve = await startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } });
    // ANTHROPIC_BASE_URL is the server's root: the client adds /v1/messages.
    client = new Anthropic({
      baseURL: serve.url.replace(/\/$/, ''),
      authToken: 'unused',
      apiKey: null,
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  it('answers, streams, counts and calls a tool as Claude Code expects', async () => {
    const tools: Anthropic.Tool[] = [
      {
        name: 'Read',
        description: 'Reads a file',
        input_schema: {
          type: 'object',
          properties: { file_path: { type: 'string', maxLength: 16 } },
          required: ['file_path'],
          additionalProperties: false,
        },
      },
    ];
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Read the README, please.' }];
    const body = { model: 'coder', max_tokens: 10, system: 'You are a coding agent.', tools, messages };

    const counted = await client.messages.countTokens({
      model: 'coder',
      system: body.system,
      tools,
      messages,
    });
    const reply = await client.messages.create(body);
    expect(reply.stop_reason).toBe('max_tokens');
    expect(reply.usage.input_tokens).toBe(counted.input_tokens);

    const stream = client.messages.stream(body);
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text, citations: null }]);
    expect(final.usage.input_tokens).toBe(counted.input_tokens);

    const call = await client.messages.create({ ...body, max_tokens: 60, tool_choice: { type: 'any' } });
    expect(call.stop_reason).toBe('tool_use');
    const use = call.content.find((b) => b.type === 'tool_use');
    expect(use).toMatchObject({ type: 'tool_use', name: 'Read', input: { file_path: expect.any(String) } });

    await expect(client.messages.create({ ...body, model: 'claude-sonnet-4-6' })).rejects.toBeInstanceOf(
      Anthropic.NotFoundError,
    );
  });
});
