import {
  Compass,
  Download,
  HardDrive,
  Home,
  MessageSquare,
  MonitorCog,
  Network,
  Server,
  Settings,
} from 'lucide-react';
import { lazy, type ComponentType } from 'react';
import { ChatView } from '../features/chat/ChatView';
import type { PageId } from './routes';

// Each page is its own chunk, fetched the first time it is shown, except the chat: the window opens
// on it, and a chunk of its own would be fetched only once the entry has run, one more step in the
// way of the first keystroke. Its thread and Markdown stay apart (see ChatView).
export const HomeView = lazy(() =>
  import('../features/home/HomeView').then((m) => ({ default: m.HomeView })),
);
export const ModelPageView = lazy(() =>
  import('../features/models/ModelPageView').then((m) => ({ default: m.ModelPageView })),
);
const DiscoverView = lazy(() =>
  import('../features/models/DiscoverView').then((m) => ({ default: m.DiscoverView })),
);
const MyModelsView = lazy(() =>
  import('../features/models/MyModelsView').then((m) => ({ default: m.MyModelsView })),
);
const DownloadsView = lazy(() =>
  import('../features/models/DownloadsView').then((m) => ({ default: m.DownloadsView })),
);
const HardwareView = lazy(() =>
  import('../features/hardware/HardwareView').then((m) => ({ default: m.HardwareView })),
);
const ServerView = lazy(() =>
  import('../features/server/ServerView').then((m) => ({ default: m.ServerView })),
);
const ProvidersView = lazy(() =>
  import('../features/providers/ProvidersView').then((m) => ({ default: m.ProvidersView })),
);
const SettingsView = lazy(() =>
  import('../features/settings/SettingsView').then((m) => ({ default: m.SettingsView })),
);

/** The navigation, in order. Home is the welcome page; the window itself opens on the chat once a model is installed. */
export const pages: { id: PageId; label: string; icon: typeof Home; view: ComponentType }[] = [
  { id: 'home', label: 'Home', icon: Home, view: HomeView },
  { id: 'chat', label: 'Chat', icon: MessageSquare, view: ChatView },
  { id: 'discover', label: 'Discover', icon: Compass, view: DiscoverView },
  { id: 'models', label: 'My models', icon: HardDrive, view: MyModelsView },
  { id: 'downloads', label: 'Downloads', icon: Download, view: DownloadsView },
  { id: 'hardware', label: 'Hardware', icon: MonitorCog, view: HardwareView },
  { id: 'server', label: 'Server', icon: Server, view: ServerView },
  { id: 'providers', label: 'Providers', icon: Network, view: ProvidersView },
  { id: 'settings', label: 'Settings', icon: Settings, view: SettingsView },
];
