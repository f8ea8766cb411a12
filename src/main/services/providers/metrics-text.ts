import type { MachineSample } from '../../../shared/contract/provider-insight';

/** One series of a Prometheus text exposition: name, labels, value. */
export interface MetricSeries {
  name: string;
  labels: Map<string, string>;
  value: number;
}

/** Bounds on a hostile exposition (Hearth's own is a few KB). */
export const metricsLimits = {
  maxLineBytes: 8 * 1024,
  maxBytes: 2 * 1024 * 1024,
  maxSeries: 20_000,
  maxLabels: 16,
  maxGpus: 16,
} as const;

export class MetricsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsFormatError';
  }
}

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const valuePattern = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]?Inf|NaN)$/;

function parseValue(text: string, lineNo: number): number {
  if (!valuePattern.test(text))
    throw new MetricsFormatError(`line ${lineNo}: "${text.slice(0, 40)}" is not a number`);
  if (text === 'NaN') return Number.NaN;
  if (text.endsWith('Inf')) return text.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

/** `{a="x",b="y\"z"}` → labels and the rest of the line; escapes per the 0.0.4 text format. */
function parseLabels(text: string, lineNo: number): { labels: Map<string, string>; rest: string } {
  const labels = new Map<string, string>();
  let i = 1;
  const fail = (why: string): never => {
    throw new MetricsFormatError(`line ${lineNo}: ${why}`);
  };
  while (true) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const name = labelNamePattern.exec(text.slice(i))?.[0];
    if (!name) fail('a label name was expected');
    i += name!.length;
    if (text[i] !== '=' || text[i + 1] !== '"') fail(`label ${name} has no quoted value`);
    i += 2;
    let value = '';
    for (; ; i++) {
      const c = text[i];
      if (c === undefined) fail('a label value is not closed');
      if (c === '"') break;
      if (c === '\\') {
        const next = text[++i];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else fail('a label value has a bad escape');
      } else value += c;
    }
    i++;
    if (labels.has(name!)) fail(`label ${name} is repeated`);
    labels.set(name!, value);
    if (labels.size > metricsLimits.maxLabels) fail('too many labels');
    while (text[i] === ' ') i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail('a comma or } was expected after a label');
  }
}

/**
 * Parses Prometheus text (format 0.0.4) strictly: any line that is not a comment, blank, or
 * `name{labels} value [timestamp]` refuses the whole text, with its line number. The caller caps
 * line length and total size before this sees a byte.
 */
export function parseMetricsLines(lines: Iterable<string>): MetricSeries[] {
  const series: MetricSeries[] = [];
  let lineNo = 0;
  for (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = namePattern.exec(line)?.[0];
    if (!name) throw new MetricsFormatError(`line ${lineNo} is not a metric`);
    let rest = line.slice(name.length);
    let labels = new Map<string, string>();
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, lineNo));
    const parts = rest.trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2 || parts[0] === '')
      throw new MetricsFormatError(`line ${lineNo}: expected a value (and an optional timestamp)`);
    if (parts[1] !== undefined && !/^-?\d{1,16}$/.test(parts[1]))
      throw new MetricsFormatError(`line ${lineNo}: bad timestamp`);
    series.push({ name, labels, value: parseValue(parts[0]!, lineNo) });
    if (series.length > metricsLimits.maxSeries)
      throw new MetricsFormatError(`more than ${metricsLimits.maxSeries} series`);
  }
  return series;
}

/** A reading that makes sense, or null: a hostile 1e308 % CPU is not shown as a number. */
const ratio = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) && v >= 0 && v <= 1.0001 ? Math.min(v, 1) : null;
const bytes = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) && v >= 0 && v < 2 ** 60 ? v : null;
const celsius = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) && v > -100 && v < 200 ? v : null;
const speed = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) && v >= 0 && v < 1e7 ? v : null;

const clean = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').slice(0, 100);

/**
 * The monitor reading Hearth's own /metrics describes (names from monitor/prometheus.ts). Unknown
 * series are ignored; a reading out of its range is unknown (null), never trusted as a number.
 * Null when the remote says its monitor has no sample yet.
 */
export function sampleFromMetrics(series: MetricSeries[], at: number): MachineSample | null {
  const single = new Map<string, number>();
  const gpus = new Map<number, { name: string; values: Map<string, number> }>();
  for (const s of series) {
    if (!s.name.startsWith('hearth_')) continue;
    if (s.name.startsWith('hearth_gpu_')) {
      const index = Number(s.labels.get('gpu'));
      if (!Number.isInteger(index) || index < 0 || index > 255) continue;
      let gpu = gpus.get(index);
      if (!gpu) {
        if (gpus.size >= metricsLimits.maxGpus) continue;
        gpu = { name: clean(s.labels.get('name') ?? `GPU ${index}`), values: new Map() };
        gpus.set(index, gpu);
      }
      gpu.values.set(s.name, s.value);
    } else if (s.labels.size === 0) single.set(s.name, s.value);
  }
  if (!single.has('hearth_monitor_up') && single.size === 0 && gpus.size === 0)
    throw new MetricsFormatError('it has none of the metrics Hearth writes');
  if (single.get('hearth_monitor_up') === 0) return null;
  return {
    at,
    cpuRatio: ratio(single.get('hearth_cpu_utilization_ratio')),
    ramUsedBytes: bytes(single.get('hearth_memory_used_bytes')),
    ramTotalBytes: bytes(single.get('hearth_memory_total_bytes')),
    gpus: [...gpus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, g]) => ({
        index,
        name: g.name,
        utilizationRatio: ratio(g.values.get('hearth_gpu_utilization_ratio')),
        memoryUsedBytes: bytes(g.values.get('hearth_gpu_memory_used_bytes')),
        memoryTotalBytes: bytes(g.values.get('hearth_gpu_memory_total_bytes')),
        temperatureC: celsius(g.values.get('hearth_gpu_temperature_celsius')),
      })),
    tokensPerSecond: speed(single.get('hearth_tokens_per_second')),
  };
}
