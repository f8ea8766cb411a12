import { Fan, Thermometer, Zap } from 'lucide-react';
import type { GpuSample, HostSample, MonitorWarning, ProcessSample } from '../../../../shared/contract';
import { bytes, levelOf, Meter, na, pct, ratioOf, textLevel } from './meters';

/** One GPU, as nvitop shows it: name and state, fan, temperature, power, then memory and load bars. */
export function GpuRow({ gpu }: { gpu: GpuSample }): React.JSX.Element {
  const hot = gpu.temperatureC === null ? null : gpu.temperatureC / 95;
  const throttle = (gpu.throttle ?? []).filter((r) => r !== 'idle');
  return (
    <div data-testid="monitor-gpu" data-state={gpu.state} className="space-y-1.5">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span className="font-medium">
          GPU {gpu.index} · {gpu.name}
        </span>
        {gpu.state !== 'active' && (
          <span
            className={`rounded px-1.5 text-xs ${gpu.state === 'gone' ? 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300' : 'bg-stone-200 text-stone-700 dark:bg-stone-800 dark:text-stone-300'}`}
          >
            {gpu.state === 'gone' ? 'gone' : 'asleep'}
          </span>
        )}
        <span className="ml-auto flex items-center gap-3 text-xs tabular-nums text-stone-600 dark:text-stone-400">
          <span title="Fan" className="flex items-center gap-1">
            <Fan className="size-3" aria-hidden /> {pct(gpu.fanPct)}
          </span>
          <span title="Temperature" className={`flex items-center gap-1 ${textLevel[levelOf(hot)]}`}>
            <Thermometer className="size-3" aria-hidden />
            {gpu.temperatureC === null ? na : `${Math.round(gpu.temperatureC)} °C`}
          </span>
          <span title="Power draw / limit" className="flex items-center gap-1">
            <Zap className="size-3" aria-hidden />
            {gpu.powerW === null ? na : `${Math.round(gpu.powerW)} W`} /{' '}
            {gpu.powerLimitW === null ? na : `${Math.round(gpu.powerLimitW)} W`}
          </span>
          {gpu.pstate && <span title="Performance state">{gpu.pstate}</span>}
        </span>
      </div>
      <Meter
        label="MEM"
        testId="monitor-gpu-memory"
        ratio={ratioOf(gpu.memoryUsedBytes, gpu.memoryTotalBytes)}
        text={`${bytes(gpu.memoryUsedBytes)} / ${bytes(gpu.memoryTotalBytes)}`}
      />
      <Meter
        label="UTIL"
        testId="monitor-gpu-util"
        ratio={gpu.utilizationPct === null ? null : gpu.utilizationPct / 100}
        text={gpu.mig ? 'N/A (MIG)' : pct(gpu.utilizationPct)}
      />
      {throttle.length > 0 && (
        <p className="text-xs text-amber-700 dark:text-amber-400">Clocks held back: {throttle.join(', ')}</p>
      )}
    </div>
  );
}

/** The machine: a bar per core, then RAM and swap. */
export function HostRow({ host }: { host: HostSample }): React.JSX.Element {
  return (
    <div data-testid="monitor-host" className="space-y-1.5">
      <div className="flex items-center gap-2 text-sm">
        <span className="font-medium">CPU</span>
        <span
          className={`tabular-nums ${textLevel[levelOf(host.cpuPct === null ? null : host.cpuPct / 100)]}`}
        >
          {pct(host.cpuPct)}
        </span>
        {host.load && (
          <span className="ml-auto text-xs tabular-nums text-stone-500">
            load {host.load.map((l) => l.toFixed(2)).join(' ')}
          </span>
        )}
      </div>
      <div className="flex h-8 items-end gap-px" aria-label="CPU per core">
        {host.perCorePct.map((p, core) => (
          <div
            key={core}
            title={`core ${core}: ${Math.round(p)}%`}
            className="flex h-full min-w-0.5 flex-1 items-end rounded-sm bg-stone-200 dark:bg-stone-800"
          >
            <div
              className={`w-full rounded-sm ${{ ok: 'bg-emerald-500', high: 'bg-amber-500', full: 'bg-red-500', unknown: '' }[levelOf(p / 100)]}`}
              style={{ height: `${Math.max(2, Math.round(p))}%` }}
            />
          </div>
        ))}
      </div>
      <Meter
        label="RAM"
        testId="monitor-ram"
        ratio={ratioOf(host.ramUsedBytes, host.ramTotalBytes)}
        text={`${bytes(host.ramUsedBytes)} / ${bytes(host.ramTotalBytes)}${host.unifiedMemory ? ' unified' : ''}`}
      />
      <Meter
        label="SWAP"
        testId="monitor-swap"
        ratio={host.swapTotalBytes === 0 ? 0 : ratioOf(host.swapUsedBytes, host.swapTotalBytes)}
        text={
          host.swapTotalBytes === 0 ? 'none' : `${bytes(host.swapUsedBytes)} / ${bytes(host.swapTotalBytes)}`
        }
      />
    </div>
  );
}

const modelName = (path: string | null): string =>
  path ? (path.split(/[\\/]/).pop() ?? path).replace(/\.gguf$/i, '') : '—';

/** Hearth's processes: each engine with its model, memory, CPU and context fill, then the app. */
export function ProcessTable({ processes }: { processes: readonly ProcessSample[] }): React.JSX.Element {
  const rows = [...processes].sort((a, b) =>
    a.role === b.role ? a.pid - b.pid : a.role === 'engine' ? -1 : 1,
  );
  return (
    <table className="w-full text-xs tabular-nums" data-testid="monitor-processes">
      <thead className="text-left text-stone-500">
        <tr>
          <th className="py-1 font-medium">Process</th>
          <th className="font-medium">PID</th>
          <th className="text-right font-medium">GPU mem</th>
          <th className="text-right font-medium">CPU</th>
          <th className="text-right font-medium">RSS</th>
          <th className="pl-3 font-medium">Context</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => {
          const fill = ratioOf(p.contextTokens, p.contextSize);
          return (
            <tr
              key={p.pid}
              data-testid="monitor-process"
              data-role={p.role}
              className="border-t border-stone-200 dark:border-stone-800"
            >
              <td className="max-w-40 truncate py-1" title={p.modelPath ?? undefined}>
                {p.role === 'app' ? 'Hearth' : modelName(p.modelPath)}
                {p.generating && (
                  <span className="ml-1 text-ember-600 dark:text-ember-400">
                    {(p.tokensPerSecond ?? 0).toFixed(1)} tok/s
                  </span>
                )}
              </td>
              <td>{p.pid}</td>
              <td className="text-right">{bytes(p.gpuMemoryBytes)}</td>
              <td className="text-right">{p.cpuPct === null ? na : `${Math.round(p.cpuPct)}%`}</td>
              <td className="text-right">{bytes(p.rssBytes)}</td>
              <td className={`pl-3 ${textLevel[levelOf(fill)]}`} data-testid="monitor-context">
                {fill === null ? '' : `${p.contextTokens} / ${p.contextSize} (${Math.round(fill * 100)}%)`}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function WarningList({ warnings }: { warnings: readonly MonitorWarning[] }): React.JSX.Element | null {
  if (warnings.length === 0) return null;
  return (
    <ul className="space-y-2" aria-label="Warnings">
      {warnings.map((w) => (
        <li
          key={`${w.kind}:${w.subject}`}
          data-testid="monitor-warning"
          data-kind={w.kind}
          className={`rounded-md border p-2 text-xs ${w.severity === 'critical' ? 'border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200' : 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200'}`}
        >
          <p className="font-medium">{w.message}</p>
          <p className="mt-0.5 opacity-80">{w.action}</p>
        </li>
      ))}
    </ul>
  );
}
