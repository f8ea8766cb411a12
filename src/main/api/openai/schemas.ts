import { z } from 'zod';

/** Request bodies as OpenAI documents them; fields Hearth has no use for (user, logprobs…) pass unread. */

const modelName = z.string().min(1).max(500);

/** A message's content: a string, or parts (only text ones are read; the translator says so). */
const content = z.union([
  z.string().max(1_000_000),
  z.array(z.object({ type: z.string().max(50), text: z.string().max(1_000_000).optional() })).max(1000),
  z.null(),
]);

/** OpenAI's rule for function names, which also keeps them safe inside a chat template. */
const functionName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a function name is 1 to 64 letters, digits, _ or -');

const toolCall = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('function'),
  function: z.object({ name: functionName, arguments: z.string().max(1_000_000) }),
});

const message = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: content.optional(),
  tool_calls: z.array(toolCall).max(128).nullable().optional(),
  tool_call_id: z.string().min(1).max(200).optional(),
});

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: functionName,
    description: z.string().max(100_000).optional(),
    // A JSON schema of the arguments; the translator checks it describes an object.
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

const toolChoice = z
  .union([
    z.enum(['auto', 'none', 'required']),
    z.object({ type: z.literal('function'), function: z.object({ name: functionName }) }),
  ])
  .optional();

const stop = z
  .union([z.string().max(200), z.array(z.string().max(200)).max(8)])
  .nullable()
  .optional();

/** Sampling fields both endpoints share. */
const sampling = {
  model: modelName,
  max_tokens: z.number().int().min(1).max(131_072).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  stop,
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  n: z.number().int().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  // llama.cpp-style extensions many local clients send.
  top_k: z.number().int().min(0).max(1000).optional(),
  min_p: z.number().min(0).max(1).optional(),
  repeat_penalty: z.number().min(0.5).max(2).optional(),
};

const responseFormat = z
  .union([
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({
      type: z.literal('json_schema'),
      json_schema: z.object({
        name: z.string().max(200).optional(),
        description: z.string().max(100_000).optional(),
        schema: z.record(z.string(), z.unknown()),
        // Hearth enforces every schema with a grammar, strict or not (and refuses what it cannot).
        strict: z.boolean().nullable().optional(),
      }),
    }),
  ])
  .nullable()
  .optional();

export const chatCompletionSchema = z.object({
  ...sampling,
  messages: z.array(message).min(1).max(10_000),
  max_completion_tokens: z.number().int().min(1).max(131_072).nullable().optional(),
  response_format: responseFormat,
  tools: z.array(tool).max(128).nullable().optional(),
  tool_choice: toolChoice,
  parallel_tool_calls: z.boolean().nullable().optional(),
});

export const completionSchema = z.object({
  ...sampling,
  prompt: z.union([z.string().max(4_000_000), z.array(z.string().max(4_000_000)).min(1).max(1)]),
  response_format: responseFormat,
});

export type ChatCompletionBody = z.output<typeof chatCompletionSchema>;
export type CompletionBody = z.output<typeof completionSchema>;
