import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest, ToolCallRef, ToolDefinition } from '../../src/main/engine-process/protocol';
import type { EngineHost } from '../../src/main/services/engine/engine-host';
import { engineHosts } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

const weather: ToolDefinition = {
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: {
    type: 'object',
    // Bounded, so random weights finish the call within maxTokens.
    properties: {
      city: { type: 'string', maxLength: 12 },
      days: { type: 'integer', minimum: 1, maximum: 7 },
    },
    required: ['city', 'days'],
  },
};
const clock: ToolDefinition = { name: 'get_time', description: 'The time now' };

const sampling = { temperature: 0, maxTokens: 120, stop: [] };

describe('engine tool calls (random weights: forced through the grammar)', () => {
  const dir = makeTempDir();
  const { newHost, stopAll } = engineHosts();
  let host: EngineHost;

  beforeAll(async () => {
    host = newHost();
    await host.load({ modelPath: writeTinyModel(dir.path), contextSize: 2048, gpuLayers: 0 });
  }, 60_000);
  afterAll(async () => {
    await stopAll();
    dir.cleanup();
  });

  it('returns a named call with schema-valid JSON arguments, streamed piece by piece', async () => {
    const pieces: { text: string; call: ToolCallRef | undefined }[] = [];
    const request: ChatRequest = {
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      sampling,
      tools: [weather, clock],
      toolChoice: { name: 'get_weather' },
    };
    const reply = await host.chat(request, (text, segment, call) => {
      if (segment === 'toolCall') pieces.push({ text, call });
    });
    expect(reply.stopReason).toBe('toolCalls');
    expect(reply.notice).toBeNull();
    expect(reply.toolCalls).toHaveLength(1);
    const [call] = reply.toolCalls ?? [];
    expect(call).toMatchObject({ name: 'get_weather', id: expect.stringMatching(/^call_/) });
    const args = JSON.parse(call!.arguments) as Record<string, unknown>;
    expect(typeof args.city).toBe('string');
    expect(Number.isInteger(args.days)).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map((p) => p.text).join('')).toBe(call!.arguments);
    expect(pieces.every((p) => p.call?.id === call!.id && p.call.index === 0)).toBe(true);
  });

  it('forces some call with "required", a call without parameters included', async () => {
    const reply = await host.chat({
      messages: [{ role: 'user', content: 'What time is it?' }],
      sampling,
      tools: [clock],
      toolChoice: 'required',
    });
    expect(reply.stopReason).toBe('toolCalls');
    expect(reply.toolCalls?.[0]).toMatchObject({ name: 'get_time', arguments: '{}' });
  });

  it('lets the model choose with "auto": a reply, text or calls, never an error', async () => {
    const reply = await host.chat({
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      sampling: { ...sampling, maxTokens: 16 },
      tools: [weather, clock],
    });
    expect(['eos', 'maxTokens', 'toolCalls']).toContain(reply.stopReason);
    expect(reply.stats.promptTokens).toBeGreaterThan(10);
  });

  it('answers after the tool result, rendered into the history', async () => {
    const reply = await host.chat({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris","days":1}' }],
        },
        { role: 'tool', content: '{"sky":"clear"}', toolCallId: 'call_1' },
      ],
      sampling: { ...sampling, maxTokens: 8 },
      tools: [weather],
      toolChoice: 'none',
    });
    expect(reply.toolCalls).toBeUndefined();
    expect(['eos', 'maxTokens']).toContain(reply.stopReason);
    expect(reply.stats.promptTokens).toBeGreaterThan(10);
  });

  it('writes integer arguments as whole numbers, sampled reply after reply (never 5e-1)', async () => {
    const reading: ToolDefinition = {
      name: 'log_reading',
      parameters: {
        type: 'object',
        // Numbers only: the grammar bounds them (16 digits), so every reply is a whole call.
        properties: { count: { type: 'integer' }, level: { type: 'number' } },
        required: ['count', 'level'],
      },
    };
    // Before the grammar was mended, about one in six of these failed "Expected type integer".
    for (let seed = 0; seed < 24; seed++) {
      const reply = await host.chat({
        messages: [{ role: 'user', content: 'Log a reading.' }],
        sampling: { temperature: 1, seed, maxTokens: 120, stop: [] },
        tools: [reading],
        toolChoice: 'required',
      });
      const args = JSON.parse(reply.toolCalls![0]!.arguments) as { count: unknown; level: unknown };
      expect(Number.isInteger(args.count), `seed ${seed}: ${JSON.stringify(args)}`).toBe(true);
      expect(typeof args.level).toBe('number');
    }
  });
});
