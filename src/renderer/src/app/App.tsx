import { Flame, Home } from 'lucide-react';
import { HomeView } from '../features/home/HomeView';
import { ConnectionBadge } from '../components/ConnectionBadge';

export function App({ transport }: { transport: 'ipc' | 'web' }): React.JSX.Element {
  return (
    <div className="flex h-full">
      <nav
        aria-label="Main"
        className="flex w-56 shrink-0 flex-col border-r border-stone-200 bg-stone-100 dark:border-stone-800 dark:bg-stone-900"
      >
        <div className="flex items-center gap-2 px-4 py-4 text-lg font-semibold">
          <Flame className="size-6 text-ember-500" aria-hidden />
          Hearth
        </div>
        <ul className="flex-1 px-2">
          <li>
            <a
              href="#/"
              aria-current="page"
              className="flex items-center gap-2 rounded-md bg-stone-200 px-3 py-2 text-sm font-medium dark:bg-stone-800"
            >
              <Home className="size-4" aria-hidden /> Home
            </a>
          </li>
        </ul>
        <div className="border-t border-stone-200 p-3 dark:border-stone-800">
          <ConnectionBadge transport={transport} />
        </div>
      </nav>
      <main className="flex-1 overflow-y-auto">
        <HomeView />
      </main>
    </div>
  );
}
