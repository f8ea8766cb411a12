import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, Plus, RotateCcw, Send, Square } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, ErrorText } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';
import { visibleThread, type ChatMessage } from './thread';

function Message({
  step,
  onPick,
  onRegenerate,
}: {
  step: ReturnType<typeof visibleThread>[number];
  onPick: (index: number) => void;
  onRegenerate?: () => void;
}): React.JSX.Element {
  const { message, siblings, index } = step;
  const stats = message.stats;
  const title = stats?.generationTokensPerSecond
    ? `${stats.generationTokensPerSecond.toFixed(1)} tokens/s · first token after ${stats.timeToFirstTokenMs?.toFixed(0)} ms`
    : undefined;
  const mine = message.role === 'user';
  return (
    <div
      className={`flex ${mine ? 'justify-end' : 'justify-start'}`}
      data-testid="chat-message"
      data-role={message.role}
      data-status={message.status}
    >
      <div
        className={`max-w-[75%] rounded-2xl px-4 py-2 ${mine ? 'bg-ember-600 text-white' : 'bg-white shadow-sm dark:bg-stone-900'}`}
        title={title}
      >
        {message.thought && (
          <details className="mb-1 text-xs text-stone-500">
            <summary>Thinking</summary>
            <p className="whitespace-pre-wrap">{message.thought}</p>
          </details>
        )}
        <p className="whitespace-pre-wrap break-words text-sm" data-testid="chat-text">
          {message.content || (message.status === 'streaming' ? '…' : '')}
        </p>
        <div className="mt-1 flex items-center gap-2 text-xs opacity-70">
          {siblings.length > 1 && (
            <span className="flex items-center gap-1" data-testid="branch">
              <button
                type="button"
                aria-label="Previous version"
                disabled={index === 0}
                onClick={() => onPick(index - 1)}
              >
                <ChevronLeft className="size-3" />
              </button>
              {index + 1} / {siblings.length}
              <button
                type="button"
                aria-label="Next version"
                disabled={index === siblings.length - 1}
                onClick={() => onPick(index + 1)}
              >
                <ChevronRight className="size-3" />
              </button>
            </span>
          )}
          {message.status === 'stopped' && <span>stopped</span>}
          {message.status === 'interrupted' && <span>interrupted</span>}
          {message.status === 'error' && <span role="alert">{stats?.error ?? 'failed'}</span>}
          {onRegenerate && (
            <button
              type="button"
              aria-label="Regenerate"
              onClick={onRegenerate}
              className="flex items-center gap-1"
            >
              <RotateCcw className="size-3" /> Regenerate
            </button>
          )}
        </div>
      </div>
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
  const current = selected ?? conversations.data?.[0]?.id ?? null;
  const messages = useQuery({
    queryKey: ['chats.messages', current],
    queryFn: () => client.invoke('chats.messages', { conversationId: current! }),
    enabled: !!current,
  });
  const bottom = useRef<HTMLDivElement>(null);

  // Streamed text lands in the cached messages; the final message replaces it.
  useEffect(() => {
    const offDelta = client.on('chats.delta', (delta) => {
      queryClient.setQueryData<ChatMessage[]>(['chats.messages', current], (list) =>
        list?.map((m) =>
          m.id === delta.messageId
            ? {
                ...m,
                [delta.segment === 'text' ? 'content' : 'thought']:
                  (delta.segment === 'text' ? m.content : m.thought) + delta.text,
              }
            : m,
        ),
      );
    });
    const offDone = client.on('chats.message', (message) => {
      queryClient.setQueryData<ChatMessage[]>(['chats.messages', message.conversationId], (list) =>
        list?.map((m) => (m.id === message.id ? message : m)),
      );
    });
    return () => {
      offDelta();
      offDone();
    };
  }, [client, queryClient, current]);

  const thread = useMemo(() => visibleThread(messages.data ?? [], choices), [messages.data, choices]);
  const streaming = thread.find((s) => s.message.status === 'streaming')?.message;
  useEffect(() => {
    // A block body: scrollIntoView returns a promise in recent Chromium, which must not become the cleanup.
    void bottom.current?.scrollIntoView({ block: 'end' });
  }, [thread.length, thread.at(-1)?.message.content]);

  const create = useMutation({
    mutationFn: (modelId: string) => client.invoke('chats.create', { modelId }),
    onSuccess: (conversation) => {
      setSelected(conversation.id);
      void queryClient.invalidateQueries({ queryKey: ['chats.list'] });
    },
  });
  const send = useMutation({
    mutationFn: (content: string) =>
      client.invoke('chats.send', {
        conversationId: current!,
        content,
        parentId: thread.at(-1)?.message.id ?? null,
      }),
    onSuccess: () => {
      // The chosen branch stays: the new message continues it.
      setDraft('');
      void queryClient.invalidateQueries({ queryKey: ['chats.messages', current] });
    },
  });
  const regenerate = useMutation({
    mutationFn: (messageId: string) => client.invoke('chats.regenerate', { messageId }),
    onSuccess: (reply) => {
      // Show the new version in place of the old one.
      setChoices((c) => ({ ...c, [reply.parentId ?? 'root']: reply.id }));
      void queryClient.invalidateQueries({ queryKey: ['chats.messages', current] });
    },
  });
  const stop = (): void => {
    if (streaming) void client.invoke('chats.stop', { messageId: streaming.id });
  };
  const firstModel = models.data?.find((m) => !m.error);

  return (
    <div className="flex h-full" onKeyDown={(e) => e.key === 'Escape' && stop()}>
      <aside className="flex w-60 shrink-0 flex-col border-r border-stone-200 dark:border-stone-800">
        <div className="p-3">
          <Button
            className="flex w-full items-center justify-center gap-1.5"
            disabled={!firstModel || create.isPending}
            onClick={() => firstModel && create.mutate(firstModel.id)}
          >
            <Plus className="size-4" aria-hidden /> New chat
          </Button>
          {!firstModel && models.data && (
            <p className="mt-2 text-xs text-stone-500">
              Install a model first:{' '}
              <a className="text-ember-600 hover:underline" href="#/discover">
                Discover
              </a>
            </p>
          )}
        </div>
        <ul className="flex-1 overflow-y-auto px-2" aria-label="Conversations">
          {conversations.data?.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                onClick={() => setSelected(c.id)}
                aria-current={c.id === current}
                className={`w-full truncate rounded-md px-3 py-2 text-left text-sm ${c.id === current ? 'bg-stone-200 dark:bg-stone-800' : 'hover:bg-stone-100 dark:hover:bg-stone-900'}`}
              >
                {c.title}
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section className="flex min-w-0 flex-1 flex-col">
        <div className="flex-1 space-y-3 overflow-y-auto p-6" data-testid="thread">
          {!current && <p className="text-sm text-stone-500">Start a new chat.</p>}
          {thread.map((step, i) => (
            <Message
              key={step.message.id}
              step={step}
              onPick={(index) =>
                setChoices((c) => ({ ...c, [step.message.parentId ?? 'root']: step.siblings[index]!.id }))
              }
              onRegenerate={
                i === thread.length - 1 &&
                step.message.role === 'assistant' &&
                step.message.status !== 'streaming'
                  ? () => regenerate.mutate(step.message.id)
                  : undefined
              }
            />
          ))}
          <div ref={bottom} />
        </div>
        <form
          className="flex gap-2 border-t border-stone-200 p-3 dark:border-stone-800"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim() && current && !streaming) send.mutate(draft.trim());
          }}
        >
          <textarea
            aria-label="Message"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
            rows={2}
            placeholder={
              current ? 'Message (Enter to send, Shift+Enter for a new line)' : 'Start a new chat first'
            }
            disabled={!current}
            className="flex-1 resize-none rounded-md border border-stone-300 bg-white px-3 py-2 text-sm dark:border-stone-700 dark:bg-stone-950"
          />
          {streaming ? (
            <Button
              variant="secondary"
              onClick={stop}
              className="flex items-center gap-1.5"
              aria-label="Stop"
            >
              <Square className="size-4" aria-hidden /> Stop
            </Button>
          ) : (
            <Button
              type="submit"
              disabled={!draft.trim() || !current}
              className="flex items-center gap-1.5"
              aria-label="Send"
            >
              <Send className="size-4" aria-hidden /> Send
            </Button>
          )}
        </form>
        <div className="px-3 pb-2">
          <ErrorText error={send.error ?? regenerate.error ?? create.error} />
        </div>
      </section>
    </div>
  );
}
