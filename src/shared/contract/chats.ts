import { z } from 'zod';
import { replyStatsSchema, samplingSchema } from './chat-types';
import { route } from './route';

export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  modelId: z.string().nullable(),
  systemPrompt: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  /** Messages form a tree: a regenerated or edited message is a sibling of the one it replaces. */
  parentId: z.string().nullable(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
  thought: z.string(),
  status: z.enum(['streaming', 'done', 'stopped', 'interrupted', 'error']),
  stats: z.union([replyStatsSchema.extend({ error: z.string().optional() }).partial(), z.null()]),
  createdAt: z.number(),
});

const id = z.string().min(1).max(100);

export const chatRoutes = {
  'chats.list': route({ input: z.object({}).strict().optional(), output: z.array(conversationSchema) }),
  'chats.create': route({
    input: z
      .object({
        title: z.string().max(200).optional(),
        modelId: z.string().max(1000).optional(),
        systemPrompt: z.string().max(100_000).optional(),
      })
      .strict(),
    output: conversationSchema,
  }),
  'chats.messages': route({
    input: z.object({ conversationId: id }).strict(),
    output: z.array(messageSchema),
  }),
  /** Adds a user message (under parentId: an edit branches) and starts the reply, which streams as chats.delta events. */
  'chats.send': route({
    input: z
      .object({
        conversationId: id,
        content: z.string().min(1).max(1_000_000),
        parentId: id.nullable().optional(),
        sampling: samplingSchema.partial().optional(),
      })
      .strict(),
    output: z.object({ user: messageSchema, reply: messageSchema }),
  }),
  'chats.regenerate': route({ input: z.object({ messageId: id }).strict(), output: messageSchema }),
  'chats.stop': route({
    input: z.object({ messageId: id }).strict(),
    output: z.object({ stopped: z.boolean() }),
  }),
  'chats.search': route({
    input: z.object({ query: z.string().min(1).max(500) }).strict(),
    output: z.array(z.object({ conversationId: z.string(), messageId: z.string(), snippet: z.string() })),
  }),
  'chats.delete': route({
    input: z.object({ conversationId: id }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
  'chats.restore': route({
    input: z.object({ conversationId: id }).strict(),
    output: z.object({ ok: z.literal(true) }),
  }),
};

export const chatEvents = {
  'chats.delta': z.object({ messageId: z.string(), text: z.string(), segment: z.enum(['text', 'thought']) }),
  /** A reply reached its end (done, stopped, error): the saved message. */
  'chats.message': messageSchema,
};
