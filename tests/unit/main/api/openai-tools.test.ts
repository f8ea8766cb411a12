import { describe, expect, it } from 'vitest';
import { chatCompletionSchema } from '../../../../src/main/api/openai/schemas';
import { toolCallDelta } from '../../../../src/main/api/openai/tool-calls-out';
import { chatRequestFrom, finishReason } from '../../../../src/main/api/openai/translate';
import type { ChatResult } from '../../../../src/main/engine-process/protocol';
import { toolHistory, usesTools } from '../../../../src/main/engine-process/tool-history';

const chat = (body: object) => chatRequestFrom(chatCompletionSchema.parse(body));
const hello = [{ role: 'user', content: 'Weather?' }];
const weather = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('OpenAI tool calling to the engine', () => {
  it('maps tools, tool_choice and a round of calls and results', () => {
    const request = chat({
      model: 'm',
      tools: [weather],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      messages: [
        ...hello,
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'rain' },
      ],
    });
    expect(request.tools).toEqual([{ name: 'get_weather', parameters: weather.function.parameters }]);
    expect(request.toolChoice).toEqual({ name: 'get_weather' });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.messages[1]).toMatchObject({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'c1', name: 'get_weather', arguments: '{"city":"Oslo"}' }],
    });
    expect(request.messages[2]).toEqual({ role: 'tool', content: 'rain', toolCallId: 'c1' });
    expect(chat({ model: 'm', tools: [weather], messages: hello }).toolChoice).toBe('auto');
  });

  it('refuses bad tools naming the field', () => {
    const bad = (body: object) => () => chat({ model: 'm', messages: hello, ...body });
    expect(bad({ tools: [weather, weather] })).toThrow(
      /tools\.1\.function\.name: "get_weather" is offered twice/,
    );
    expect(
      bad({ tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'array' } } }] }),
    ).toThrow(/tools\.0\.function\.parameters/);
    expect(() =>
      chatCompletionSchema.parse({
        model: 'm',
        messages: hello,
        tools: [{ type: 'function', function: { name: 'a b' } }],
      }),
    ).toThrow(/name/);
    expect(bad({ tool_choice: 'required' })).toThrow(/tool_choice: .*no tools are offered/);
    expect(bad({ tools: [weather], tool_choice: { type: 'function', function: { name: 'x' } } })).toThrow(
      /tool_choice: no offered tool is named "x"/,
    );
    expect(bad({ tools: [weather], response_format: { type: 'json_object' } })).toThrow(/response_format/);
  });

  it('says tool_calls when the reply is calls', () => {
    expect(finishReason({ stopReason: 'toolCalls' } as ChatResult)).toBe('tool_calls');
  });

  it('streams a call as a first delta with id, type and name, then argument pieces only', () => {
    const started = new Set<number>();
    const call = { index: 0, id: 'call_x', name: 'f' };
    expect(toolCallDelta('{"a"', call, started)).toEqual({
      index: 0,
      id: 'call_x',
      type: 'function',
      function: { name: 'f', arguments: '{"a"' },
    });
    expect(toolCallDelta(':1}', call, started)).toEqual({ index: 0, function: { arguments: ':1}' } });
  });
});

describe('tool history for the chat template', () => {
  it('puts each result on its call, and continues the model turn after the results', () => {
    const history = toolHistory([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'U' },
      {
        role: 'assistant',
        content: 'Checking.',
        toolCalls: [
          { id: 'a', name: 'f', arguments: '{"x":1}' },
          { id: 'b', name: 'g', arguments: 'not json' },
        ],
      },
      { role: 'tool', content: 'ra', toolCallId: 'a' },
      { role: 'tool', content: 'stray', toolCallId: 'zzz' },
    ]);
    expect(history).toEqual([
      { type: 'system', text: 'S' },
      { type: 'user', text: 'U' },
      {
        type: 'model',
        response: [
          'Checking.',
          { type: 'functionCall', name: 'f', params: { x: 1 }, result: 'ra' },
          { type: 'functionCall', name: 'g', params: 'not json', result: '' },
        ],
      },
      { type: 'user', text: 'stray' },
      { type: 'model', response: [] },
    ]);
    expect(toolHistory([{ role: 'user', content: 'U' }]).at(-1)).toEqual({ type: 'model', response: [] });
    expect(usesTools({ messages: [{ role: 'user', content: 'U' }] })).toBe(false);
    expect(usesTools({ messages: [{ role: 'tool', content: 'r', toolCallId: 'a' }] })).toBe(true);
  });
});
