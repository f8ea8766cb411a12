import type { MonitorSample } from '../../../shared/contract';
import { modelName } from './warnings';

type Labels = Record<string, string>;
type Series = { labels: Labels; value: number | null }[];

const escapeLabel = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const labelText = (labels: Labels): string => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

const ratio = (pct: number | null): number | null => (pct === null ? null : pct / 100);

/**
 * A sample in Prometheus' text format (0.0.4): one gauge family per reading. An unknown reading
 * has no series at all, as Prometheus expects, rather than a misleading 0.
 */
export function prometheusText(sample: MonitorSample | undefined): string {
  const lines: string[] = [];
  const family = (name: string, help: string, series: Series): void => {
    const known = series.filter((s) => s.value !== null && Number.isFinite(s.value));
    if (known.length === 0) return;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const s of known) lines.push(`${name}${labelText(s.labels)} ${s.value}`);
  };
  family('hearth_monitor_up', 'Whether the monitor has a recent sample.', [
    { labels: {}, value: sample ? 1 : 0 },
  ]);
  if (!sample) return `${lines.join('\n')}\n`;

  const gpus = sample.gpus.map((g) => ({ g, labels: { gpu: String(g.index), uuid: g.id, name: g.name } }));
  const gpu = (name: string, help: string, pick: (g: MonitorSample['gpus'][number]) => number | null) =>
    family(
      name,
      help,
      gpus.map(({ g, labels }) => ({ labels, value: pick(g) })),
    );
  gpu('hearth_gpu_up', 'The GPU answers (0 when asleep or gone).', (g) => (g.state === 'active' ? 1 : 0));
  gpu('hearth_gpu_utilization_ratio', 'GPU utilisation, 0-1.', (g) => ratio(g.utilizationPct));
  gpu('hearth_gpu_memory_used_bytes', 'GPU memory in use.', (g) => g.memoryUsedBytes);
  gpu('hearth_gpu_memory_total_bytes', 'GPU memory size.', (g) => g.memoryTotalBytes);
  gpu('hearth_gpu_temperature_celsius', 'GPU temperature.', (g) => g.temperatureC);
  gpu('hearth_gpu_power_watts', 'GPU power draw.', (g) => g.powerW);
  gpu('hearth_gpu_power_limit_watts', 'GPU power limit.', (g) => g.powerLimitW);
  gpu('hearth_gpu_fan_ratio', 'GPU fan speed, 0-1.', (g) => ratio(g.fanPct));
  gpu('hearth_gpu_sm_clock_mhz', 'GPU core clock.', (g) => g.smClockMHz);

  const h = sample.host;
  family('hearth_cpu_utilization_ratio', 'CPU utilisation over all cores, 0-1.', [
    { labels: {}, value: ratio(h.cpuPct) },
  ]);
  family(
    'hearth_cpu_core_utilization_ratio',
    'CPU utilisation per core, 0-1.',
    h.perCorePct.map((pct, core) => ({ labels: { core: String(core) }, value: pct / 100 })),
  );
  family(
    'hearth_load_average',
    'System load average.',
    (['1m', '5m', '15m'] as const).map((period, i) => ({ labels: { period }, value: h.load?.[i] ?? null })),
  );
  family('hearth_memory_total_bytes', 'System RAM.', [{ labels: {}, value: h.ramTotalBytes }]);
  family('hearth_memory_used_bytes', 'System RAM in use.', [{ labels: {}, value: h.ramUsedBytes }]);
  family('hearth_memory_available_bytes', 'System RAM available.', [
    { labels: {}, value: h.ramAvailableBytes },
  ]);
  family('hearth_swap_total_bytes', 'Swap size.', [{ labels: {}, value: h.swapTotalBytes }]);
  family('hearth_swap_used_bytes', 'Swap in use.', [{ labels: {}, value: h.swapUsedBytes }]);

  const procs = sample.processes.map((p) => ({
    p,
    labels: {
      pid: String(p.pid),
      role: p.role,
      ...(p.role === 'engine' ? { model: modelName(p.modelPath) } : {}),
    },
  }));
  const proc = (name: string, help: string, pick: (p: MonitorSample['processes'][number]) => number | null) =>
    family(
      name,
      help,
      procs.map(({ p, labels }) => ({ labels, value: pick(p) })),
    );
  proc('hearth_process_cpu_ratio', "A Hearth process's CPU use, in cores.", (p) => ratio(p.cpuPct));
  proc('hearth_process_resident_bytes', "A Hearth process's resident memory.", (p) => p.rssBytes);
  proc('hearth_process_gpu_memory_bytes', "A Hearth process's GPU memory.", (p) => p.gpuMemoryBytes);
  const engines = procs.filter(({ p }) => p.role === 'engine');
  const engine = (
    name: string,
    help: string,
    pick: (p: MonitorSample['processes'][number]) => number | null,
  ) =>
    family(
      name,
      help,
      engines.map(({ p, labels }) => ({ labels, value: pick(p) })),
    );
  engine(
    'hearth_engine_tokens_per_second',
    'Generation speed of the replies running now.',
    (p) => p.tokensPerSecond,
  );
  engine('hearth_engine_context_tokens', 'Tokens in the loaded model’s context.', (p) => p.contextTokens);
  engine('hearth_engine_context_size_tokens', 'The loaded model’s context size.', (p) => p.contextSize);
  engine('hearth_engine_context_fill_ratio', 'Context fill, 0-1.', (p) =>
    p.contextTokens !== null && p.contextSize ? p.contextTokens / p.contextSize : null,
  );
  engine('hearth_engine_gpu_layers', 'Layers on the GPU.', (p) => p.gpuLayers);
  engine('hearth_engine_layers', 'Layers in the model.', (p) => p.totalLayers);
  family('hearth_tokens_per_second', 'Generation speed over all engines.', [
    { labels: {}, value: sample.tokensPerSecond },
  ]);
  family(
    'hearth_warning',
    'A warning in effect (see the app or hearth top for what to do).',
    sample.warnings.map((w) => ({
      labels: { kind: w.kind, subject: w.subject, severity: w.severity },
      value: 1,
    })),
  );
  return `${lines.join('\n')}\n`;
}
