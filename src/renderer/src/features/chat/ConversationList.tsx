import { useQuery } from '@tanstack/react-query';
import { Check, Pencil, Plus, Search, Trash2, Upload } from 'lucide-react';
import { forwardRef, memo, useMemo, useState } from 'react';
import type { RouteOutput } from '../../../../shared/contract';
import { Button } from '../../components/ui';
import { useClient } from '../../lib/hooks';
import { groupByDate } from './date-groups';

type Conversation = RouteOutput<'chats.list'>[number];

function Row({
  conversation,
  active,
  onOpen,
  onRename,
  onDelete,
}: {
  conversation: Conversation;
  active: boolean;
  onOpen: () => void;
  onRename: (title: string) => void;
  onDelete: () => void;
}): React.JSX.Element {
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(conversation.title);
  if (renaming)
    return (
      <form
        className="flex items-center gap-1 px-1 py-1"
        onSubmit={(e) => {
          e.preventDefault();
          if (title.trim()) onRename(title.trim());
          setRenaming(false);
        }}
      >
        <input
          aria-label="Conversation title"
          autoFocus
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && setRenaming(false)}
          className="min-w-0 flex-1 rounded border border-stone-300 bg-white px-2 py-1 text-sm dark:border-stone-700 dark:bg-stone-950"
        />
        <button type="submit" aria-label="Save title">
          <Check className="size-4" />
        </button>
      </form>
    );
  return (
    <div
      className={`group flex items-center rounded-md ${active ? 'bg-stone-200 dark:bg-stone-800' : 'hover:bg-stone-100 dark:hover:bg-stone-900'}`}
    >
      <button
        type="button"
        onClick={onOpen}
        onDoubleClick={() => setRenaming(true)}
        aria-current={active}
        className="min-w-0 flex-1 truncate px-3 py-2 text-left text-sm"
      >
        {conversation.title}
      </button>
      <span className="flex shrink-0 gap-1 pr-2 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100">
        <button type="button" aria-label={`Rename ${conversation.title}`} onClick={() => setRenaming(true)}>
          <Pencil className="size-3.5 text-stone-500" />
        </button>
        <button type="button" aria-label={`Delete ${conversation.title}`} onClick={onDelete}>
          <Trash2 className="size-3.5 text-stone-500" />
        </button>
      </span>
    </div>
  );
}

/** The sidebar: new chat, search over every message, conversations grouped by date. */
export const ConversationList = memo(
  forwardRef<
    HTMLInputElement,
    {
      conversations: Conversation[];
      current: string | null;
      canCreate: boolean;
      onNew: () => void;
      onOpen: (id: string, messageId?: string) => void;
      onRename: (id: string, title: string) => void;
      onDelete: (conversation: Conversation) => void;
      onImport: (content: string) => void;
    }
  >(function ConversationList(props, searchRef): React.JSX.Element {
    const client = useClient();
    const [query, setQuery] = useState('');
    const term = query.trim();
    const results = useQuery({
      queryKey: ['chats.search', term],
      queryFn: () => client.invoke('chats.search', { query: term }),
      enabled: term.length > 0,
    });
    const groups = useMemo(() => groupByDate(props.conversations, Date.now()), [props.conversations]);
    const titles = new Map(props.conversations.map((c) => [c.id, c.title]));

    return (
      <aside className="flex w-64 shrink-0 flex-col border-r border-stone-200 dark:border-stone-800">
        <div className="space-y-2 p-3">
          <Button
            className="flex w-full items-center justify-center gap-1.5"
            disabled={!props.canCreate}
            onClick={props.onNew}
            title="New chat (Ctrl+N)"
          >
            <Plus className="size-4" aria-hidden /> New chat
          </Button>
          <label className="flex items-center gap-2 rounded-md border border-stone-300 bg-white px-2 dark:border-stone-700 dark:bg-stone-950">
            <Search className="size-4 text-stone-400" aria-hidden />
            <input
              ref={searchRef}
              type="search"
              aria-label="Search chats"
              placeholder="Search (Ctrl+K)"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              onKeyDown={(e) => e.key === 'Escape' && setQuery('')}
              className="min-w-0 flex-1 bg-transparent py-1.5 text-sm outline-none"
            />
          </label>
        </div>
        <nav className="flex-1 overflow-y-auto px-2 pb-2" aria-label="Conversations">
          {term ? (
            <ul aria-label="Search results" className="space-y-1">
              {results.data?.map((r) => (
                <li key={r.messageId}>
                  <button
                    type="button"
                    data-testid="search-result"
                    onClick={() => {
                      props.onOpen(r.conversationId, r.messageId);
                      setQuery('');
                    }}
                    className="w-full rounded-md px-3 py-2 text-left text-sm hover:bg-stone-100 dark:hover:bg-stone-900"
                  >
                    <span className="block truncate font-medium">
                      {titles.get(r.conversationId) ?? 'Chat'}
                    </span>
                    <span className="block truncate text-xs text-stone-500">{r.snippet}</span>
                  </button>
                </li>
              ))}
              {results.data?.length === 0 && (
                <li className="px-3 py-2 text-sm text-stone-500">Nothing found.</li>
              )}
            </ul>
          ) : (
            groups.map((g) => (
              <section key={g.label} className="mb-2">
                <h3 className="px-3 py-1 text-xs font-medium text-stone-500">{g.label}</h3>
                <ul>
                  {g.items.map((c) => (
                    <li key={c.id}>
                      <Row
                        conversation={c}
                        active={c.id === props.current}
                        onOpen={() => props.onOpen(c.id)}
                        onRename={(title) => props.onRename(c.id, title)}
                        onDelete={() => props.onDelete(c)}
                      />
                    </li>
                  ))}
                </ul>
              </section>
            ))
          )}
        </nav>
        <label className="flex cursor-pointer items-center gap-1.5 border-t border-stone-200 px-4 py-2 text-xs text-stone-500 hover:text-stone-800 dark:border-stone-800 dark:hover:text-stone-200">
          <Upload className="size-3.5" aria-hidden /> Import a chat (JSON)
          <input
            type="file"
            accept="application/json,.json"
            aria-label="Import a chat"
            className="hidden"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void file.text().then(props.onImport);
            }}
          />
        </label>
      </aside>
    );
  }),
);
