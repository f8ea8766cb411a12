import { X } from 'lucide-react';
import { useEffect } from 'react';
import { useClient } from '../../lib/hooks';
import { HistoryCharts } from './HistoryCharts';
import { GpuRow, HostRow, ProcessTable, WarningList } from './MonitorRows';
import { monitorStore, useMonitor } from './monitor-store';

/**
 * The full monitor, beside the page, laid out like nvitop: warnings first, a row per GPU, the
 * host, Hearth's processes, then the last 10 minutes. Loaded only when first opened.
 */
export function MonitorPanel(): React.JSX.Element {
  const client = useClient();
  const sample = useMonitor((s) => s.latest);
  const history = useMonitor((s) => s.history);
  useEffect(() => {
    // The backend's ring buffer fills in what happened before this window looked.
    void client
      .invoke('monitor.history')
      .then((h) => monitorStore.add(h.samples))
      .catch(() => {});
  }, [client]);
  return (
    <aside
      aria-label="Resource monitor"
      data-testid="monitor-panel"
      className="flex w-[30rem] shrink-0 flex-col border-l border-stone-200 bg-white dark:border-stone-800 dark:bg-stone-900"
    >
      <header className="flex items-center gap-2 border-b border-stone-200 px-4 py-2 dark:border-stone-800">
        <h2 className="text-sm font-semibold">Resources</h2>
        {sample && (
          <span className="text-xs text-stone-500">every {(sample.intervalMs / 1000).toFixed(1)} s</span>
        )}
        <button
          type="button"
          aria-label="Close the resource monitor"
          onClick={() => monitorStore.setPanelOpen(false)}
          className="ml-auto rounded p-1 hover:bg-stone-100 dark:hover:bg-stone-800"
        >
          <X className="size-4" aria-hidden />
        </button>
      </header>
      <div className="flex-1 space-y-4 overflow-y-auto p-4">
        {!sample && <p className="text-sm text-stone-500">Reading resources…</p>}
        {sample && (
          <>
            <WarningList warnings={sample.warnings} />
            {sample.gpus.map((gpu) => (
              <GpuRow key={gpu.id} gpu={gpu} />
            ))}
            {sample.gpus.length === 0 && (
              <p className="text-sm text-stone-500">No GPU found: models run on the CPU.</p>
            )}
            <HostRow host={sample.host} />
            <ProcessTable processes={sample.processes} />
            {sample.tokensPerSecond > 0 && (
              <p className="text-sm" data-testid="monitor-speed">
                Generating at <strong>{sample.tokensPerSecond.toFixed(1)}</strong> tokens/s
              </p>
            )}
            <HistoryCharts history={history} />
          </>
        )}
      </div>
    </aside>
  );
}
