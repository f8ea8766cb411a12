import { describe, expect, it } from 'vitest';
import { defaultParallel } from '../../../../src/main/api/model-load';
import { keepAliveMs, samplingFromOptions } from '../../../../src/main/api/ollama/translate';
import { chatRequestFrom } from '../../../../src/main/api/openai/translate';
import { chatCompletionSchema } from '../../../../src/main/api/openai/schemas';
import type { FitEstimate } from '../../../../src/shared/contract';

const chat = (body: object) => chatRequestFrom(chatCompletionSchema.parse(body));
const hello = [{ role: 'user', content: 'Hi' }];

describe('OpenAI requests to the engine', () => {
  it('maps sampling: stop as a string or list (empty ones dropped), penalties clamped, 64-bit seeds folded', () => {
    const request = chat({
      model: 'm',
      messages: [{ role: 'developer', content: 'Be brief' }, ...hello],
      max_completion_tokens: 9,
      max_tokens: 99,
      temperature: 0.2,
      top_p: 0.9,
      seed: -1,
      stop: ['', 'END'],
      presence_penalty: 1.5,
      frequency_penalty: -1,
    });
    expect(request.messages[0]).toEqual({ role: 'system', content: 'Be brief' });
    expect(request.sampling).toMatchObject({
      maxTokens: 9,
      temperature: 0.2,
      topP: 0.9,
      seed: 2 ** 32 - 1,
      stop: ['END'],
      presencePenalty: 1,
      frequencyPenalty: undefined,
    });
    expect(chat({ model: 'm', messages: hello, stop: '' }).sampling.stop).toEqual([]);
  });

  it('refuses n > 1, unlinked tool messages, images and a conversation that does not end with the user', () => {
    expect(() => chat({ model: 'm', messages: hello, n: 3 })).toThrow(/n: only n = 1/);
    expect(() => chat({ model: 'm', messages: [...hello, { role: 'tool', content: 'x' }] })).toThrow(
      /messages\.1\.tool_call_id/,
    );
    expect(() =>
      chat({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url' }] }] }),
    ).toThrow(/messages\.0\.content\.0/);
    expect(() => chat({ model: 'm', messages: [...hello, { role: 'assistant', content: 'Yo' }] })).toThrow(
      /last message must be from the user/,
    );
    expect(
      chat({
        model: 'm',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
      }).messages[0]!.content,
    ).toBe('a\nb');
  });
});

describe('Ollama options', () => {
  it('reads keep_alive as Go durations and seconds; negative means forever', () => {
    expect(keepAliveMs(undefined)).toBeUndefined();
    expect(keepAliveMs('5m')).toBe(300_000);
    expect(keepAliveMs('1h30m')).toBe(5_400_000);
    expect(keepAliveMs('250ms')).toBe(250);
    expect(keepAliveMs(0)).toBe(0);
    expect(keepAliveMs('0')).toBe(0);
    expect(keepAliveMs(30)).toBe(30_000);
    expect(keepAliveMs(-1)).toBe(-1);
    expect(keepAliveMs('-1m')).toBe(-1);
    for (const bad of ['soon', '5 m', 'm5', '5mm', ''])
      expect(() => keepAliveMs(bad), bad).toThrow(/keep_alive/);
  });

  it('maps num_predict (-1 means no limit), stop and the sampling knobs', () => {
    expect(samplingFromOptions({ num_predict: -1 }).maxTokens).toBe(131_072);
    expect(samplingFromOptions({ num_predict: 7, stop: ['', 'x'], seed: 3, top_k: 5 })).toMatchObject({
      maxTokens: 7,
      stop: ['x'],
      seed: 3,
      topK: 5,
      temperature: 0.8,
    });
  });
});

describe('parallel slots by default', () => {
  const side = (available: number, total: number, kv: number) => ({
    weightsBytes: 0,
    kvCacheBytes: kv,
    computeBytes: 0,
    headroomBytes: 1000,
    totalBytes: total,
    availableBytes: available,
  });
  const fit = (gpu: ReturnType<typeof side>, ram: ReturnType<typeof side>) =>
    ({ gpu, ram }) as unknown as FitEstimate;

  it('adds a sequence per KV cache the memory left beside the model holds, from 1 up to 4', () => {
    expect(defaultParallel(fit(side(0, 0, 0), side(100_000, 10_000, 20_000)))).toBe(4);
    expect(defaultParallel(fit(side(0, 0, 0), side(52_000, 10_000, 20_000)))).toBe(3);
    expect(defaultParallel(fit(side(0, 0, 0), side(11_000, 10_000, 20_000)))).toBe(1);
    // On the GPU side as well: the tighter side decides.
    expect(defaultParallel(fit(side(31_000, 10_000, 10_000), side(1e9, 0, 5)))).toBe(3);
    expect(defaultParallel(fit(side(5_000, 10_000, 10_000), side(1e9, 0, 5)))).toBe(1);
  });

  it('with several GPUs, lets the tightest GPU decide, not their sum', () => {
    // Together 30k is left of 40k (room for 3 more of the 10k KV), but GPU 1 has room for none.
    const roomy = side(31_000, 10_000, 5_000);
    const tight = side(11_500, 10_000, 5_000);
    const both = { ...fit(side(42_500, 20_000, 10_000), side(1e9, 0, 5)), devices: [roomy, tight] };
    expect(defaultParallel(both as unknown as FitEstimate)).toBe(1);
    expect(defaultParallel({ ...both, devices: [roomy, roomy] } as unknown as FitEstimate)).toBe(4);
  });
});
