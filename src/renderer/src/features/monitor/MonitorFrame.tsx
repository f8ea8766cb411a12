import { lazy, Suspense } from 'react';
import { useMonitor } from './monitor-store';

// uPlot and the full view load the first time the panel opens, not with the window.
const MonitorPanel = lazy(() => import('./MonitorPanel').then((m) => ({ default: m.MonitorPanel })));

/** The full monitor beside the page while it is open. */
export function MonitorSidePanel(): React.JSX.Element | null {
  const open = useMonitor((s) => s.panelOpen);
  if (!open) return null;
  return (
    <Suspense fallback={null}>
      <MonitorPanel />
    </Suspense>
  );
}
