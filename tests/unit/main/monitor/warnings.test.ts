import { describe, expect, it } from 'vitest';
import type { GpuSample, HostSample, ProcessSample } from '../../../../src/shared/contract';
import { unknownGpu } from '../../../../src/main/services/monitor/gpu-source';
import { prometheusText } from '../../../../src/main/services/monitor/prometheus';
import { effectiveGpuLayers } from '../../../../src/main/services/monitor/process-sampler';
import { warningsFor } from '../../../../src/main/services/monitor/warnings';

const GiB = 1024 ** 3;

const host = (over: Partial<HostSample> = {}): HostSample => ({
  cpuPct: 12,
  perCorePct: [10, 14],
  load: [0.5, 0.4, 0.3],
  ramTotalBytes: 32 * GiB,
  ramUsedBytes: 12 * GiB,
  ramAvailableBytes: 20 * GiB,
  swapTotalBytes: 8 * GiB,
  swapUsedBytes: 1 * GiB,
  unifiedMemory: false,
  ...over,
});

const gpu = (over: Partial<GpuSample> = {}): GpuSample => ({
  ...unknownGpu({
    id: 'GPU-1',
    index: 0,
    vendor: 'NVIDIA',
    name: 'NVIDIA GeForce RTX 4090',
    state: 'active',
  }),
  utilizationPct: 90,
  memoryUsedBytes: 10 * GiB,
  memoryTotalBytes: 24 * GiB,
  temperatureC: 60,
  throttle: [],
  ...over,
});

const engine = (over: Partial<ProcessSample> = {}): ProcessSample => ({
  pid: 4242,
  role: 'engine',
  modelPath: '/models/Qwen3-8B-Q4_K_M.gguf',
  cpuPct: 250,
  rssBytes: 2 * GiB,
  gpuMemoryBytes: 6 * GiB,
  contextTokens: 1000,
  contextSize: 8192,
  tokensPerSecond: 55,
  generating: true,
  gpuLayers: 37,
  totalLayers: 37,
  ...over,
});

const sample = (parts: { host?: HostSample; gpus?: GpuSample[]; processes?: ProcessSample[] }) => ({
  at: 1,
  intervalMs: 1000,
  host: parts.host ?? host(),
  gpus: parts.gpus ?? [gpu()],
  processes: parts.processes ?? [engine()],
  tokensPerSecond: 55,
});

const kinds = (s: ReturnType<typeof sample>, swapBaselineBytes: number | null = 1 * GiB) =>
  warningsFor(s, { swapBaselineBytes }).map((w) => w.kind);

describe('warnings', () => {
  it('says nothing when all is well', () => {
    expect(kinds(sample({}))).toEqual([]);
  });

  it('warns of VRAM above 90 %, critical near the end, with what to do', () => {
    const [w] = warningsFor(sample({ gpus: [gpu({ memoryUsedBytes: 22 * GiB })] }), {
      swapBaselineBytes: null,
    });
    expect(w).toMatchObject({ kind: 'vram-high', subject: 'GPU-1', severity: 'warning' });
    expect(w!.message).toContain('92 %');
    expect(w!.action.length).toBeGreaterThan(10);
    expect(
      warningsFor(sample({ gpus: [gpu({ memoryUsedBytes: 23.5 * GiB })] }), { swapBaselineBytes: null })[0]!
        .severity,
    ).toBe('critical');
  });

  it('warns when the model has layers on the CPU, only where a GPU could hold them', () => {
    const spilled = sample({ processes: [engine({ gpuLayers: 20, totalLayers: 37 })] });
    const [w] = warningsFor(spilled, { swapBaselineBytes: null });
    expect(w).toMatchObject({ kind: 'spilled-to-ram', subject: '4242' });
    expect(w!.message).toContain('17 of its 37 layers');
    expect(kinds(sample({ gpus: [], processes: [engine({ gpuLayers: 0 })] }))).toEqual([]);
    expect(
      kinds(sample({ host: host({ unifiedMemory: true }), processes: [engine({ gpuLayers: 20 })] })),
    ).toEqual([]);
  });

  it('warns of swap that grew while a reply is generated, not of old swapped-out pages', () => {
    const swapping = sample({ host: host({ swapUsedBytes: 2 * GiB }) });
    expect(kinds(swapping, 1 * GiB)).toEqual(['swap-during-generation']);
    expect(kinds(swapping, 2 * GiB)).toEqual([]);
    expect(
      kinds(
        sample({ host: host({ swapUsedBytes: 2 * GiB }), processes: [engine({ generating: false })] }),
        1 * GiB,
      ),
    ).toEqual([]);
  });

  it('warns of a hot GPU and of thermal or power throttling, not of ordinary power capping', () => {
    expect(kinds(sample({ gpus: [gpu({ temperatureC: 87 })] }))).toEqual(['gpu-hot']);
    expect(kinds(sample({ gpus: [gpu({ throttle: ['hw-thermal'] })] }))).toEqual(['gpu-throttled']);
    expect(kinds(sample({ gpus: [gpu({ throttle: ['hw-power-brake'] })] }))).toEqual(['gpu-throttled']);
    expect(kinds(sample({ gpus: [gpu({ throttle: ['power-cap'] })] }))).toEqual([]);
    expect(kinds(sample({ gpus: [gpu({ temperatureC: null, throttle: null })] }))).toEqual([]);
  });

  it('warns when the context is over 90 % full: older turns will be dropped', () => {
    const [w] = warningsFor(sample({ processes: [engine({ contextTokens: 7500 })] }), {
      swapBaselineBytes: null,
    });
    expect(w).toMatchObject({ kind: 'context-full' });
    expect(w!.message).toContain('older turns will be dropped');
  });

  it('warns, critically, of a GPU that disappeared', () => {
    const gone = gpu({
      ...unknownGpu({ id: 'GPU-1', index: 0, vendor: 'NVIDIA', name: 'Tesla P40', state: 'gone' }),
    });
    const [w] = warningsFor(sample({ gpus: [gone], processes: [] }), { swapBaselineBytes: null });
    expect(w).toMatchObject({ kind: 'gpu-gone', severity: 'critical' });
  });
});

describe('placement of an engine held on the CPU on purpose', () => {
  const stats = {
    cpuMicros: 0,
    rssBytes: 0,
    contextSize: 2048,
    contextTokens: 10,
    generating: 0,
    tokensPerSecond: 0,
    gpuLayers: 0,
    totalLayers: 5,
  };
  it('shows its plan (the layers it was asked to put on the GPU) rather than 0', () => {
    expect(effectiveGpuLayers({ ...stats, offload: 'off', requestedGpuLayers: 2 })).toBe(2);
    expect(effectiveGpuLayers({ ...stats, offload: 'off', requestedGpuLayers: 'auto' })).toBe(5);
    // With a GPU backend (or none at all), what the engine really did.
    expect(effectiveGpuLayers({ ...stats, offload: 'gpu', requestedGpuLayers: 5 })).toBe(0);
    expect(effectiveGpuLayers({ ...stats, offload: 'none', requestedGpuLayers: 5 })).toBe(0);
  });
});

describe('Prometheus text', () => {
  it('writes gauges with labels, and leaves unknown readings out instead of writing 0', () => {
    const s = {
      ...sample({ gpus: [gpu({ fanPct: null, powerW: 301.5, name: 'Card "A"\\B' })] }),
      warnings: [],
    };
    const text = prometheusText(s);
    expect(text).toContain('# TYPE hearth_gpu_utilization_ratio gauge');
    expect(text).toContain('hearth_gpu_utilization_ratio{gpu="0",uuid="GPU-1",name="Card \\"A\\"\\\\B"} 0.9');
    expect(text).toContain('hearth_gpu_power_watts{gpu="0",uuid="GPU-1",name="Card \\"A\\"\\\\B"} 301.5');
    expect(text).not.toContain('hearth_gpu_fan_ratio');
    expect(text).toContain(
      'hearth_engine_tokens_per_second{pid="4242",role="engine",model="Qwen3-8B-Q4_K_M"} 55',
    );
    expect(text).toMatch(/hearth_engine_context_fill_ratio\{[^}]*\} 0\.12/);
    expect(text).toContain('hearth_swap_used_bytes 1073741824');
    expect(text).toContain('hearth_monitor_up 1');
    // Every line is a comment or `name{labels} value`.
    for (const line of text.trim().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? -?[\d.e+-]+)$/);
  });

  it('says the monitor is down when there is no sample', () => {
    expect(prometheusText(undefined)).toContain('hearth_monitor_up 0');
  });
});
