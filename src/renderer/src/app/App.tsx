import { Flame } from 'lucide-react';
import { Suspense } from 'react';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { ChatView } from '../features/chat/ChatView';
import { MonitorSidePanel } from '../features/monitor/MonitorFrame';
import { MonitorStrip } from '../features/monitor/MonitorStrip';
import { useRoute } from '../lib/hooks';
import { useHashRoute } from '../lib/use-hash-route';
import { useLiveModels } from '../lib/use-live';
import { useTheme } from '../lib/use-theme';
import { ModelDropZone } from './ModelDropZone';
import { ModelPageView, pages } from './pages';
import { resolveRoute, type Resolved } from './routes';

function Content({ resolved }: { resolved: Resolved }): React.JSX.Element {
  // The chat keeps one place in the tree whatever its address (#/, #/chat, #/chat/<id>), so sending
  // the first message of a new chat (which moves to #/chat/<id>) keeps the composer and its focus.
  if (resolved.page === 'chat') return <ChatView conversationId={resolved.conversationId} />;
  if ('repo' in resolved) return <ModelPageView repo={resolved.repo} />;
  const View = pages.find((p) => p.id === resolved.page)!.view;
  return <View />;
}

export function App({ transport }: { transport: 'ipc' | 'web' }): React.JSX.Element {
  const route = useHashRoute();
  const library = useRoute('library.list');
  useLiveModels();
  useTheme();
  // A library that cannot be read shows the welcome page, which says what is wrong.
  const hasModel = library.isError ? false : library.data?.some((m) => !m.error);
  const resolved = resolveRoute(route, hasModel);
  return (
    <div className="flex h-full">
      <ModelDropZone />
      <nav
        aria-label="Main"
        className="flex w-56 shrink-0 flex-col border-r border-stone-200 bg-stone-100 dark:border-stone-800 dark:bg-stone-900"
      >
        <div className="flex items-center gap-2 px-4 py-4 text-lg font-semibold">
          <Flame className="size-6 text-ember-500" aria-hidden />
          Hearth
        </div>
        <ul className="flex-1 space-y-0.5 px-2">
          {pages.map(({ id, label, icon: Icon }) => (
            <li key={id}>
              <a
                href={`#/${id}`}
                aria-current={resolved?.page === id ? 'page' : undefined}
                className={`flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium ${resolved?.page === id ? 'bg-stone-200 dark:bg-stone-800' : 'hover:bg-stone-200/60 dark:hover:bg-stone-800/60'}`}
              >
                <Icon className="size-4" aria-hidden /> {label}
              </a>
            </li>
          ))}
        </ul>
        <div className="border-t border-stone-200 p-3 dark:border-stone-800">
          <ConnectionBadge transport={transport} />
        </div>
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        <main className="min-h-0 flex-1 overflow-y-auto">
          {/* Nothing while a page's chunk loads: it comes from disk (or the LAN) in a few milliseconds. */}
          <Suspense fallback={null}>{resolved && <Content resolved={resolved} />}</Suspense>
        </main>
        <MonitorStrip />
      </div>
      <MonitorSidePanel />
    </div>
  );
}
