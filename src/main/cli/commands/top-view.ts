import type { GpuSample, MonitorSample, ProcessSample } from '../../../shared/contract';
import { formatBytes } from '../../../shared/domain/format';
import { modelName } from '../../services/monitor/warnings';

export interface ViewOptions {
  width: number;
  height: number;
  color: boolean;
  /** Where the numbers come from (a Hearth server, or this machine alone). */
  source: string;
}

const codes = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;
type Style = keyof typeof codes;

// eslint-disable-next-line no-control-regex -- terminal escape codes are what it matches
const ansi = /\x1b\[[0-9;?]*[a-zA-Z]/g;

/** The printed width of a line, escape codes aside. */
export const visibleLength = (line: string): number => line.replace(ansi, '').length;

/** Cuts a line to `width` printed characters, keeping its escape codes balanced. */
export function truncate(line: string, width: number): string {
  let shown = 0;
  let out = '';
  let at = 0;
  while (at < line.length && shown < width) {
    // eslint-disable-next-line no-control-regex -- an escape code, copied but not counted
    const match = /^\x1b\[[0-9;?]*[a-zA-Z]/.exec(line.slice(at));
    if (match) {
      out += match[0];
      at += match[0].length;
    } else {
      out += line[at];
      at++;
      shown++;
    }
  }
  return at < line.length && out.includes('\x1b[') ? `${out}\x1b[0m` : out;
}

/** Green, yellow, red as a share rises (memory, load, temperature…). */
const level = (ratio: number | null): Style =>
  ratio === null ? 'dim' : ratio >= 0.9 ? 'red' : ratio >= 0.7 ? 'yellow' : 'green';

const na = 'N/A';
const pct = (value: number | null): string => (value === null ? na : `${Math.round(value)}%`);
const bytes = (value: number | null): string => (value === null ? na : formatBytes(value));

export function renderTop(sample: MonitorSample | undefined, options: ViewOptions): string[] {
  const paint = (text: string, style: Style): string =>
    options.color ? `\x1b[${codes[style]}m${text}\x1b[0m` : text;
  const bar = (ratio: number | null, width: number): string => {
    const w = Math.max(4, width);
    if (ratio === null) return `[${paint(' N/A '.padEnd(w, ' '), 'dim')}]`;
    const filled = Math.round(Math.min(1, Math.max(0, ratio)) * w);
    return `[${paint('█'.repeat(filled), level(ratio))}${'░'.repeat(w - filled)}]`;
  };
  const time = sample ? new Date(sample.at).toLocaleTimeString() : '';
  const lines = [
    `${paint('Hearth top', 'bold')}  ${time}  every ${sample ? sample.intervalMs / 1000 : '?'} s  ${paint(options.source, 'dim')}   q quits`,
  ];
  if (!sample) return [...lines, '', 'Waiting for the first sample…'].map((l) => truncate(l, options.width));
  const barWidth = Math.max(10, Math.min(40, Math.floor((options.width - 40) / 2)));

  const gpuLines = (g: GpuSample): string[] => {
    const head = `GPU ${g.index}  ${paint(g.name, 'bold')}`;
    if (g.state !== 'active')
      return [
        `${head}  ${paint(g.state === 'asleep' ? 'asleep (not woken to be read)' : 'GONE: stopped answering', g.state === 'gone' ? 'red' : 'dim')}`,
      ];
    const temp =
      g.temperatureC === null
        ? na
        : paint(
            `${Math.round(g.temperatureC)}°C`,
            g.temperatureC > 85 ? 'red' : g.temperatureC > 75 ? 'yellow' : 'green',
          );
    const power = `${g.powerW === null ? na : `${Math.round(g.powerW)}W`} / ${g.powerLimitW === null ? na : `${Math.round(g.powerLimitW)}W`}`;
    const throttle = (g.throttle ?? []).filter((r) => r !== 'idle');
    const memRatio =
      g.memoryUsedBytes !== null && g.memoryTotalBytes ? g.memoryUsedBytes / g.memoryTotalBytes : null;
    return [
      `${head}  Fan ${pct(g.fanPct)}  ${temp}  ${g.pstate ?? ''}  ${power}${g.mig ? '  MIG' : ''}${throttle.length ? `  ${paint(`throttled: ${throttle.join(',')}`, 'yellow')}` : ''}`,
      `  MEM ${bar(memRatio, barWidth)} ${bytes(g.memoryUsedBytes)} / ${bytes(g.memoryTotalBytes)}   UTL ${bar(g.utilizationPct === null ? null : g.utilizationPct / 100, barWidth)} ${pct(g.utilizationPct)}`,
    ];
  };
  for (const gpu of sample.gpus) lines.push(...gpuLines(gpu));
  if (sample.gpus.length === 0) lines.push(paint('No GPU: models run on the CPU', 'dim'));

  const h = sample.host;
  const blocks = ' ▁▂▃▄▅▆▇█';
  const cores = h.perCorePct
    .map((p) => paint(blocks[Math.min(8, Math.round((p / 100) * 8))]!, level(p / 100)))
    .join('');
  lines.push(
    `CPU ${bar(h.cpuPct === null ? null : h.cpuPct / 100, barWidth)} ${pct(h.cpuPct)}  ${h.load ? `load ${h.load.map((l) => l.toFixed(2)).join(' ')}` : ''}`,
    `    cores ${cores}`,
    `MEM ${bar(h.ramUsedBytes === null ? null : h.ramUsedBytes / h.ramTotalBytes, barWidth)} ${bytes(h.ramUsedBytes)} / ${bytes(h.ramTotalBytes)}${h.unifiedMemory ? ' (unified)' : ''}   SWP ${bar(h.swapUsedBytes !== null && h.swapTotalBytes ? h.swapUsedBytes / h.swapTotalBytes : h.swapTotalBytes === 0 ? 0 : null, Math.floor(barWidth / 2))} ${bytes(h.swapUsedBytes)}`,
    '',
    paint(
      `${'PID'.padEnd(8)}${'PROCESS'.padEnd(28)}${'GPU MEM'.padStart(10)}${'CPU'.padStart(7)}${'RSS'.padStart(10)}  ${'CONTEXT'.padEnd(18)}${'TOK/S'.padStart(7)}`,
      'bold',
    ),
  );
  const row = (p: ProcessSample): string => {
    const name = p.role === 'app' ? 'Hearth' : `engine ${modelName(p.modelPath)}`;
    const fill = p.contextTokens !== null && p.contextSize ? p.contextTokens / p.contextSize : null;
    const context =
      fill === null
        ? ''
        : paint(`${p.contextTokens}/${p.contextSize} ${Math.round(fill * 100)}%`, level(fill));
    const speed = p.role === 'engine' ? (p.tokensPerSecond ?? 0).toFixed(1) : '';
    return `${String(p.pid).padEnd(8)}${name.slice(0, 27).padEnd(28)}${bytes(p.gpuMemoryBytes).padStart(10)}${(p.cpuPct === null ? na : `${p.cpuPct.toFixed(0)}%`).padStart(7)}${bytes(p.rssBytes).padStart(10)}  ${context}${' '.repeat(Math.max(0, 18 - visibleLength(context)))}${speed.padStart(7)}`;
  };
  const engines = sample.processes.filter((p) => p.role === 'engine');
  for (const p of [...engines, ...sample.processes.filter((p) => p.role === 'app')]) lines.push(row(p));
  if (engines.length === 0) lines.push(paint('        no model loaded', 'dim'));
  if (sample.tokensPerSecond > 0)
    lines.push(`Generating at ${paint(sample.tokensPerSecond.toFixed(1), 'bold')} tokens/s`);
  if (sample.warnings.length) lines.push('');
  for (const w of sample.warnings)
    lines.push(
      `${paint('!', w.severity === 'critical' ? 'red' : 'yellow')} ${w.message} ${paint(w.action, 'dim')}`,
    );
  // The warnings matter more than rows that do not fit: keep the first lines and the last ones.
  const fitted =
    lines.length > options.height ? [...lines.slice(0, options.height - 1), lines.at(-1)!] : lines;
  return fitted.map((l) => truncate(l, options.width));
}
