import { describe, expect, it } from 'vitest';
import type { MonitorSample } from '../../../../src/shared/contract';
import { prometheusText } from '../../../../src/main/services/monitor/prometheus';
import { sampleSummary } from '../../../../src/main/services/providers/machine-summary';
import { parseMetricsLines, sampleFromMetrics } from '../../../../src/main/services/providers/metrics-text';

const gpu = (index: number, name: string, used: number | null, util: number | null) => ({
  id: `GPU-${index}`,
  index,
  vendor: 'nvidia',
  name,
  state: 'active' as const,
  utilizationPct: util,
  memoryUtilizationPct: null,
  memoryUsedBytes: used,
  memoryTotalBytes: 24 * 2 ** 30,
  temperatureC: 61,
  powerW: 120,
  powerLimitW: 250,
  fanPct: 40,
  smClockMHz: 1500,
  pstate: 'P0',
  throttle: null,
  mig: false,
});

const sample: MonitorSample = {
  at: 1_700_000_000_000,
  intervalMs: 1000,
  host: {
    cpuPct: 37.5,
    perCorePct: [50, 25],
    load: [1, 0.5, 0.25],
    ramTotalBytes: 64 * 2 ** 30,
    ramUsedBytes: 20 * 2 ** 30,
    ramAvailableBytes: 44 * 2 ** 30,
    swapTotalBytes: 0,
    swapUsedBytes: 0,
    unifiedMemory: false,
  },
  // A name with the characters Prometheus escapes: quote, backslash, newline.
  gpus: [gpu(0, 'Tesla "P40" \\ A', 3 * 2 ** 30, 80), gpu(1, 'RTX 3090', null, null)],
  processes: [
    {
      pid: 42,
      role: 'engine',
      modelPath: '/models/qwen3-8b-q4_k_m.gguf',
      cpuPct: 150,
      rssBytes: 2 ** 30,
      gpuMemoryBytes: 5 * 2 ** 30,
      contextTokens: 100,
      contextSize: 4096,
      tokensPerSecond: 42.5,
      generating: true,
      gpuLayers: 37,
      totalLayers: 37,
    },
  ],
  tokensPerSecond: 42.5,
  warnings: [
    {
      kind: 'vram-high',
      subject: 'GPU-0',
      severity: 'warning',
      message: 'VRAM is nearly full',
      action: 'close something',
    },
  ],
};

describe("reading Hearth's own /metrics", () => {
  it('gives back exactly the reading Hearth wrote (unknown readings stay unknown)', () => {
    const text = prometheusText(sample);
    const read = sampleFromMetrics(parseMetricsLines(text.split('\n')), sample.at);
    expect(read).toEqual(sampleSummary(sample));
    expect(read?.gpus[0]?.name).toBe('Tesla "P40" \\ A');
    expect(read?.gpus[1]).toMatchObject({ utilizationRatio: null, memoryUsedBytes: null });
  });

  it('says there is no reading while the monitor has none', () => {
    expect(sampleFromMetrics(parseMetricsLines(prometheusText(undefined).split('\n')), 1)).toBeNull();
  });

  it('refuses a line that breaks the format anywhere, naming it', () => {
    const lines = prometheusText(sample).split('\n');
    for (const bad of [
      'hearth_gpu_up{gpu="0"',
      'hearth_gpu_up{gpu=0} 1',
      'hearth_x 1 2 3',
      '9lives 1',
      'a{b="\\q"} 1',
    ]) {
      const broken = [...lines.slice(0, 3), bad, ...lines.slice(3)];
      expect(() => parseMetricsLines(broken), bad).toThrow(/line 4/);
    }
  });
});
