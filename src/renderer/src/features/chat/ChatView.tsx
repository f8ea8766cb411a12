import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Send, SlidersHorizontal, Square } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RouteOutput } from '../../../../shared/contract';
import { Button, ErrorText } from '../../components/ui';
import { useClient, useLatestEvent, useRoute } from '../../lib/hooks';
import { ChatSettings } from './ChatSettings';
import { HealthBanner } from './HealthBanner';
import { ConversationList } from './ConversationList';
import type { MessageActions } from './MessageItem';
import { ModelPicker } from './ModelPicker';
import { Thread } from './Thread';
import { choicesShowing, visibleThread, type ChatMessage } from './thread';

type Conversation = RouteOutput<'chats.list'>[number];

function saveFile(file: { filename: string; mimeType: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function NoModels(): React.JSX.Element {
  return (
    <div className="m-auto max-w-md space-y-3 p-8 text-center" data-testid="chat-empty">
      <h2 className="text-lg font-semibold">No model installed yet</h2>
      <p className="text-sm text-stone-500">
        Hearth reads your hardware and suggests models that fit it. Install one, then come back to chat:
        everything stays on this computer.
      </p>
      <a
        href="#/discover"
        className="inline-block rounded-md bg-ember-600 px-4 py-2 text-sm font-medium text-white hover:bg-ember-500"
      >
        Find a model that fits
      </a>
    </div>
  );
}

/** While the conversation's model loads: how far, and a way out (a 40 GB model takes a while). */
function LoadingBar({ models }: { models: RouteOutput<'library.list'> }): React.JSX.Element | null {
  const client = useClient();
  const initial = useRoute('engine.status');
  const live = useLatestEvent('engine.status');
  const loading = (live ?? initial.data)?.loading;
  if (!loading) return null;
  const name = models.find((m) => m.path === loading.modelPath)?.name ?? 'the model';
  const percent = Math.round(loading.progress * 100);
  return (
    <div
      className="mx-auto flex w-full max-w-3xl items-center gap-3 px-3 text-xs text-stone-500"
      role="status"
    >
      <span className="shrink-0">
        Loading {name}… {percent}%
      </span>
      <progress
        className="h-1.5 flex-1 accent-ember-600"
        max={100}
        value={percent}
        aria-label="Model loading"
      />
      <button type="button" className="underline" onClick={() => void client.invoke('engine.cancelLoad')}>
        Cancel
      </button>
    </div>
  );
}

export function ChatView(): React.JSX.Element {
  const client = useClient();
  const queryClient = useQueryClient();
  const conversations = useRoute('chats.list');
  const models = useRoute('library.list');
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [showSettings, setShowSettings] = useState(false);
  const [undo, setUndo] = useState<Conversation | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const list = conversations.data ?? [];
  const current = list.find((c) => c.id === selected) ?? (selected ? undefined : list[0]);
  const currentId = current?.id ?? null;
  const messagesKey = ['chats.messages', currentId];
  const messages = useQuery({
    queryKey: messagesKey,
    queryFn: () => client.invoke('chats.messages', { conversationId: currentId! }),
    enabled: !!currentId,
  });
  const usable = (models.data ?? []).filter((m) => !m.error);

  // Streamed text lands in the cached messages 10 times a second however fast tokens come (each
  // update re-renders and repaints the reply; Markdown is re-parsed as often); the final message
  // replaces it.
  useEffect(() => {
    let pending = new Map<string, { text: string; thought: string; since: number }>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = (): void => {
      timer = null;
      const batch = pending;
      pending = new Map();
      queryClient.setQueryData<ChatMessage[]>(['chats.messages', currentId], (all) =>
        all?.map((m) => {
          const add = batch.get(m.id);
          if (!add) return m;
          batch.delete(m.id);
          return { ...m, content: m.content + add.text, thought: m.thought + add.thought };
        }),
      );
      // Text for a reply not in the cache yet (its send has not returned) waits a little; a reply
      // of another conversation is not shown here, and its text is dropped.
      for (const [id, add] of batch) if (performance.now() - add.since < 2000) pending.set(id, add);
      if (pending.size > 0) timer = setTimeout(flush, 100);
    };
    const offDelta = client.on('chats.delta', (delta) => {
      const entry = pending.get(delta.messageId) ?? { text: '', thought: '', since: performance.now() };
      if (delta.segment === 'text') entry.text += delta.text;
      else entry.thought += delta.text;
      pending.set(delta.messageId, entry);
      timer ??= setTimeout(flush, 100);
    });
    const offDone = client.on('chats.message', (message) => {
      pending.delete(message.id);
      queryClient.setQueryData<ChatMessage[]>(['chats.messages', message.conversationId], (all) =>
        all?.map((m) => (m.id === message.id ? message : m)),
      );
    });
    return () => {
      if (timer !== null) clearTimeout(timer);
      offDelta();
      offDone();
    };
  }, [client, queryClient, currentId]);

  const thread = useMemo(() => visibleThread(messages.data ?? [], choices), [messages.data, choices]);
  const streaming = thread.find((s) => s.message.status === 'streaming')?.message;
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ['chats.list'] });
  }, [queryClient]);

  const open = useCallback(
    (id: string | null, messageId?: string) => {
      setSelected(id);
      setChoices({});
      if (id && messageId)
        void client.invoke('chats.messages', { conversationId: id }).then((all) => {
          queryClient.setQueryData(['chats.messages', id], all);
          setChoices(choicesShowing(all, messageId));
        });
    },
    [client, queryClient],
  );
  const create = useMutation({
    mutationFn: () => {
      // The model of the last conversation, while it is still installed.
      const last = list.find((c) => c.modelId && usable.some((m) => m.id === c.modelId))?.modelId;
      return client.invoke('chats.create', { modelId: last ?? usable[0]?.id });
    },
    onSuccess: (conversation) => {
      open(conversation.id);
      refresh();
      composer.current?.focus();
    },
  });
  const update = useMutation({
    mutationFn: (input: { conversationId: string; title?: string; modelId?: string }) =>
      client.invoke('chats.update', input),
    onSuccess: refresh,
  });
  // The new messages go straight into the cache: a refetch would race the reply's first tokens.
  const afterStart = (conversationId: string, ...added: ChatMessage[]): void => {
    queryClient.setQueryData<ChatMessage[]>(['chats.messages', conversationId], (all) => [
      ...(all ?? []),
      ...added.filter((m) => !all?.some((x) => x.id === m.id)),
    ]);
    refresh();
  };
  const send = useMutation({
    mutationFn: (input: { content: string; parentId: string | null }) =>
      client.invoke('chats.send', { conversationId: currentId!, ...input }),
    onSuccess: (sent) => {
      // The new message continues the branch on screen (an edit becomes the version shown).
      setChoices((c) => ({ ...c, [sent.user.parentId ?? 'root']: sent.user.id }));
      afterStart(sent.user.conversationId, sent.user, sent.reply);
    },
  });
  const regenerate = useMutation({
    mutationFn: (messageId: string) => client.invoke('chats.regenerate', { messageId }),
    onSuccess: (reply) => {
      setChoices((c) => ({ ...c, [reply.parentId ?? 'root']: reply.id }));
      afterStart(reply.conversationId, reply);
    },
  });
  // "Does not fit" is an estimate: the user may try anyway, then the reply is asked again.
  const forceLoad = useMutation({
    mutationFn: async (messageId: string) => {
      if (current?.modelId) await client.invoke('engine.load', { modelId: current.modelId, force: true });
      return messageId;
    },
    onSuccess: (messageId) => regenerate.mutate(messageId),
  });
  const remove = useMutation({
    mutationFn: (conversation: Conversation) =>
      client.invoke('chats.delete', { conversationId: conversation.id }).then(() => conversation),
    onSuccess: (conversation) => {
      setUndo(conversation);
      if (conversation.id === currentId) open(null);
      refresh();
    },
  });
  const restore = useMutation({
    mutationFn: (conversation: Conversation) =>
      client.invoke('chats.restore', { conversationId: conversation.id }).then(() => conversation),
    onSuccess: (conversation) => {
      setUndo(null);
      open(conversation.id);
      refresh();
    },
  });
  const importChat = useMutation({
    mutationFn: (content: string) => client.invoke('chats.import', { content }),
    onSuccess: (conversation) => {
      open(conversation.id);
      refresh();
    },
  });
  const exportChat = useMutation({
    mutationFn: (format: 'markdown' | 'json') =>
      client.invoke('chats.export', { conversationId: currentId!, format }),
    onSuccess: saveFile,
  });
  const stop = useCallback(() => {
    if (streaming) void client.invoke('chats.stop', { messageId: streaming.id });
  }, [client, streaming]);

  useEffect(() => {
    if (!undo) return;
    const timer = setTimeout(() => setUndo(null), 8000);
    return () => clearTimeout(timer);
  }, [undo]);

  // Shortcuts: Ctrl/Cmd+K search, Ctrl/Cmd+N new chat, Esc stops a reply.
  const canCreate = usable.length > 0 && !create.isPending;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        search.current?.focus();
      } else if (mod && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        if (canCreate) create.mutate();
      } else if (e.key === 'Escape' && streaming) {
        stop();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canCreate, create, stop, streaming]);

  const actions = useMemo<MessageActions>(
    () => ({
      onPick: (parentId, id) => setChoices((c) => ({ ...c, [parentId ?? 'root']: id })),
      onRegenerate: (messageId) => regenerate.mutate(messageId),
      onEdit: (message, content) => send.mutate({ content, parentId: message.parentId }),
      onForceLoad: (message) => forceLoad.mutate(message.id),
    }),
    // The mutations' mutate functions are stable.
    [regenerate.mutate, send.mutate, forceLoad.mutate],
  );

  // Stable, so the sidebar is not re-rendered by every streamed token.
  const sidebar = useMemo(
    () => ({
      onNew: () => create.mutate(),
      onRename: (id: string, title: string) => update.mutate({ conversationId: id, title }),
      onDelete: (c: Conversation) => remove.mutate(c),
      onImport: (content: string) => importChat.mutate(content),
    }),
    [create.mutate, update.mutate, remove.mutate, importChat.mutate],
  );

  const submit = (): void => {
    const content = draft.trim();
    if (!content || !currentId || streaming || send.isPending) return;
    send.mutate({ content, parentId: thread.at(-1)?.message.id ?? null }, { onSuccess: () => setDraft('') });
  };

  return (
    <div className="flex h-full flex-col">
      <HealthBanner />
      <div className="flex min-h-0 flex-1">
        <ConversationList
          ref={search}
          conversations={list}
          current={currentId}
          canCreate={canCreate}
          onNew={sidebar.onNew}
          onOpen={open}
          onRename={sidebar.onRename}
          onDelete={sidebar.onDelete}
          onImport={sidebar.onImport}
        />
        <section className="flex min-w-0 flex-1 flex-col">
          {models.data && usable.length === 0 && list.length === 0 ? (
            <NoModels />
          ) : !current ? (
            <div className="m-auto space-y-3 text-center" data-testid="chat-empty">
              <p className="text-sm text-stone-500">Start a new chat (Ctrl+N), or pick one on the left.</p>
              <Button disabled={!canCreate} onClick={() => create.mutate()}>
                New chat
              </Button>
            </div>
          ) : (
            <>
              <header className="flex items-center gap-2 border-b border-stone-200 px-4 py-2 dark:border-stone-800">
                <h1 className="min-w-0 flex-1 truncate text-sm font-semibold" data-testid="chat-title">
                  {current.title}
                </h1>
                <ModelPicker
                  models={models.data ?? []}
                  value={current.modelId}
                  onChange={(modelId) => update.mutate({ conversationId: current.id, modelId })}
                />
                <select
                  aria-label="Export"
                  value=""
                  onChange={(e) => e.target.value && exportChat.mutate(e.target.value as 'markdown' | 'json')}
                  className="rounded-md border border-stone-300 bg-transparent px-1 py-1 text-xs dark:border-stone-700"
                >
                  <option value="">Export…</option>
                  <option value="markdown">Markdown</option>
                  <option value="json">JSON</option>
                </select>
                <button
                  type="button"
                  aria-label="Chat settings"
                  aria-pressed={showSettings}
                  onClick={() => setShowSettings((s) => !s)}
                  className="rounded-md p-1.5 hover:bg-stone-100 dark:hover:bg-stone-800"
                >
                  <SlidersHorizontal className="size-4" />
                </button>
              </header>
              <div className="flex min-h-0 flex-1">
                <div className="flex min-w-0 flex-1 flex-col">
                  {thread.length === 0 ? (
                    <p className="m-auto text-sm text-stone-500">Ask anything. It stays on this computer.</p>
                  ) : (
                    <Thread conversationId={current.id} steps={thread} actions={actions} />
                  )}
                  <LoadingBar models={models.data ?? []} />
                  <form
                    className="mx-auto flex w-full max-w-3xl gap-2 p-3"
                    onSubmit={(e) => {
                      e.preventDefault();
                      submit();
                    }}
                  >
                    <textarea
                      ref={composer}
                      aria-label="Message"
                      value={draft}
                      onChange={(e) => setDraft(e.target.value)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                          e.preventDefault();
                          submit();
                        }
                      }}
                      rows={2}
                      placeholder="Message (Enter to send, Shift+Enter for a new line)"
                      className="flex-1 resize-none rounded-xl border border-stone-300 bg-white px-3 py-2 text-sm dark:border-stone-700 dark:bg-stone-950"
                    />
                    {streaming ? (
                      <Button
                        variant="secondary"
                        onClick={stop}
                        className="flex items-center gap-1.5"
                        aria-label="Stop"
                        title="Stop (Esc)"
                      >
                        <Square className="size-4" aria-hidden /> Stop
                      </Button>
                    ) : (
                      <Button
                        type="submit"
                        disabled={!draft.trim()}
                        className="flex items-center gap-1.5"
                        aria-label="Send"
                      >
                        <Send className="size-4" aria-hidden /> Send
                      </Button>
                    )}
                  </form>
                  <div className="mx-auto w-full max-w-3xl px-3 pb-2">
                    <ErrorText
                      error={
                        send.error ??
                        regenerate.error ??
                        forceLoad.error ??
                        create.error ??
                        update.error ??
                        exportChat.error ??
                        importChat.error
                      }
                    />
                  </div>
                </div>
                {showSettings && (
                  <ChatSettings
                    key={current.id}
                    conversation={current}
                    onClose={() => setShowSettings(false)}
                  />
                )}
              </div>
            </>
          )}
          {!current && (
            <div className="px-4 pb-2">
              <ErrorText error={importChat.error ?? create.error} />
            </div>
          )}
        </section>
      </div>
      {undo && (
        <div
          role="status"
          className="fixed bottom-4 left-1/2 flex -translate-x-1/2 items-center gap-3 rounded-lg bg-stone-900 px-4 py-2 text-sm text-white shadow-lg dark:bg-stone-100 dark:text-stone-900"
        >
          Deleted “{undo.title}”
          <button type="button" className="font-semibold underline" onClick={() => restore.mutate(undo)}>
            Undo
          </button>
        </div>
      )}
    </div>
  );
}
