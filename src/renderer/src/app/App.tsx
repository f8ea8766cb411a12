import { Compass, Download, Flame, HardDrive, Home, MessageSquare, MonitorCog, Settings } from 'lucide-react';
import { ConnectionBadge } from '../components/ConnectionBadge';
import { ChatView } from '../features/chat/ChatView';
import { HardwareView } from '../features/hardware/HardwareView';
import { HomeView } from '../features/home/HomeView';
import { DiscoverView } from '../features/models/DiscoverView';
import { DownloadsView } from '../features/models/DownloadsView';
import { ModelPageView } from '../features/models/ModelPageView';
import { MyModelsView } from '../features/models/MyModelsView';
import { SettingsView } from '../features/settings/SettingsView';
import { useTheme } from '../lib/use-theme';
import { useLiveModels } from '../lib/use-live';
import { useHashRoute } from '../lib/use-hash-route';

const pages = [
  { id: '', label: 'Home', icon: Home, view: HomeView },
  { id: 'chat', label: 'Chat', icon: MessageSquare, view: ChatView },
  { id: 'discover', label: 'Discover', icon: Compass, view: DiscoverView },
  { id: 'models', label: 'My models', icon: HardDrive, view: MyModelsView },
  { id: 'downloads', label: 'Downloads', icon: Download, view: DownloadsView },
  { id: 'hardware', label: 'Hardware', icon: MonitorCog, view: HardwareView },
  { id: 'settings', label: 'Settings', icon: Settings, view: SettingsView },
] as const;

function Content({ route }: { route: string }): React.JSX.Element {
  if (route.startsWith('model/'))
    return <ModelPageView repo={decodeURIComponent(route.slice('model/'.length))} />;
  const View = (pages.find((p) => p.id === route) ?? pages[0]).view;
  return <View />;
}

export function App({ transport }: { transport: 'ipc' | 'web' }): React.JSX.Element {
  const route = useHashRoute();
  useLiveModels();
  useTheme();
  const current = route.startsWith('model/')
    ? 'discover'
    : (pages.find((p) => p.id === route) ?? pages[0]).id;
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
        <ul className="flex-1 space-y-0.5 px-2">
          {pages.map(({ id, label, icon: Icon }) => (
            <li key={id}>
              <a
                href={`#/${id}`}
                aria-current={current === id ? 'page' : undefined}
                className={`flex items-center gap-2 rounded-md px-3 py-2 text-sm font-medium ${current === id ? 'bg-stone-200 dark:bg-stone-800' : 'hover:bg-stone-200/60 dark:hover:bg-stone-800/60'}`}
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
      <main className="flex-1 overflow-y-auto">
        <Content route={route} />
      </main>
    </div>
  );
}
