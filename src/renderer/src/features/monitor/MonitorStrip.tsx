import { Activity, TriangleAlert } from 'lucide-react';
import type { GpuSample } from '../../../../shared/contract';
import { bytes, levelOf, pct, ratioOf, textLevel } from './meters';
import { monitorStore, useMonitor } from './monitor-store';
import { useMonitorWatch } from './use-monitor-watch';

/** "RTX 4090" rather than "NVIDIA GeForce RTX 4090": the strip is narrow. */
export const shortGpuName = (name: string): string =>
  name.replace(/^(NVIDIA\s+)?(GeForce\s+)?/i, '').replace(/^AMD\s+(Radeon\s+)?/i, '') || name;

function GpuReading({ gpu }: { gpu: GpuSample }): React.JSX.Element {
  const memory = ratioOf(gpu.memoryUsedBytes, gpu.memoryTotalBytes);
  return (
    <span data-testid="strip-gpu" className="flex items-center gap-1.5 whitespace-nowrap">
      <span className="text-stone-500">{shortGpuName(gpu.name)}</span>
      {gpu.state === 'active' ? (
        <>
          <span className={textLevel[levelOf(memory)]}>
            {bytes(gpu.memoryUsedBytes)}/{bytes(gpu.memoryTotalBytes)}
          </span>
          <span data-testid="strip-gpu-util">{pct(gpu.utilizationPct)}</span>
        </>
      ) : (
        <span className={gpu.state === 'gone' ? 'text-red-600 dark:text-red-400' : 'text-stone-500'}>
          {gpu.state}
        </span>
      )}
    </span>
  );
}

/**
 * The compact monitor, always in the window's frame: CPU, RAM, each GPU's memory and load, and
 * the live speed; a click opens the full view beside the page. Watching starts here.
 */
export function MonitorStrip(): React.JSX.Element {
  useMonitorWatch();
  const sample = useMonitor((s) => s.latest);
  const open = useMonitor((s) => s.panelOpen);
  const host = sample?.host;
  const ram = host ? ratioOf(host.ramUsedBytes, host.ramTotalBytes) : null;
  const warnings = sample?.warnings ?? [];
  return (
    <button
      type="button"
      data-testid="monitor-strip"
      aria-expanded={open}
      aria-label="Resources: open the full monitor"
      onClick={() => monitorStore.setPanelOpen(!open)}
      className="flex h-8 w-full shrink-0 items-center gap-4 overflow-hidden border-t border-stone-200 bg-stone-100 px-3 text-xs tabular-nums hover:bg-stone-200/70 dark:border-stone-800 dark:bg-stone-900 dark:hover:bg-stone-800/70"
    >
      <Activity className="size-3.5 shrink-0 text-ember-500" aria-hidden />
      {!sample && <span className="text-stone-500">Reading resources…</span>}
      {host && (
        <>
          <span data-testid="strip-cpu" className="whitespace-nowrap">
            <span className="text-stone-500">CPU </span>
            <span className={textLevel[levelOf(host.cpuPct === null ? null : host.cpuPct / 100)]}>
              {pct(host.cpuPct)}
            </span>
          </span>
          <span data-testid="strip-ram" className="whitespace-nowrap">
            <span className="text-stone-500">RAM </span>
            <span className={textLevel[levelOf(ram)]}>
              {bytes(host.ramUsedBytes)}/{bytes(host.ramTotalBytes)}
            </span>
          </span>
        </>
      )}
      {sample?.gpus.map((gpu) => (
        <GpuReading key={gpu.id} gpu={gpu} />
      ))}
      {sample && (
        <span data-testid="strip-tps" className="whitespace-nowrap">
          {sample.tokensPerSecond > 0 ? `${sample.tokensPerSecond.toFixed(1)} tok/s` : 'idle'}
        </span>
      )}
      {warnings.length > 0 && (
        <span
          data-testid="strip-warnings"
          className="ml-auto flex min-w-0 items-center gap-1 text-amber-700 dark:text-amber-400"
        >
          <TriangleAlert className="size-3.5 shrink-0" aria-hidden />
          <span className="truncate">
            {warnings.length === 1 ? warnings[0]!.message.split(':')[0] : `${warnings.length} warnings`}
          </span>
        </span>
      )}
    </button>
  );
}
