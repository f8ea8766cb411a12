import { useEffect, useState } from 'react';
import { useLatestEvent } from '../lib/hooks';

/** Live when a heartbeat arrived in the last few seconds: proves events flow from the backend. */
export function ConnectionBadge({ transport }: { transport: 'ipc' | 'web' }): React.JSX.Element {
  const beat = useLatestEvent('app.heartbeat');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const live = beat !== undefined && now - beat.at < 5000;
  return (
    <div
      data-testid="connection"
      data-live={live}
      className="flex items-center gap-2 text-xs text-stone-600 dark:text-stone-400"
    >
      <span className={`size-2 rounded-full ${live ? 'bg-emerald-500' : 'bg-stone-400'}`} aria-hidden />
      {live ? 'Connected' : 'Connecting…'}
      <span className="ml-auto">{transport === 'ipc' ? 'desktop' : 'browser'}</span>
    </div>
  );
}
