import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/contract';
import type { ReplyStats, Sampling } from '../../engine-process/protocol';
import type { Db } from '../db/open-database';

/** How a reply went: its numbers, why it failed, or what the user should know about it. */
export type MessageStats = Partial<ReplyStats> & { error?: string; notice?: string };

export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'interrupted' | 'error';

export interface Conversation {
  id: string;
  title: string;
  modelId: string | null;
  /** The provider that answers (null: this machine). */
  providerId: string | null;
  systemPrompt: string | null;
  /** Sampling set for this conversation only: what differs from the defaults. */
  params: Partial<Sampling>;
  createdAt: number;
  updatedAt: number;
}

/** What a user may change about a conversation. */
export type ConversationPatch = Partial<
  Pick<Conversation, 'title' | 'modelId' | 'providerId' | 'systemPrompt' | 'params'>
>;

export interface Message {
  id: string;
  conversationId: string;
  parentId: string | null;
  role: 'system' | 'user' | 'assistant';
  content: string;
  thought: string;
  status: MessageStatus;
  stats: MessageStats | null;
  createdAt: number;
}

interface ConversationRow {
  id: string;
  title: string;
  model_id: string | null;
  provider_id: string | null;
  system_prompt: string | null;
  params: string;
  created_at: number;
  updated_at: number;
}

const conversationColumns =
  'SELECT id, title, model_id, provider_id, system_prompt, params, created_at, updated_at FROM conversations';

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  title: r.title,
  modelId: r.model_id,
  providerId: r.provider_id,
  systemPrompt: r.system_prompt,
  params: JSON.parse(r.params) as Partial<Sampling>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

interface MessageRow {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: Message['role'];
  content: string;
  thought: string;
  status: MessageStatus;
  stats: string | null;
  created_at: number;
}

const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  conversationId: r.conversation_id,
  parentId: r.parent_id,
  role: r.role,
  content: r.content,
  thought: r.thought,
  status: r.status,
  stats: r.stats ? (JSON.parse(r.stats) as MessageStats) : null,
  createdAt: r.created_at,
});

/** Conversations and their messages (a tree: regenerations and edits are siblings) in SQLite. */
export class ChatStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  createConversation(input: {
    title: string;
    modelId?: string | null;
    providerId?: string | null;
    systemPrompt?: string | null;
    params?: Partial<Sampling>;
    createdAt?: number;
    updatedAt?: number;
  }): Conversation {
    const at = this.now();
    const conversation: Conversation = {
      id: randomUUID(),
      title: input.title,
      modelId: input.modelId ?? null,
      providerId: input.providerId ?? null,
      systemPrompt: input.systemPrompt ?? null,
      params: input.params ?? {},
      createdAt: input.createdAt ?? at,
      updatedAt: input.updatedAt ?? at,
    };
    this.db
      .prepare(
        'INSERT INTO conversations (id, title, model_id, provider_id, system_prompt, params, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        conversation.id,
        conversation.title,
        conversation.modelId,
        conversation.providerId,
        conversation.systemPrompt,
        JSON.stringify(conversation.params),
        conversation.createdAt,
        conversation.updatedAt,
      );
    return conversation;
  }

  updateConversation(id: string, patch: ConversationPatch): Conversation {
    const current = this.conversation(id);
    if (!current) throw new AppError('NOT_FOUND', 'No such conversation');
    // A field the patch leaves undefined is kept, never cleared.
    const next = {
      ...current,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    };
    this.db
      .prepare(
        'UPDATE conversations SET title = ?, model_id = ?, provider_id = ?, system_prompt = ?, params = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        next.title,
        next.modelId,
        next.providerId,
        next.systemPrompt,
        JSON.stringify(next.params),
        this.now(),
        id,
      );
    return this.conversation(id)!;
  }

  /** Runs `work` in one transaction: all of it is saved, or none. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  listConversations(): Conversation[] {
    return (
      this.db
        .prepare(`${conversationColumns} WHERE deleted_at IS NULL ORDER BY updated_at DESC`)
        .all() as ConversationRow[]
    ).map(toConversation);
  }

  conversation(id: string): Conversation | undefined {
    const row = this.db.prepare(`${conversationColumns} WHERE id = ? AND deleted_at IS NULL`).get(id) as
      ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  /** Hidden at once; kept until purged, so it can be undone. */
  deleteConversation(id: string): void {
    const { changes } = this.db
      .prepare('UPDATE conversations SET deleted_at = ? WHERE id = ?')
      .run(this.now(), id);
    if (changes === 0) throw new AppError('NOT_FOUND', 'No such conversation');
  }

  restoreConversation(id: string): void {
    const { changes } = this.db.prepare('UPDATE conversations SET deleted_at = NULL WHERE id = ?').run(id);
    if (changes === 0) throw new AppError('NOT_FOUND', 'No such conversation');
  }

  addMessage(input: {
    conversationId: string;
    parentId: string | null;
    role: Message['role'];
    content: string;
    status: MessageStatus;
    thought?: string;
    stats?: MessageStats | null;
    createdAt?: number;
  }): Message {
    const at = input.createdAt ?? this.now();
    const id = randomUUID();
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO messages (id, conversation_id, parent_id, role, content, thought, status, stats, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          id,
          input.conversationId,
          input.parentId,
          input.role,
          input.content,
          input.thought ?? '',
          input.status,
          input.stats ? JSON.stringify(input.stats) : null,
          at,
          at,
        );
      this.db
        .prepare('UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?')
        .run(at, input.conversationId);
    })();
    return this.message(id);
  }

  /** Saves a reply as it grows (the caller batches: at most ~250 ms of tokens are ever at risk). */
  updateMessage(
    id: string,
    patch: { content?: string; thought?: string; status?: MessageStatus; stats?: MessageStats },
  ): Message {
    const current = this.message(id);
    this.db
      .prepare(
        'UPDATE messages SET content = ?, thought = ?, status = ?, stats = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        patch.content ?? current.content,
        patch.thought ?? current.thought,
        patch.status ?? current.status,
        patch.stats === undefined
          ? current.stats === null
            ? null
            : JSON.stringify(current.stats)
          : JSON.stringify(patch.stats),
        this.now(),
        id,
      );
    return this.message(id);
  }

  message(id: string): Message {
    const row = this.db.prepare('SELECT * FROM messages WHERE id = ?').get(id) as MessageRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', 'No such message');
    return toMessage(row);
  }

  /** Every message of a conversation, oldest first; the UI walks the tree from parent ids. */
  messages(conversationId: string): Message[] {
    const rows = this.db
      .prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid')
      .all(conversationId) as MessageRow[];
    return rows.map(toMessage);
  }

  /** Replies still "streaming" when the app starts were cut by a crash: they become "interrupted". */
  markInterrupted(): number {
    return this.db.prepare("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'").run()
      .changes;
  }

  /**
   * Full-text search over every message of conversations not deleted, newest first: walking the
   * index in row order stops after `limit` hits, where ranking would score every match first.
   */
  search(query: string, limit = 50): { conversationId: string; messageId: string; snippet: string }[] {
    // Whole words, except the last one, which may still be being typed.
    const words = query.split(/\s+/).filter(Boolean);
    const terms = words
      .map((t, i) => `"${t.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`)
      .join(' ');
    if (!terms) return [];
    const rows = this.db
      .prepare(
        `SELECT m.id AS messageId, m.conversation_id AS conversationId, snippet(messages_fts, 0, '[', ']', '…', 12) AS snippet
         FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid JOIN conversations c ON c.id = m.conversation_id
         WHERE messages_fts MATCH ? AND c.deleted_at IS NULL ORDER BY messages_fts.rowid DESC LIMIT ?`,
      )
      .all(terms, limit) as { conversationId: string; messageId: string; snippet: string }[];
    return rows;
  }
}
