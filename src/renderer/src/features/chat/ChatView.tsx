import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RouteOutput } from '../../../../shared/contract';
import { ErrorText } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';
import { ChatHeader } from './ChatHeader';
import { ChatSettings, type ChatSettingsValue } from './ChatSettings';
import { goToChat } from './chat-hash';
import { Composer } from './Composer';
import { ConversationList } from './ConversationList';
import { HealthBanner } from './HealthBanner';
import { LoadingBar } from './LoadingBar';
import type { MessageActions } from './MessageItem';
import { NoModels } from './NoModels';
import { choicesShowing, visibleThread, type ChatMessage } from './thread';
import { useDefaultModel } from './use-default-model';
import { useReplyStream } from './use-reply-stream';
import { useStartChat } from './use-start-chat';

type Conversation = RouteOutput<'chats.list'>[number];

// The thread (virtual list, Markdown) is a chunk of its own: a new chat shows none, so the window
// opens without it; typing a first message fetches it.
const loadThread = () => import('./Thread');
const Thread = lazy(() => loadThread().then((m) => ({ default: m.Thread })));
// Opened on a conversation (a reload): fetch it now, alongside the conversation's messages.
if (window.location.hash.startsWith('#/chat/')) void loadThread();

const noSettings: ChatSettingsValue = { systemPrompt: null, params: {} };

function saveFile(file: { filename: string; mimeType: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The chat: a conversation (#/chat/<id>), or a new chat (#/chat, and the window's first page once a
 * model is installed) that is stored only when its first message is sent.
 */
export function ChatView({ conversationId = null }: { conversationId?: string | null }): React.JSX.Element {
  const client = useClient();
  const queryClient = useQueryClient();
  const conversations = useRoute('chats.list');
  const models = useRoute('library.list');
  const [draft, setDraft] = useState('');
  const [draftModel, setDraftModel] = useState<string | null>(null);
  // A new chat's machine: null is this one; a provider id runs it there (its model named as it names it).
  const [draftProvider, setDraftProvider] = useState<string | null>(null);
  const remoteProviders = useRoute('providers.list').data?.filter((p) => p.kind !== 'local') ?? [];
  const [draftSettings, setDraftSettings] = useState<ChatSettingsValue>(noSettings);
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [showSettings, setShowSettings] = useState(false);
  const [undo, setUndo] = useState<Conversation | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const composer = useRef<HTMLTextAreaElement>(null);
  const list = conversations.data ?? [];
  // A link to a conversation that is gone shows a new chat.
  const current = conversationId ? list.find((c) => c.id === conversationId) : undefined;
  const currentId = current?.id ?? null;
  // Embedding models cannot chat: they are for the API (RAG, search), never offered here.
  const usable = useMemo(() => (models.data ?? []).filter((m) => !m.error && !m.embedding), [models.data]);
  const defaultModel = useDefaultModel(conversations.data, usable);
  const newChatModel =
    draftProvider !== null || usable.some((m) => m.id === draftModel) ? draftModel : defaultModel;
  useReplyStream();

  const messages = useQuery({
    queryKey: ['chats.messages', currentId],
    queryFn: () => client.invoke('chats.messages', { conversationId: currentId! }),
    enabled: !!currentId,
    // While a reply streams, its events keep the cache current; a refetch would race its tokens.
    staleTime: (query) => (query.state.data?.some((m) => m.status === 'streaming') ? Infinity : 0),
  });
  const thread = useMemo(() => visibleThread(messages.data ?? [], choices), [messages.data, choices]);
  const streaming = thread.find((s) => s.message.status === 'streaming')?.message;
  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ['chats.list'] });
  }, [queryClient]);

  // Whatever is opened, the composer takes the keyboard.
  useEffect(() => composer.current?.focus(), [conversationId]);

  const open = useCallback(
    (id: string | null, messageId?: string) => {
      setChoices({});
      goToChat(id);
      if (id && messageId)
        void client.invoke('chats.messages', { conversationId: id }).then((all) => {
          queryClient.setQueryData(['chats.messages', id], all);
          setChoices(choicesShowing(all, messageId));
        });
    },
    [client, queryClient],
  );
  const newChat = useCallback(() => {
    open(null);
    composer.current?.focus();
  }, [open]);
  // The new messages go straight into the cache: a refetch would race the reply's first tokens.
  const afterStart = (conversationId: string, ...added: ChatMessage[]): void => {
    queryClient.setQueryData<ChatMessage[]>(['chats.messages', conversationId], (all) => [
      ...(all ?? []),
      ...added.filter((m) => !all?.some((x) => x.id === m.id)),
    ]);
    refresh();
  };
  const start = useStartChat((conversation, sent) => {
    queryClient.setQueryData<Conversation[]>(['chats.list', null], (all) => [conversation, ...(all ?? [])]);
    afterStart(conversation.id, sent.user, sent.reply);
    setDraft('');
    setDraftSettings(noSettings);
    open(conversation.id);
  });
  const update = useMutation({
    mutationFn: (input: {
      conversationId: string;
      title?: string;
      modelId?: string;
      providerId?: string | null;
    }) => client.invoke('chats.update', input),
    onSuccess: refresh,
  });
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
      // Only this machine's engine can be told to load anyway; a remote decides for itself.
      if (current?.modelId && current.providerId === null)
        await client.invoke('engine.load', { modelId: current.modelId, force: true });
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
  const canCreate = usable.length > 0 || remoteProviders.length > 0;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        search.current?.focus();
      } else if (mod && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        if (canCreate) newChat();
      } else if (e.key === 'Escape' && streaming) {
        stop();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canCreate, newChat, stop, streaming]);

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
      onRename: (id: string, title: string) => update.mutate({ conversationId: id, title }),
      onDelete: (c: Conversation) => remove.mutate(c),
      onImport: (content: string) => importChat.mutate(content),
    }),
    [update.mutate, remove.mutate, importChat.mutate],
  );

  const submit = (): void => {
    const content = draft.trim();
    if (!content || streaming || send.isPending || start.isPending) return;
    if (current)
      send.mutate(
        { content, parentId: thread.at(-1)?.message.id ?? null },
        { onSuccess: () => setDraft('') },
      );
    else
      start.mutate({
        content,
        modelId: newChatModel ?? usable[0]?.id ?? null,
        providerId: newChatModel !== null ? draftProvider : null,
        settings: draftSettings,
      });
  };
  const typing = (value: string): void => {
    if (value && !current) void loadThread();
    setDraft(value);
  };

  // Wait for what decides the page, so it does not flash a new chat or the empty state first.
  const deciding = !conversations.data || !models.data;
  const empty = usable.length === 0 && list.length === 0 && remoteProviders.length === 0;
  return (
    <div className="flex h-full flex-col">
      <HealthBanner />
      <div className="flex min-h-0 flex-1">
        <ConversationList
          ref={search}
          conversations={list}
          current={currentId}
          canCreate={canCreate}
          onNew={newChat}
          onOpen={open}
          onRename={sidebar.onRename}
          onDelete={sidebar.onDelete}
          onImport={sidebar.onImport}
        />
        <section className="flex min-w-0 flex-1 flex-col">
          {deciding ? null : empty ? (
            <NoModels />
          ) : (
            <>
              <ChatHeader
                title={current?.title ?? 'New chat'}
                models={(models.data ?? []).filter((m) => !m.embedding)}
                modelId={current ? current.modelId : newChatModel}
                providerId={current ? current.providerId : newChatModel !== null ? draftProvider : null}
                onModel={(modelId, providerId) => {
                  if (current) update.mutate({ conversationId: current.id, modelId, providerId });
                  else {
                    setDraftModel(modelId);
                    setDraftProvider(providerId);
                  }
                }}
                onExport={current ? (format) => exportChat.mutate(format) : undefined}
                showSettings={showSettings}
                onToggleSettings={() => setShowSettings((s) => !s)}
              />
              <div className="flex min-h-0 flex-1">
                <div className="flex min-w-0 flex-1 flex-col">
                  {thread.length === 0 || !current ? (
                    <p className="m-auto text-sm text-stone-500">Ask anything. It stays on this computer.</p>
                  ) : (
                    <Suspense fallback={<div className="flex-1" />}>
                      <Thread conversationId={current.id} steps={thread} actions={actions} />
                    </Suspense>
                  )}
                  <LoadingBar models={models.data ?? []} />
                  <Composer
                    ref={composer}
                    value={draft}
                    onChange={typing}
                    onSubmit={submit}
                    streaming={!!streaming}
                    onStop={stop}
                  />
                  <div className="mx-auto w-full max-w-3xl px-3 pb-2">
                    <ErrorText
                      error={
                        start.error ??
                        send.error ??
                        regenerate.error ??
                        forceLoad.error ??
                        update.error ??
                        exportChat.error ??
                        importChat.error
                      }
                    />
                  </div>
                </div>
                {showSettings && (
                  <ChatSettings
                    key={currentId ?? 'new'}
                    settings={current ?? draftSettings}
                    onSave={async (settings) => {
                      if (!current) return setDraftSettings(settings);
                      await client.invoke('chats.update', { conversationId: current.id, ...settings });
                      refresh();
                    }}
                    onClose={() => setShowSettings(false)}
                  />
                )}
              </div>
            </>
          )}
          {empty && (
            <div className="px-4 pb-2">
              <ErrorText error={importChat.error} />
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
