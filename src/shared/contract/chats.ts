import { z } from 'zod';
import { replyStatsSchema, samplingOverridesSchema } from './chat-types';
import { route } from './route';

export const conversationParamsSchema = samplingOverridesSchema;

export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  modelId: z.string().nullable(),
  /** Which machine answers (a provider id); null is this machine. */
  providerId: z.string().nullable(),
  systemPrompt: z.string().nullable(),
  params: conversationParamsSchema,
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const presetSchema = z.object({
  id: z.string(),
  name: z.string(),
  systemPrompt: z.string().nullable(),
  params: conversationParamsSchema,
  createdAt: z.number(),
});

/** A conversation as a file: the whole tree, so every branch survives an export and import. */
export const conversationExportSchema = z.object({
  format: z.literal('hearth-conversation'),
  version: z.literal(1),
  conversation: z.object({
    title: z.string().max(200),
    modelId: z.string().max(1000).nullable(),
    /** The provider that answered (null or absent: the machine that exported it). */
    providerId: z.string().max(200).nullable().default(null),
    systemPrompt: z.string().max(100_000).nullable(),
    params: conversationParamsSchema,
    createdAt: z.number(),
    updatedAt: z.number(),
  }),
  messages: z
    .array(
      z.object({
        id: z.string().min(1).max(100),
        parentId: z.string().min(1).max(100).nullable(),
        role: z.enum(['system', 'user', 'assistant']),
        content: z.string().max(1_000_000),
        thought: z.string().max(1_000_000).default(''),
        status: z.enum(['streaming', 'done', 'stopped', 'interrupted', 'error']),
        stats: z.record(z.string(), z.unknown()).nullable().default(null),
        createdAt: z.number(),
      }),
    )
    .max(100_000),
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
  stats: z.union([
    replyStatsSchema.extend({ error: z.string().optional(), notice: z.string().optional() }).partial(),
    z.null(),
  ]),
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
        providerId: z.string().min(1).max(100).nullable().optional(),
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
        sampling: samplingOverridesSchema.optional(),
      })
      .strict(),
    output: z.object({ user: messageSchema, reply: messageSchema }),
  }),
  /** Rename, change the model (and the machine it runs on), the system prompt or the sampling of one conversation. */
  'chats.update': route({
    input: z
      .object({
        conversationId: id,
        title: z.string().trim().min(1).max(200).optional(),
        modelId: z.string().max(1000).nullable().optional(),
        providerId: z.string().min(1).max(100).nullable().optional(),
        systemPrompt: z.string().max(100_000).nullable().optional(),
        params: conversationParamsSchema.optional(),
      })
      .strict(),
    output: conversationSchema,
  }),
  'chats.export': route({
    input: z.object({ conversationId: id, format: z.enum(['markdown', 'json']) }).strict(),
    output: z.object({ filename: z.string(), mimeType: z.string(), content: z.string() }),
  }),
  /** A JSON export (from this or another Hearth) becomes a new conversation; nothing is overwritten. */
  'chats.import': route({
    input: z.object({ content: z.string().min(1).max(60_000_000) }).strict(),
    output: conversationSchema,
  }),
  /** What happened to the chat database at start: a damaged file moved aside, backups made by upgrades. */
  'chats.health': route({
    input: z.object({}).strict().optional(),
    output: z.object({
      recovered: z.object({ movedTo: z.string(), reason: z.string() }).nullable(),
      interrupted: z.number().int(),
      /** Copies to restore from (before upgrades, and daily), newest first. */
      backups: z.array(z.object({ path: z.string(), at: z.number(), bytes: z.number() })),
    }),
  }),
  /** Brings a backup's conversations back beside the current ones (nothing current is replaced). */
  'chats.restoreBackup': route({
    input: z.object({ path: z.string().min(1).max(4096) }).strict(),
    output: z.object({ conversations: z.number().int() }),
  }),
  'presets.list': route({ input: z.object({}).strict().optional(), output: z.array(presetSchema) }),
  /** Saves a preset by name (a preset with the same name is replaced). */
  'presets.save': route({
    input: z
      .object({
        name: z.string().trim().min(1).max(100),
        systemPrompt: z.string().max(100_000).nullable(),
        params: conversationParamsSchema,
      })
      .strict(),
    output: presetSchema,
  }),
  'presets.delete': route({
    input: z.object({ id }).strict(),
    output: z.object({ ok: z.literal(true) }),
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
