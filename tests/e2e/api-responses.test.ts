import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qwenToolsTemplate } from '../fixtures/gguf';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

interface WireEvent {
  type: string;
  sequence_number: number;
  item?: { type: string; id: string; call_id?: string; name?: string; arguments?: string };
  response?: { id: string; status: string; usage: { input_tokens: number; output_tokens: number } | null };
}

/** Codex's shell tool, as it offers it (a function tool, strict off). */
const shell = {
  type: 'function',
  name: 'shell',
  description: 'Runs a shell command and returns its output.',
  strict: false,
  parameters: {
    type: 'object',
    properties: {
      command: { type: 'array', items: { type: 'string', maxLength: 8 }, maxItems: 3 },
      workdir: { type: 'string', maxLength: 8, description: 'The working directory' },
    },
    required: ['command'],
    additionalProperties: false,
  },
};

/**
 * One Codex-style exchange through the built `hearth serve`, read the way Codex reads the stream
 * (each SSE data line a JSON event with its type): a turn that calls the shell tool, then the turn
 * that sends the whole history back with the call's output, as a stateless client must.
 */
describe('Responses API through hearth serve, the way Codex CLI uses it', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;

  beforeAll(async () => {
    // endless: no byte tokens. Random weights otherwise write bytes that are not UTF-8 inside a
    // string; llama.cpp's grammar counts such a run as one character, node-llama-cpp's check of the
    // call counts each U+FFFD, and the call fails its maxLength (a fixture artifact: real models
    // write valid UTF-8). Sampling stays unseeded, as Codex sends it.
    writeTinyModel(
      join(dir.path, 'data', 'models'),
      { chatTemplate: qwenToolsTemplate, endless: true },
      'coder.gguf',
    );
    serve = await startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } });
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  const turn = async (body: object): Promise<WireEvent[]> => {
    const res = await fetch(new URL('/v1/responses', serve.url), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer local',
        Accept: 'text/event-stream',
      },
      body: JSON.stringify({
        model: 'coder.gguf',
        instructions: 'You are a coding agent running in a terminal.',
        tools: [shell],
        parallel_tool_calls: false,
        reasoning: { effort: 'medium', summary: 'auto' },
        store: false,
        stream: true,
        include: ['reasoning.encrypted_content'],
        prompt_cache_key: '6f1c2a7e-codex-session',
        ...body,
      }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    return text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as WireEvent);
  };

  it('streams a shell call, then answers the history that carries its output', async () => {
    const history: object[] = [
      {
        type: 'message',
        role: 'developer',
        content: [{ type: 'input_text', text: '<environment>cwd=/w</environment>' }],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List the files here.' }] },
    ];
    const first = await turn({ input: history, tool_choice: 'required', max_output_tokens: 80 });
    expect(first.map((e) => e.sequence_number)).toEqual(first.map((_, i) => i));
    expect(first[0]!.type).toBe('response.created');
    const completed = first.at(-1)!;
    expect(completed.type).toBe('response.completed');
    expect(completed.response!.usage!.input_tokens).toBeGreaterThan(20);
    const items = first.filter((e) => e.type === 'response.output_item.done').map((e) => e.item!);
    const call = items.find((i) => i.type === 'function_call')!;
    expect(call).toMatchObject({ name: 'shell' });
    expect(Array.isArray((JSON.parse(call.arguments!) as { command: unknown }).command)).toBe(true);

    const second = await turn({
      input: [
        ...history,
        ...items,
        { type: 'function_call_output', call_id: call.call_id, output: 'README.md\nsrc\n' },
      ],
      tool_choice: 'none',
      max_output_tokens: 8,
    });
    const end = second.at(-1)!;
    expect(['response.completed', 'response.incomplete']).toContain(end.type);
    expect(end.response!.id).not.toBe(completed.response!.id);
    expect(second.filter((e) => e.type === 'response.output_item.done').map((e) => e.item!.type)).toEqual([
      'message',
    ]);
    // The history with the call and its output is longer than the first prompt.
    expect(end.response!.usage!.input_tokens).toBeGreaterThan(completed.response!.usage!.input_tokens);
  });
});
