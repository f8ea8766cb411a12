import { z } from 'zod';

/** Request bodies as Ollama documents them; fields Hearth has no use for pass unread. */

const modelName = z.string().min(1).max(500);

/** Sampling options Hearth maps; others (mirostat, num_gpu…) are accepted and ignored. */
export const optionsSchema = z
  .object({
    temperature: z.number().min(0).max(5).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).max(1000).optional(),
    min_p: z.number().min(0).max(1).optional(),
    repeat_penalty: z.number().min(0.5).max(2).optional(),
    presence_penalty: z.number().min(-2).max(2).optional(),
    frequency_penalty: z.number().min(-2).max(2).optional(),
    seed: z.number().int().optional(),
    /** Tokens to generate: -1 (or -2) until the model stops or the context ends. */
    num_predict: z.number().int().min(-2).max(131_072).optional(),
    stop: z.array(z.string().max(200)).max(8).optional(),
  })
  .loose();

/** A Go duration ("5m", "1h30m", "-1") or a number of seconds; negative keeps the model loaded. */
const keepAlive = z.union([z.number(), z.string().max(40)]);

/** "json", a JSON schema, or nothing. */
const format = z.union([z.literal('json'), z.literal(''), z.record(z.string(), z.unknown())]);

const images = z.array(z.string()).max(0, 'images: this model reads text only').optional();

/** OpenAI's rule for function names, which also keeps them safe inside a chat template. */
const functionName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a function name is 1 to 64 letters, digits, _ or -');

/** A call as Ollama writes it: the arguments are an object, not JSON text; there is no id. */
const toolCall = z.object({
  function: z.object({
    index: z.number().int().min(0).optional(),
    name: functionName,
    arguments: z.record(z.string(), z.unknown()).default({}),
  }),
});

const tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: functionName,
    description: z.string().max(100_000).optional(),
    // A JSON schema of the arguments; the translator checks it describes an object.
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const chatSchema = z.object({
  model: modelName,
  /** None: only load the model (or, with keep_alive 0, unload it). */
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'user', 'assistant', 'tool']),
        // An assistant turn that only calls tools may come without content.
        content: z.string().max(1_000_000).default(''),
        images,
        tool_calls: z.array(toolCall).max(128).optional(),
        /** A tool message: the function whose result it is (Ollama has no call ids). */
        tool_name: z.string().max(200).optional(),
        tool_call_id: z.string().max(200).optional(),
      }),
    )
    .max(10_000)
    .optional(),
  tools: z.array(tool).max(128).optional(),
  stream: z.boolean().optional(),
  format: format.optional(),
  options: optionsSchema.optional(),
  keep_alive: keepAlive.optional(),
});

export const generateSchema = z.object({
  model: modelName,
  /** Empty: only load the model (or, with keep_alive 0, unload it). */
  prompt: z.string().max(4_000_000).optional(),
  system: z.string().max(1_000_000).optional(),
  /** Send the prompt as it is, without the chat template. */
  raw: z.boolean().optional(),
  stream: z.boolean().optional(),
  format: format.optional(),
  options: optionsSchema.optional(),
  keep_alive: keepAlive.optional(),
  images,
});

/** /api/show, /api/pull and /api/delete: `model`, or `name` as older clients send. */
export const namedSchema = z
  .object({
    model: modelName.optional(),
    name: modelName.optional(),
    stream: z.boolean().optional(),
    verbose: z.boolean().optional(),
    insecure: z.boolean().optional(),
  })
  .refine((body) => body.model !== undefined || body.name !== undefined, {
    message: 'model is required',
    path: ['model'],
  });

export type OllamaChatBody = z.output<typeof chatSchema>;
export type OllamaGenerateBody = z.output<typeof generateSchema>;
export type OllamaOptions = z.output<typeof optionsSchema>;
