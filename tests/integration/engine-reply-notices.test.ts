import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest, ChatResult } from '../../src/main/engine-process/protocol';
import { engineHosts } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

/** What a user sees of a reply: its text, or a notice that says why there is less or none. */
const visible = (reply: ChatResult): string => reply.text.trim() || reply.notice || '';

/**
 * A conversation of `turns` exchanges of `words` words each: what a chat looks like after a while,
 * sized to fill a chosen share of a small context.
 */
function conversation(turns: number, words: number, question: string): ChatRequest['messages'] {
  const messages: ChatRequest['messages'] = [];
  for (let i = 0; i < turns; i++)
    messages.push(
      { role: 'user', content: `Question ${i}: ${'tell me more '.repeat(words / 3)}` },
      { role: 'assistant', content: `Answer ${i}: ${'here is more '.repeat(words / 3)}` },
    );
  messages.push({ role: 'user', content: question });
  return messages;
}

describe('replies at the end of the context, and replies with nothing readable', () => {
  const dir = makeTempDir();
  const { newHost, stopAll } = engineHosts();
  let endless: string;
  let garbled: string;

  beforeAll(() => {
    endless = writeTinyModel(dir.path, { endless: true }, 'endless.gguf');
    garbled = writeTinyModel(dir.path, { garbled: true }, 'garbled.gguf');
  });
  afterAll(async () => {
    await stopAll();
    dir.cleanup();
  });

  it('writes text, or says why not, however full the context is', async () => {
    const host = newHost();
    await host.load({ modelPath: endless, contextSize: 512, gpuLayers: 0 });
    // From a nearly empty context to one with a few tokens left, each asking for far more than fits.
    for (const turns of [0, 2, 4, 6, 7, 8, 9, 10, 12]) {
      const reply = await host.chat({
        messages: conversation(turns, 15, `Last question after ${turns} turns`),
        sampling: { temperature: 0, seed: 7, maxTokens: 2048, stop: [] },
      });
      expect(reply.text.length, `${turns} turns`).toBeGreaterThan(0);
      expect(reply.stats.promptTokens + reply.stats.generatedTokens).toBeLessThanOrEqual(512);
      if (reply.stopReason === 'maxTokens')
        expect(reply.notice).toMatch(/stopped at the end of the 512-token/);
    }
  });

  it('keeps a chat of its own long replies readable turn after turn, as the context fills and older turns drop', async () => {
    const host = newHost();
    await host.load({ modelPath: endless, contextSize: 512, gpuLayers: 0 });
    const messages: ChatRequest['messages'] = [];
    for (let turn = 0; turn < 12; turn++) {
      messages.push({ role: 'user', content: `Question number ${turn}` });
      const reply = await host.chat({
        messages,
        sampling: { temperature: 0.7, seed: turn, maxTokens: 2048, stop: [] },
      });
      expect(visible(reply), `turn ${turn}`).not.toBe('');
      if (reply.text.trim() === '') expect(reply.notice).toMatch(/not readable text/);
      messages.push({ role: 'assistant', content: reply.text });
    }
  });

  it('never ends "done" with an empty reply: a model that writes only broken characters gets a notice', async () => {
    const host = newHost();
    await host.load({ modelPath: garbled, contextSize: 512, gpuLayers: 0 });
    const chunks: string[] = [];
    // Near the end of the context, as in the chat that came back empty, and in a fresh one.
    for (const messages of [conversation(8, 15, 'And now?'), conversation(0, 0, 'Hello')]) {
      const reply = await host.chat(
        { messages, sampling: { temperature: 0, maxTokens: 200, stop: [] } },
        (text) => chunks.push(text),
      );
      expect(reply.stats.generatedTokens).toBeGreaterThan(8);
      expect(reply.text).toBe('');
      expect(reply.notice).toMatch(/not readable text \(broken characters\), so there is nothing to show/);
      // The rate is over real time, not over the instant between a last empty chunk and the end.
      expect(reply.stats.generationTokensPerSecond).toBeLessThan(1e5);
    }
    expect(chunks.join('')).toBe('');
  });
});
