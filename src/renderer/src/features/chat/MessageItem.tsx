import { ChevronLeft, ChevronRight, Pencil, RotateCcw } from 'lucide-react';
import { memo, useState } from 'react';
import { Button } from '../../components/ui';
import { CopyButton, Markdown } from './Markdown';
import type { ChatMessage } from './thread';

export interface MessageActions {
  onPick: (parentId: string | null, siblingId: string) => void;
  onRegenerate: (messageId: string) => void;
  /** Sends the edited text as a new sibling of the user message: the old branch stays. */
  onEdit: (message: ChatMessage, content: string) => void;
  /** The model was refused as too big: load it anyway, then answer again. */
  onForceLoad: (message: ChatMessage) => void;
}

function statsLine(message: ChatMessage): string | undefined {
  const s = message.stats;
  if (!s?.generationTokensPerSecond) return undefined;
  return `${s.generationTokensPerSecond.toFixed(1)} tokens/s · ${s.generatedTokens} tokens · first token after ${(s.timeToFirstTokenMs ?? 0).toFixed(0)} ms`;
}

function BranchNav({
  message,
  siblings,
  index,
  onPick,
}: {
  message: ChatMessage;
  siblings: ChatMessage[];
  index: number;
  onPick: MessageActions['onPick'];
}): React.JSX.Element | null {
  if (siblings.length < 2) return null;
  return (
    <span className="flex items-center gap-1" data-testid="branch">
      <button
        type="button"
        aria-label="Previous version"
        disabled={index === 0}
        onClick={() => onPick(message.parentId, siblings[index - 1]!.id)}
      >
        <ChevronLeft className="size-3" />
      </button>
      {index + 1} / {siblings.length}
      <button
        type="button"
        aria-label="Next version"
        disabled={index === siblings.length - 1}
        onClick={() => onPick(message.parentId, siblings[index + 1]!.id)}
      >
        <ChevronRight className="size-3" />
      </button>
    </span>
  );
}

function EditBox({
  initial,
  onCancel,
  onSave,
}: {
  initial: string;
  onCancel: () => void;
  onSave: (text: string) => void;
}): React.JSX.Element {
  const [text, setText] = useState(initial);
  return (
    <form
      className="w-full max-w-[75%] space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onSave(text.trim());
      }}
    >
      <textarea
        aria-label="Edit message"
        autoFocus
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            e.currentTarget.form?.requestSubmit();
          }
        }}
        rows={Math.min(10, text.split('\n').length + 1)}
        className="w-full rounded-md border border-stone-300 bg-white px-3 py-2 text-sm dark:border-stone-700 dark:bg-stone-950"
      />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={!text.trim()}>
          Save & send
        </Button>
      </div>
    </form>
  );
}

/** One message: Markdown for replies, inert text for the user's own; memoized so a stream re-renders only its reply. */
export const MessageItem = memo(MessageView, (a, b) => {
  // Sibling arrays are rebuilt on every update: compare what they hold.
  return (
    a.message === b.message &&
    a.index === b.index &&
    a.isLast === b.isLast &&
    a.busy === b.busy &&
    a.actions === b.actions &&
    a.siblings.length === b.siblings.length &&
    a.siblings.every((s, i) => s.id === b.siblings[i]?.id)
  );
});

function MessageView({
  message,
  siblings,
  index,
  isLast,
  busy,
  actions,
}: {
  message: ChatMessage;
  siblings: ChatMessage[];
  index: number;
  isLast: boolean;
  /** A reply is streaming somewhere in this conversation: no edit or regenerate until it ends. */
  busy: boolean;
  actions: MessageActions;
}): React.JSX.Element {
  const [editing, setEditing] = useState(false);
  const mine = message.role === 'user';
  const streaming = message.status === 'streaming';
  const stats = statsLine(message);
  return (
    <div
      className={`group flex ${mine ? 'justify-end' : 'justify-start'}`}
      data-testid="chat-message"
      data-role={message.role}
      data-status={message.status}
    >
      {editing ? (
        <EditBox
          initial={message.content}
          onCancel={() => setEditing(false)}
          onSave={(text) => {
            setEditing(false);
            actions.onEdit(message, text);
          }}
        />
      ) : (
        <div className={`flex max-w-[75%] flex-col ${mine ? 'items-end' : 'items-start'}`}>
          <div
            className={`min-w-0 max-w-full rounded-2xl px-4 py-2 ${mine ? 'bg-ember-600 text-white' : 'bg-white shadow-sm dark:bg-stone-900'}`}
            title={stats}
          >
            {message.thought && (
              <details className="mb-2 text-xs text-stone-500" data-testid="thinking">
                <summary className="cursor-pointer select-none">
                  {streaming && !message.content ? 'Thinking…' : 'Thought'}
                </summary>
                <p className="mt-1 whitespace-pre-wrap border-l-2 border-stone-300 pl-2 dark:border-stone-700">
                  {message.thought}
                </p>
              </details>
            )}
            {mine ? (
              <p className="whitespace-pre-wrap break-words text-sm" data-testid="chat-text">
                {message.content}
              </p>
            ) : message.content ? (
              <Markdown text={message.content} streaming={streaming} />
            ) : (
              <p className="text-sm text-stone-400" data-testid="chat-text">
                {streaming ? '…' : ''}
              </p>
            )}
          </div>
          {message.stats?.notice && (
            <p
              role="note"
              data-testid="reply-notice"
              className="mt-1 max-w-full text-xs text-amber-700 dark:text-amber-400"
            >
              {message.stats.notice}
            </p>
          )}
          <div className="mt-1 flex min-h-5 items-center gap-2 text-xs text-stone-500">
            <BranchNav message={message} siblings={siblings} index={index} onPick={actions.onPick} />
            {message.status === 'stopped' && <span>stopped</span>}
            {message.status === 'interrupted' && <span>interrupted</span>}
            {message.status === 'error' && (
              <span role="alert" className="text-red-600 dark:text-red-400">
                {message.stats?.error ?? 'failed'}
              </span>
            )}
            {message.status === 'error' &&
              isLast &&
              !busy &&
              /does not fit/.test(message.stats?.error ?? '') && (
                <button type="button" className="underline" onClick={() => actions.onForceLoad(message)}>
                  Load anyway
                </button>
              )}
            {!streaming && (
              <span className="flex items-center gap-1 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100">
                <CopyButton text={message.content} />
                {mine && !busy && (
                  <button
                    type="button"
                    aria-label="Edit"
                    title="Edit"
                    className="rounded p-1 hover:bg-stone-200 dark:hover:bg-stone-700"
                    onClick={() => setEditing(true)}
                  >
                    <Pencil className="size-3" aria-hidden />
                  </button>
                )}
                {!mine && isLast && !busy && (
                  <button
                    type="button"
                    aria-label="Regenerate"
                    title="Regenerate"
                    className="flex items-center gap-1 rounded px-1 py-0.5 hover:bg-stone-200 dark:hover:bg-stone-700"
                    onClick={() => actions.onRegenerate(message.id)}
                  >
                    <RotateCcw className="size-3" aria-hidden /> Regenerate
                  </button>
                )}
                {stats && <span data-testid="stats">{stats}</span>}
              </span>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
