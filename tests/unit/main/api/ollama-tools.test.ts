import { describe, expect, it } from 'vitest';
import { ollamaMessagesFrom, ToolCallLines } from '../../../../src/main/api/ollama/tools';

const ref = (index: number, name = 'get_weather') => ({ index, name, id: `call_${index}` });

describe('Ollama tool calls', () => {
  it('pairs tool results with the calls before them by name, then by order, and keeps strays', () => {
    const messages = ollamaMessagesFrom([
      { role: 'user', content: 'Weather and time?' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { function: { name: 'get_weather', arguments: { city: 'Paris' } } },
          { function: { name: 'get_time', arguments: {} } },
        ],
      },
      { role: 'tool', content: '12:00', tool_name: 'get_time' },
      { role: 'tool', content: 'sunny' },
      { role: 'tool', content: 'late', tool_name: 'get_time' },
    ]);
    const calls = messages[1]!.toolCalls!;
    expect(calls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_time', {}],
    ]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(messages[2]).toMatchObject({ role: 'tool', content: '12:00', toolCallId: calls[1]!.id });
    expect(messages[3]).toMatchObject({ role: 'tool', content: 'sunny', toolCallId: calls[0]!.id });
    // Both calls are answered: the third result names no open call and stays as text.
    expect(calls.map((c) => c.id)).not.toContain(messages[4]!.toolCallId);
  });

  it('sends each streamed call once, whole, in the piece that completes it', () => {
    const lines = new ToolCallLines();
    expect(lines.piece('{"city": "Pa', ref(0))).toBeUndefined();
    expect(lines.piece('ris", "n": {"a": 1}', ref(0))).toBeUndefined();
    expect(lines.piece('}', ref(0))).toEqual({
      function: { index: 0, name: 'get_weather', arguments: { city: 'Paris', n: { a: 1 } } },
    });
    expect(lines.piece('{}', ref(1, 'get_time'))).toEqual({
      function: { index: 1, name: 'get_time', arguments: {} },
    });
    expect(lines.piece('{"x": "}', ref(2, 'f'))).toBeUndefined();
    const rest = lines.rest([
      { id: 'a', name: 'get_weather', arguments: '{"city": "Paris", "n": {"a": 1}}' },
      { id: 'b', name: 'get_time', arguments: '{}' },
      { id: 'c', name: 'f', arguments: '{"x": "}"}' },
    ]);
    expect(rest).toEqual([{ function: { index: 2, name: 'f', arguments: { x: '}' } } }]);
  });
});
