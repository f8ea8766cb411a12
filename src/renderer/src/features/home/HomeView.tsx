import { useLatestEvent, useRoute } from '../../lib/hooks';
import { RecommendedCard } from '../models/DiscoverView';

function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

function Row({ label, value, testId }: { label: string; value: string; testId?: string }): React.JSX.Element {
  return (
    <div className="flex gap-4 py-1.5 text-sm">
      <dt className="w-32 shrink-0 text-stone-500 dark:text-stone-400">{label}</dt>
      <dd className="min-w-0 break-all font-mono" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function HomeView(): React.JSX.Element {
  const info = useRoute('app.info');
  const beat = useLatestEvent('app.heartbeat');
  const library = useRoute('library.list');
  const firstRun = library.data !== undefined && library.data.length === 0;
  return (
    <div className="mx-auto max-w-3xl px-8 py-10">
      <h1 className="text-3xl font-semibold tracking-tight">Welcome to Hearth</h1>
      <p className="mt-2 text-stone-600 dark:text-stone-400">
        Your AI, at home: private, offline, on your own hardware.
      </p>
      {firstRun && (
        <div className="mt-8 space-y-2">
          <h2 className="text-lg font-semibold">Get started</h2>
          <p className="text-sm text-stone-600 dark:text-stone-400">
            Hearth looked at your hardware. Install this model with one click, then chat with it.
          </p>
          <RecommendedCard />
        </div>
      )}
      <section
        aria-labelledby="about"
        className="mt-8 rounded-xl border border-stone-200 bg-white p-5 shadow-sm dark:border-stone-800 dark:bg-stone-900"
      >
        <h2 id="about" className="mb-3 text-sm font-semibold uppercase tracking-wide text-stone-500">
          This Hearth
        </h2>
        {info.isPending && <p className="text-sm text-stone-500">Asking the backend…</p>}
        {info.isError && (
          <p role="alert" className="text-sm text-red-600">
            Could not reach the backend: {info.error.message}
          </p>
        )}
        {info.data && (
          <dl>
            <Row label="Version" value={info.data.version} testId="app-version" />
            <Row
              label="Running as"
              value={info.data.runtime === 'desktop' ? 'Desktop app' : 'Local server'}
              testId="app-runtime"
            />
            <Row label="System" value={`${info.data.platform} (${info.data.arch})`} testId="app-platform" />
            <Row label="Data folder" value={info.data.dataDir} testId="app-data-dir" />
            <Row label="Node.js" value={info.data.versions.node} />
            {info.data.versions.electron && <Row label="Electron" value={info.data.versions.electron} />}
            <Row label="Uptime" value={beat ? formatUptime(beat.uptimeMs) : '…'} testId="app-uptime" />
          </dl>
        )}
      </section>
    </div>
  );
}
