import { getLlama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardFirstLogitRead } from '../../src/main/engine-process/logit-read-guard';
import type { ChatRequest } from '../../src/main/engine-process/protocol';
import { engineHosts } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

/**
 * Replies generated side by side on one context must be the replies each would get alone.
 *
 * llama.cpp puts a multi-sequence batch's output rows back in order on the first logits read, without
 * a lock, and node-llama-cpp reads them for every sequence at once: without the engine's guard
 * (logit-read-guard.ts) a few of these replies in every hundred rounds wandered off into another
 * sequence's text. Greedy on the endless model (no end of turn, so each reply is 24 tokens): on this
 * CPU backend, without flash attention, a sequence's logits do not depend on what shares its batch,
 * nor, for prompts this short, on where the reused prefix ends. (From about 64 tokens in one batch
 * llama.cpp computes differently, by up to 0.3 nats on this fixture's large logits, which flips
 * near-tied greedy picks: longer prompts would make this test compare numerics, not isolation.)
 */
describe('parallel replies on one context', () => {
  const dir = makeTempDir();
  const { newHost, stopAll } = engineHosts();
  let endless: string;

  beforeAll(() => {
    endless = writeTinyModel(dir.path, { endless: true }, 'endless.gguf');
  });
  afterAll(async () => {
    await stopAll();
    dir.cleanup();
  });

  const request = (i: number): ChatRequest => ({
    messages: [{ role: 'user', content: `Tell story number ${i}, please.` }],
    sampling: { temperature: 0, maxTokens: 24, stop: [] },
  });

  it('finds the native methods it guards in this node-llama-cpp (an upgrade that renames them fails here)', async () => {
    const llama = await getLlama({ gpu: false });
    const model = await llama.loadModel({ modelPath: endless });
    const context = await model.createContext({ contextSize: 256, sequences: 2, threads: 1 });
    try {
      expect(guardFirstLogitRead(context)).toBe(true);
      // Still a working context: a reply through the guarded methods.
      const sequence = context.getSequence();
      const tokens = model.tokenize('Hello there');
      const [next] = await sequence
        .controlledEvaluate([...tokens.slice(0, -1), [tokens.at(-1)!, { generateNext: { token: true } }]])
        .then((out) => out.filter(Boolean).map((o) => o!.next.token));
      expect(typeof next).toBe('number');
    } finally {
      await context.dispose();
      await model.dispose();
    }
  });

  it('each of 8 concurrent replies on 4 sequences equals its solo reply, round after round', async () => {
    const host = newHost();
    await host.load({ modelPath: endless, contextSize: 1024, gpuLayers: 0, threads: 1, parallel: 4 });
    const solo: string[] = [];
    for (let i = 0; i < 8; i++) solo.push((await host.chat(request(i))).text);
    expect(new Set(solo).size).toBeGreaterThan(4);
    const wrong: string[] = [];
    for (let round = 0; round < 60; round++) {
      const together = await Promise.all(solo.map((_, i) => host.chat(request(i))));
      together.forEach((reply, i) => {
        if (reply.text !== solo[i]) wrong.push(`round ${round}, story ${i}: ${JSON.stringify(reply.text)}`);
      });
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
