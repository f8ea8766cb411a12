import { z } from 'zod';

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(1_000_000),
});

const samplingFields = {
  temperature: z.number().min(0).max(5),
  topP: z.number().min(0).max(1),
  topK: z.number().int().min(0).max(1000),
  minP: z.number().min(0).max(1),
  repeatPenalty: z.number().min(0.5).max(2),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  maxTokens: z.number().int().min(1).max(131_072),
  stop: z.array(z.string().min(1).max(200)).max(8),
  /** Thinking budget of a reasoning model: past it, the model must answer. */
  maxThoughtTokens: z.number().int().min(0).max(131_072),
};

export const samplingDefaults = { temperature: 0.7, maxTokens: 2048, stop: [] as string[] };

export const samplingSchema = z
  .object({
    ...samplingFields,
    temperature: samplingFields.temperature.default(samplingDefaults.temperature),
    topP: samplingFields.topP.optional(),
    topK: samplingFields.topK.optional(),
    minP: samplingFields.minP.optional(),
    repeatPenalty: samplingFields.repeatPenalty.optional(),
    seed: samplingFields.seed.optional(),
    maxTokens: samplingFields.maxTokens.default(samplingDefaults.maxTokens),
    stop: samplingFields.stop.default([]),
    maxThoughtTokens: samplingFields.maxThoughtTokens.optional(),
  })
  .strict();

/** Sampling set for one conversation or preset: only what differs from the defaults, none filled in. */
export const samplingOverridesSchema = z.object(samplingFields).partial().strict();

export const replyStatsSchema = z.object({
  /** From the request reaching the engine to the first generated token. */
  timeToFirstTokenMs: z.number(),
  promptTokens: z.number().int(),
  promptTokensPerSecond: z.number(),
  generatedTokens: z.number().int(),
  generationTokensPerSecond: z.number(),
  totalMs: z.number(),
});

export const chatResultSchema = z.object({
  text: z.string(),
  /** What a reasoning model thought before answering (DeepSeek-R1, QwQ, Qwen3), kept apart. */
  thought: z.string(),
  /**
   * Why the reply is not the whole story, never a silent cut: older messages left out to fit the
   * context, a reply stopped at its end, text the model wrote that could not be shown, or no text.
   */
  notice: z.string().nullable(),
  stopReason: z.enum(['eos', 'maxTokens', 'abort', 'stopString']),
  stats: replyStatsSchema,
});
