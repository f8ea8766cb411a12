import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../src/main/engine-process/protocol';
import { engineHosts } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

const ask = (content: string, sampling: Partial<ChatRequest['sampling']> = {}): ChatRequest => ({
  messages: [{ role: 'user', content }],
  sampling: { temperature: 0, maxTokens: 12, stop: [], ...sampling },
});

describe('engine process with real node-llama-cpp', () => {
  const dir = makeTempDir();
  let modelPath: string;
  const { newHost, stopAll } = engineHosts();

  beforeAll(() => {
    modelPath = writeTinyModel(dir.path);
  });
  afterAll(async () => {
    await stopAll();
    dir.cleanup();
  });

  it('loads a generated model and answers, streaming chunks, with stats', async () => {
    const progress: number[] = [];
    const host = newHost({ onLoadProgress: (p) => progress.push(p) });
    const loaded = await host.load({ modelPath, contextSize: 1024, gpuLayers: 0 });
    expect(loaded).toMatchObject({ modelPath, contextSize: 1024, gpuLayers: 0 });
    expect(progress.at(-1)).toBe(1);
    const chunks: string[] = [];
    const reply = await host.chat(ask('Hello, how are you?'), (t) => chunks.push(t));
    expect(reply.text.length).toBeGreaterThan(0);
    expect(chunks.join('')).toBe(reply.text);
    expect(['eos', 'maxTokens']).toContain(reply.stopReason);
    expect(reply.stats.generatedTokens).toBeGreaterThan(0);
    expect(reply.stats.promptTokens).toBeGreaterThan(5);
    expect(reply.stats.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(reply.stats.generationTokensPerSecond).toBeGreaterThan(0);
  });

  it('gives the same text for the same seed, and follows a multi-turn history', async () => {
    const host = newHost();
    await host.load({ modelPath, contextSize: 2048, gpuLayers: 0 });
    const a = await host.chat(ask('Tell me something', { temperature: 0.9, seed: 1234 }));
    const b = await host.chat(ask('Tell me something', { temperature: 0.9, seed: 1234 }));
    expect(b.text).toBe(a.text);
    const history: ChatRequest = {
      messages: [
        { role: 'system', content: 'You are a test.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: a.text },
        { role: 'user', content: 'And then?' },
      ],
      sampling: { temperature: 0, maxTokens: 8, stop: [] },
    };
    const next = await host.chat(history);
    expect(next.stats.promptTokens).toBeGreaterThan(0);
  });

  it('stops mid-reply keeping the partial text (stop reason abort)', async () => {
    const host = newHost();
    await host.load({ modelPath, contextSize: 4096, gpuLayers: 0 });
    const controller = new AbortController();
    let streamed = '';
    const reply = await host.chat(
      ask('Tell me a long story', { maxTokens: 3000 }),
      (t) => {
        streamed += t;
        if (streamed.length > 20) controller.abort();
      },
      controller.signal,
    );
    expect(reply.stopReason).toBe('abort');
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.stats.generatedTokens).toBeLessThan(3000);
  });

  it('constrains a reply to a JSON schema', async () => {
    const host = newHost();
    await host.load({ modelPath, contextSize: 2048, gpuLayers: 0 });
    const reply = await host.chat({
      ...ask('Give me a person as JSON', { maxTokens: 200 }),
      // Finite values only: a random model could otherwise write one string forever.
      jsonSchema: {
        type: 'object',
        properties: { mood: { enum: ['happy', 'sad'] }, ok: { type: 'boolean' } },
        required: ['mood', 'ok'],
      },
    });
    const parsed = JSON.parse(reply.text) as { mood: unknown; ok: unknown };
    expect(['happy', 'sad']).toContain(parsed.mood);
    expect(typeof parsed.ok).toBe('boolean');
  });

  it('leaves out the oldest turns with a notice when the conversation outgrows the context, and refuses a message too long alone', async () => {
    const host = newHost();
    await host.load({ modelPath, contextSize: 256, gpuLayers: 0 });
    const long = 'hello world '.repeat(20);
    const messages: ChatRequest['messages'] = [{ role: 'system', content: 'Be brief.' }];
    for (let i = 0; i < 6; i++)
      messages.push({ role: 'user', content: `${long} ${i}` }, { role: 'assistant', content: long });
    messages.push({ role: 'user', content: 'Last question' });
    const reply = await host.chat({ messages, sampling: { temperature: 0, maxTokens: 8, stop: [] } });
    expect(reply.notice).toMatch(
      /\d+ older messages were left out so the conversation fits the 256-token context/,
    );
    expect(reply.stats.promptTokens).toBeLessThanOrEqual(256);
    const fresh = await host.chat(ask('Short question', { maxTokens: 4 }));
    expect(fresh.notice).toBeNull();
    await expect(host.chat(ask('word '.repeat(400), { maxTokens: 4 }))).rejects.toMatchObject({
      message: expect.stringMatching(/too long for this model's context/),
    });
  });

  it('stops a reply at the end of the context, saying so, instead of shifting it away', async () => {
    const endless = writeTinyModel(dir.path, { endless: true }, 'endless-ctx.gguf');
    const host = newHost();
    await host.load({ modelPath: endless, contextSize: 256, gpuLayers: 0 });
    const chunks: string[] = [];
    const reply = await host.chat(ask('Tell me everything', { maxTokens: 1000 }), (t) => chunks.push(t));
    expect(reply.stopReason).toBe('maxTokens');
    expect(reply.notice).toMatch(/stopped at the end of the 256-token context/);
    expect(reply.stats.generatedTokens).toBeLessThan(256);
    expect(reply.text.length).toBeGreaterThan(0);
    expect(chunks.join('')).toBe(reply.text);
  });

  it('serves 4 concurrent requests on 2 sequences', async () => {
    const host = newHost();
    await host.load({ modelPath, contextSize: 1024, gpuLayers: 0, parallel: 2 });
    const replies = await Promise.all(
      [1, 2, 3, 4].map((i) => host.chat(ask(`Question ${i}`, { maxTokens: 6 }))),
    );
    for (const reply of replies) expect(reply.stats.generatedTokens).toBeGreaterThan(0);
  });

  it('survives SIGKILL during a reply: it fails clearly, the next one works after a restart', async () => {
    const host = newHost();
    await host.load({ modelPath, contextSize: 4096, gpuLayers: 0 });
    const firstPid = host.pid;
    let killed = false;
    const inFlight = host.chat(ask('Tell me a long story', { maxTokens: 3000 }), () => {
      if (!killed && firstPid) {
        killed = true;
        process.kill(firstPid, 'SIGKILL');
      }
    });
    await expect(inFlight).rejects.toMatchObject({ code: 'ENGINE_CRASHED' });
    const reply = await host.chat(ask('Hello again', { maxTokens: 8 }));
    expect(reply.stats.generatedTokens).toBeGreaterThan(0);
    expect(host.pid).not.toBe(firstPid);
    expect(host.restartCount).toBe(1);
  });

  it("returns a reasoning model's thinking as a separate segment, and answers once its budget is spent", async () => {
    // A ChatML fine-tune that thinks: the template opens <think>, which node-llama-cpp alone reads as plain ChatML.
    const thinking = writeTinyModel(
      dir.path,
      {
        thinkTokens: true,
        endless: true,
        chatTemplate:
          "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
          "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n<think>\\n' }}{% endif %}",
      },
      'thinking.gguf',
    );
    const host = newHost();
    await host.load({ modelPath: thinking, contextSize: 1024, gpuLayers: 0 });
    const segments: { text: string; segment: string }[] = [];
    const reply = await host.chat(
      ask('Why is the sky blue?', { maxTokens: 40, maxThoughtTokens: 10 }),
      (text, segment) => segments.push({ text, segment }),
    );
    expect(reply.thought.trim().length).toBeGreaterThan(0);
    expect(reply.text.trim().length).toBeGreaterThan(0);
    expect(reply.text).not.toContain('<think>');
    expect(reply.thought).not.toContain('</think>');
    // Streamed in order: thinking first, then the answer, each chunk marked.
    const kinds = segments.map((s) => s.segment).filter((k, i, all) => k !== all[i - 1]);
    expect(kinds).toEqual(['thought', 'text']);
    expect(
      segments
        .filter((s) => s.segment === 'thought')
        .map((s) => s.text)
        .join(''),
    ).toBe(reply.thought);
    expect(
      segments
        .filter((s) => s.segment === 'text')
        .map((s) => s.text)
        .join(''),
    ).toBe(reply.text);
  });

  it('gives up on a load that takes too long, and loads fine afterwards', async () => {
    const host = newHost({ loadTimeoutMs: 1 });
    await expect(host.load({ modelPath, contextSize: 512, gpuLayers: 0 })).rejects.toMatchObject({
      code: 'ENGINE_TIMEOUT',
    });
    await expect(newHost().load({ modelPath, contextSize: 512, gpuLayers: 0 })).resolves.toMatchObject({
      modelPath,
    });
  });

  it('reports a file that is not a model as an engine error, and stays usable', async () => {
    const host = newHost();
    await expect(
      host.load({ modelPath: `${dir.path}/missing.gguf`, contextSize: 512, gpuLayers: 0 }),
    ).rejects.toMatchObject({ code: 'ENGINE_ERROR' });
    await expect(host.load({ modelPath, contextSize: 512, gpuLayers: 0 })).resolves.toMatchObject({
      modelPath,
    });
  });

  it('stops the process cleanly', async () => {
    const host = newHost();
    await host.load({ modelPath, contextSize: 512, gpuLayers: 0 });
    const pid = host.pid!;
    await host.stop();
    expect(host.state).toBe('stopped');
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
