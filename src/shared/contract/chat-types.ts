import { z } from 'zod';

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(1_000_000),
});

export const samplingSchema = z
  .object({
    temperature: z.number().min(0).max(5).default(0.7),
    topP: z.number().min(0).max(1).optional(),
    topK: z.number().int().min(0).max(1000).optional(),
    minP: z.number().min(0).max(1).optional(),
    repeatPenalty: z.number().min(0.5).max(2).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
    maxTokens: z.number().int().min(1).max(131_072).default(2048),
    stop: z.array(z.string().min(1).max(200)).max(8).default([]),
  })
  .strict();

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
  /** Set when older messages were left out so the conversation fits the context: never a silent cut. */
  contextNotice: z.string().nullable(),
  stopReason: z.enum(['eos', 'maxTokens', 'abort', 'stopString']),
  stats: replyStatsSchema,
});
