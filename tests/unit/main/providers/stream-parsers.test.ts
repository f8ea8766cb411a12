import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../../src/main/services/providers/line-splitter';
import { OllamaStreamReader } from '../../../../src/main/services/providers/ollama-client';
import { OpenAiStreamReader } from '../../../../src/main/services/providers/openai-client';
import { ReplyClock } from '../../../../src/main/services/providers/provider-types';
import { SseParser } from '../../../../src/main/services/providers/sse-parser';

/** Feeds `bytes` split at `cut` (two chunks) and returns every line. */
function linesOf(bytes: Buffer, cut: number, max = 1 << 20): string[] {
  const splitter = new LineSplitter(max);
  return [...splitter.push(bytes.subarray(0, cut)), ...splitter.push(bytes.subarray(cut)), ...splitter.end()];
}

/** Every way to cut `bytes` in two, plus one byte at a time. */
function* everySplit(bytes: Buffer, max?: number): Generator<[string, string[]]> {
  for (let cut = 0; cut <= bytes.length; cut++) yield [`cut at ${cut}`, linesOf(bytes, cut, max)];
  const splitter = new LineSplitter(max ?? 1 << 20);
  const lines: string[] = [];
  for (const byte of bytes) lines.push(...splitter.push(Buffer.from([byte])));
  yield ['byte by byte', [...lines, ...splitter.end()]];
}

// A vLLM-style stream: reasoning, text with a multi-byte character, finish, usage, [DONE]; CRLF on one event.
const openAiStream = Buffer.from(
  [
    'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}',
    '',
    'data: {"id":"c1","choices":[{"index":0,"delta":{"reasoning_content":"hmm"},"finish_reason":null}]}',
    '',
    ': keep-alive comment',
    'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Crème "},"finish_reason":null}]}\r',
    '\r',
    'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"brûlée 🍮"},"finish_reason":"stop"}]}',
    '',
    'data: {"id":"c1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}',
    '',
    'data: [DONE]',
    '',
    '',
  ].join('\n'),
);

function readOpenAi(lines: string[]): OpenAiStreamReader {
  const reader = new OpenAiStreamReader(() => {}, new ReplyClock());
  const sse = new SseParser(1 << 20);
  for (const line of lines) {
    const event = sse.line(line);
    if (event) reader.event(event);
  }
  return reader;
}

describe('line splitting at every byte boundary', () => {
  it('gives the same lines however the bytes are cut, multi-byte characters and CRLF included', () => {
    const expected = openAiStream.toString('utf8').split(/\r\n|\n/);
    expected.pop(); // the final newline ends the last line; nothing follows it
    for (const [how, lines] of everySplit(openAiStream)) expect(lines, how).toEqual(expected);
  });

  it('treats a lone CR as a line end, and CRLF split across chunks as one', () => {
    expect(linesOf(Buffer.from('a\rb\r\nc\n'), 2)).toEqual(['a', 'b', 'c']);
    expect(linesOf(Buffer.from('a\r\n\r\nb'), 2)).toEqual(['a', '', 'b']);
  });

  it('refuses a line over the cap instead of holding it, even without a newline', () => {
    const splitter = new LineSplitter(16);
    expect(() => [...splitter.push(Buffer.alloc(10, 0x61))]).not.toThrow();
    expect(() => [...splitter.push(Buffer.alloc(10, 0x61))]).toThrow(/line over 16 bytes/);
    expect(() => linesOf(Buffer.from(`${'x'.repeat(40)}\n`), 5, 16)).toThrow(/line over 16 bytes/);
  });
});

describe('OpenAI-compatible SSE (vLLM, llama-server, Hearth)', () => {
  it('folds text, reasoning, finish and usage the same at every split', () => {
    for (const [how, lines] of everySplit(openAiStream)) {
      const reader = readOpenAi(lines);
      expect(reader.done, how).toBe(true);
      expect(reader.text, how).toBe('Crème brûlée 🍮');
      expect(reader.thought, how).toBe('hmm');
      const result = reader.result();
      expect(result.stopReason).toBe('eos');
      expect(result.stats.promptTokens).toBe(12);
      expect(result.stats.generatedTokens).toBe(5);
    }
  });

  it('joins multi-line data and reads finish_reason length as a cut reply', () => {
    const reader = readOpenAi([
      'data: {"choices":[{"delta":{"content":"a"},',
      'data: "finish_reason":"length"}]}',
      '',
    ]);
    expect(reader.text).toBe('a');
    expect(reader.result().stopReason).toBe('maxTokens');
    expect(reader.result().notice).toMatch(/length limit/);
  });

  it.each([
    [
      'OpenAI and llama-server',
      'data: {"error":{"code":500,"message":"context overflow","type":"server_error"}}',
    ],
    [
      'vLLM',
      'data: {"object":"error","message":"max_tokens is too large","type":"BadRequestError","param":null,"code":400}',
    ],
    ["llama-server's error: field", 'error: {"code":500,"message":"slot unavailable","type":"server_error"}'],
  ])('raises the error a server sends mid-stream (%s), keeping the text before it', (_name, line) => {
    const reader = new OpenAiStreamReader(() => {}, new ReplyClock());
    const sse = new SseParser(1 << 20);
    reader.event(sse.line('data: {"choices":[{"delta":{"content":"partial"}}]}') ?? sse.line('')!);
    expect(reader.text).toBe('partial');
    sse.line(line);
    expect(() => reader.event(sse.line('')!)).toThrow(/context overflow|too large|slot unavailable/);
    expect(reader.text).toBe('partial');
  });

  it('refuses malformed JSON with a clear error', () => {
    const reader = new OpenAiStreamReader(() => {}, new ReplyClock());
    expect(() => reader.event({ event: 'message', data: '{"choices": [' })).toThrow(/malformed event/);
    expect(() => reader.event({ event: 'message', data: '{"choices": "nope"}' })).toThrow(/unexpected event/);
  });

  it('caps the data one event may hold', () => {
    const sse = new SseParser(100);
    expect(() => {
      for (let i = 0; i < 20; i++) sse.line(`data: ${'x'.repeat(10)}`);
    }).toThrow(/event over 100 bytes/);
  });
});

// Ollama's /api/chat as it streams: thinking, content, a final line with counts.
const ollamaStream = Buffer.from(
  [
    '{"model":"qwen3:0.6b","created_at":"2025-06-01T10:00:00Z","message":{"role":"assistant","content":"","thinking":"Let me"},"done":false}',
    '{"model":"qwen3:0.6b","created_at":"2025-06-01T10:00:00Z","message":{"role":"assistant","content":"Grüß "},"done":false}',
    '{"model":"qwen3:0.6b","created_at":"2025-06-01T10:00:01Z","message":{"role":"assistant","content":"Gott"},"done":false}',
    '{"model":"qwen3:0.6b","created_at":"2025-06-01T10:00:01Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}',
    '',
  ].join('\n'),
);

describe('Ollama NDJSON', () => {
  it('folds the same reply at every split', () => {
    for (const [how, lines] of everySplit(ollamaStream)) {
      const reader = new OllamaStreamReader(() => {}, new ReplyClock());
      for (const line of lines) reader.line(line);
      expect(reader.done, how).toBe(true);
      expect(reader.text, how).toBe('Grüß Gott');
      expect(reader.thought, how).toBe('Let me');
      expect(reader.result().stats.generatedTokens).toBe(282);
      expect(reader.result().stats.promptTokens).toBe(26);
    }
  });

  it('raises an error line and a malformed line, keeping what came before', () => {
    const reader = new OllamaStreamReader(() => {}, new ReplyClock());
    reader.line('{"message":{"role":"assistant","content":"half"},"done":false}');
    expect(() => reader.line('{"error":"model runner has unexpectedly stopped"}')).toThrow(
      /unexpectedly stopped/,
    );
    expect(() => reader.line('{"message": {"content": "x"')).toThrow(/malformed line/);
    expect(reader.text).toBe('half');
    expect(reader.done).toBe(false);
  });
});
