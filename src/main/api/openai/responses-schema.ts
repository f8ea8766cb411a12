import { z } from 'zod';

/**
 * POST /v1/responses as OpenAI documents it. Fields Hearth has no use for (prompt_cache_key,
 * service_tier, safety_identifier…) pass unread; those it cannot honour are refused where read.
 */

const text = z.string().max(1_000_000);
/** OpenAI's rule for function names, which also keeps them safe inside a chat template. */
export const functionName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a function name is 1 to 64 letters, digits, _ or -');
const itemId = z.string().max(200);
const itemStatus = z.enum(['in_progress', 'completed', 'incomplete']).nullable().optional();

/** A content part: input_text/output_text carry text, refusal its refusal; others are refused when read. */
export const contentPart = z.object({
  type: z.string().max(50),
  text: text.optional(),
  refusal: text.optional(),
});

const content = z.union([text, z.array(contentPart).max(1000)]);

/** Items are checked in two steps: their type here, then the shape of that type (so errors name the field). */
export const inputItemHead = z.looseObject({ type: z.string().max(100).optional() });

export const messageItem = z.object({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content,
  id: itemId.optional(),
  status: itemStatus,
});

export const functionCallItem = z.object({
  type: z.literal('function_call'),
  call_id: z.string().min(1).max(200),
  name: functionName,
  arguments: text,
  id: itemId.optional(),
  status: itemStatus,
});

export const functionCallOutputItem = z.object({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1).max(200),
  output: content,
  id: itemId.nullable().optional(),
  status: itemStatus,
});

/** A reasoning item from an earlier turn: accepted, never fed back as answer text. */
export const reasoningItem = z.object({
  type: z.literal('reasoning'),
  id: itemId.optional(),
  summary: z.array(z.unknown()).max(1000).optional(),
  content: z.array(z.unknown()).max(1000).nullable().optional(),
  encrypted_content: z.string().max(1_000_000).nullable().optional(),
});

/** Function tools are read in full; any other type (built-in tools) is refused by name. */
export const toolHead = z.looseObject({ type: z.string().max(100) });

export const functionTool = z.object({
  type: z.literal('function'),
  name: functionName,
  description: z.string().max(100_000).nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
});

const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.object({ type: z.literal('function'), name: functionName }),
  // Hosted-tool and allowed_tools choices: refused by name when read.
  z.looseObject({ type: z.string().max(100) }),
]);

const format = z.union([
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    name: z.string().max(200).optional(),
    description: z.string().max(100_000).optional(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullable().optional(),
  }),
]);

export const responsesSchema = z.object({
  model: z.string().min(1).max(500),
  input: z.union([text, z.array(inputItemHead).min(1).max(10_000)]),
  instructions: text.nullable().optional(),
  tools: z.array(toolHead).max(128).nullable().optional(),
  tool_choice: toolChoice.nullable().optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  text: z
    .object({
      format: format.nullable().optional(),
      verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
    })
    .nullable()
    .optional(),
  max_output_tokens: z.number().int().min(1).max(131_072).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  // Accepted: nothing is ever stored, and the response says store: false.
  store: z.boolean().nullable().optional(),
  // Refused with a clear message: they name state Hearth does not keep.
  previous_response_id: z.string().max(500).nullable().optional(),
  conversation: z
    .union([z.string().max(500), z.looseObject({})])
    .nullable()
    .optional(),
  background: z.boolean().nullable().optional(),
  prompt: z.looseObject({}).nullable().optional(),
  reasoning: z
    .object({
      effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
      summary: z.string().max(50).nullable().optional(),
    })
    .nullable()
    .optional(),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= 16, 'at most 16 key-value pairs')
    .nullable()
    .optional(),
  user: z.string().max(500).nullable().optional(),
  truncation: z.enum(['auto', 'disabled']).nullable().optional(),
  include: z.array(z.string().max(100)).max(50).nullable().optional(),
  // llama.cpp-style extensions local clients send (not in OpenAI's reference).
  seed: z.number().int().nullable().optional(),
  top_k: z.number().int().min(0).max(1000).optional(),
  min_p: z.number().min(0).max(1).optional(),
  repeat_penalty: z.number().min(0.5).max(2).optional(),
});

export type ResponsesBody = z.output<typeof responsesSchema>;
export type FunctionToolBody = z.output<typeof functionTool>;
export type ContentPart = z.output<typeof contentPart>;
