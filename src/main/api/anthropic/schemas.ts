import { z } from 'zod';

/**
 * Request bodies of Anthropic's Messages API as its reference and SDK document them. Fields Hearth
 * has no use for (metadata, service_tier, cache_control, context_management, container…) and
 * fields newer clients add pass unread: z.object drops keys it does not name, so a new Claude
 * Code never breaks on an old Hearth.
 */

const longText = z.string().max(4_000_000);

const textBlock = z.object({ type: z.literal('text'), text: longText });

/**
 * Content as a string or as blocks, read as blocks: a string is one text block. (A zod union of the
 * two would answer a bad block with a bare "Invalid input" instead of naming the block.)
 */
const textOrBlocks = <T extends z.ZodType>(blocks: T, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? [{ type: 'text', text: value }] : value),
    z.array(blocks).max(max),
  );

/** Refused by the translator with a clear message; their payload is never read. */
const imageBlock = z.object({ type: z.literal('image') });
const documentBlock = z.object({ type: z.literal('document') });

const toolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  input: z.unknown(),
});

/** A search hit a tool (or the client) hands the model: read as its text. */
const searchResultBlock = z.object({
  type: z.literal('search_result'),
  source: z.string().max(10_000),
  title: z.string().max(10_000),
  content: z.array(textBlock).max(1000),
});

/**
 * A deferred tool a search found (Claude Code's ToolSearch answers with these): Hearth documents
 * every offered tool from the start, so the reference only tells the model the tool is there.
 */
const toolReferenceBlock = z.object({ type: z.literal('tool_reference'), tool_name: z.string().max(200) });

/** A tool result's own content: text, search hits, tool references, images and documents (left out). */
const resultPart = z.discriminatedUnion(
  'type',
  [textBlock, imageBlock, documentBlock, searchResultBlock, toolReferenceBlock],
  { error: (issue) => unknownBlock(issue.input) },
);

const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1).max(200),
  content: textOrBlocks(resultPart, 1000).optional(),
  is_error: z.boolean().optional(),
});

/** Thinking from an earlier turn, sent back as the SDK keeps it: accepted, and not rendered again. */
const thinkingBlock = z.object({
  type: z.literal('thinking'),
  thinking: longText,
  signature: z.string().max(100_000).optional(),
});
const redactedThinkingBlock = z.object({ type: z.literal('redacted_thinking'), data: longText });

/** "messages.0.content.1.type: content blocks of type "x" are not supported" rather than zod's "Invalid input". */
function unknownBlock(input: unknown): string | undefined {
  const type = typeof input === 'object' && input !== null ? (input as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') return 'a content block needs a "type"';
  return `content blocks of type "${type.slice(0, 100)}" are not supported (Hearth reads text, tool_use, tool_result, search_result and thinking blocks)`;
}

const contentBlock = z.discriminatedUnion(
  'type',
  [
    textBlock,
    imageBlock,
    documentBlock,
    searchResultBlock,
    toolUseBlock,
    toolResultBlock,
    thinkingBlock,
    redactedThinkingBlock,
  ],
  { error: (issue) => unknownBlock(issue.input) },
);

const message = z.object({
  // "system" mid-conversation: the SDK's SystemMessageParam.
  role: z.enum(['user', 'assistant', 'system']),
  content: textOrBlocks(contentBlock, 2000),
});

const system = textOrBlocks(textBlock, 1000).optional();

/** A tool as the client offers it; a `type` other than custom is one of Anthropic's own tools. */
const tool = z.object({
  type: z.string().max(100).nullable().optional(),
  name: z.string().min(1).max(200),
  description: z.string().max(100_000).optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
});

const toolChoice = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({
    type: z.literal('tool'),
    name: z.string().min(1).max(200),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.object({ type: z.literal('none') }),
]);

/** enabled (with a budget), disabled, and the newer kinds (adaptive…), which leave the model its way. */
const thinking = z.object({
  type: z.string().max(50),
  budget_tokens: z.number().int().min(1).optional(),
});

const outputConfig = z.object({
  format: z
    .object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
    .nullable()
    .optional(),
});

/** What a request and its token count share: the conversation, the system prompt, the tools. */
const conversation = {
  model: z.string().min(1).max(500),
  system,
  messages: z.array(message).min(1).max(100_000),
  tools: z.array(tool).max(1000).optional(),
  tool_choice: toolChoice.optional(),
  thinking: thinking.optional(),
};

export const messagesSchema = z.object({
  ...conversation,
  // 0: fill the prompt cache without a reply (Anthropic's cache pre-warming).
  max_tokens: z.number().int().min(0).max(10_000_000),
  stop_sequences: z.array(z.string().max(1000)).max(64).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).max(1000).optional(),
  stream: z.boolean().optional(),
  output_config: outputConfig.optional(),
});

export const countTokensSchema = z.object(conversation);

export type MessagesBody = z.output<typeof messagesSchema>;
export type CountTokensBody = z.output<typeof countTokensSchema>;
export type ConversationBody = Pick<MessagesBody, keyof typeof conversation>;
export type ContentBlock = z.output<typeof contentBlock>;
export type MessageParam = z.output<typeof message>;
