/* eslint-disable no-control-regex -- the view is terminal text: escape codes are checked */
import { describe, expect, it } from 'vitest';
import type { MonitorSample } from '../../../../src/shared/contract';
import { renderTop, truncate, visibleLength } from '../../../../src/main/cli/commands/top-view';
import { unknownGpu } from '../../../../src/main/services/monitor/gpu-source';

const GiB = 1024 ** 3;

const sample: MonitorSample = {
  at: Date.UTC(2026, 0, 1, 12),
  intervalMs: 1000,
  host: {
    cpuPct: 42,
    perCorePct: [10, 95, 50, 0],
    load: [1.5, 1.2, 0.9],
    ramTotalBytes: 32 * GiB,
    ramUsedBytes: 30 * GiB,
    ramAvailableBytes: 2 * GiB,
    swapTotalBytes: 8 * GiB,
    swapUsedBytes: null,
    unifiedMemory: false,
  },
  gpus: [
    {
      ...unknownGpu({
        id: 'GPU-a',
        index: 0,
        vendor: 'NVIDIA',
        name: 'NVIDIA GeForce RTX 4090',
        state: 'active',
      }),
      utilizationPct: 97,
      memoryUsedBytes: 20 * GiB,
      memoryTotalBytes: 24 * GiB,
      temperatureC: 71,
      powerW: 398,
      pstate: 'P2',
    },
    unknownGpu({ id: 'GPU-b', index: 1, vendor: 'NVIDIA', name: 'Tesla P40', state: 'gone' }),
  ],
  processes: [
    {
      pid: 100,
      role: 'app',
      modelPath: null,
      cpuPct: 2,
      rssBytes: GiB / 4,
      gpuMemoryBytes: null,
      contextTokens: null,
      contextSize: null,
      tokensPerSecond: null,
      generating: false,
      gpuLayers: null,
      totalLayers: null,
    },
    {
      pid: 4242,
      role: 'engine',
      modelPath: '/m/Qwen3-8B-Q4_K_M.gguf',
      cpuPct: 180,
      rssBytes: 2 * GiB,
      gpuMemoryBytes: 6 * GiB,
      contextTokens: 3900,
      contextSize: 4096,
      tokensPerSecond: 55.5,
      generating: true,
      gpuLayers: 37,
      totalLayers: 37,
    },
  ],
  tokensPerSecond: 55.5,
  warnings: [
    {
      kind: 'context-full',
      subject: '4242',
      severity: 'warning',
      message: "Qwen3-8B-Q4_K_M's context is 95 % full",
      action: 'Start a new chat.',
    },
  ],
};

describe('hearth top view', () => {
  it('shows each GPU, the host, the engine row first, the speed and the warnings; unknowns as N/A', () => {
    const text = renderTop(sample, { width: 200, height: 100, color: false, source: 'here' }).join('\n');
    expect(text).toContain('GPU 0  NVIDIA GeForce RTX 4090  Fan N/A  71°C  P2  398W / N/A');
    expect(text).toMatch(/MEM \[█+░+\] 21\.5 GB \/ 25\.8 GB/);
    expect(text).toContain('GPU 1  Tesla P40  GONE');
    expect(text).toMatch(/4242 +engine Qwen3-8B-Q4_K_M +6\.4 GB +180% +2\.1 GB +3900\/4096 95% +55\.5/);
    expect(text.indexOf('4242')).toBeLessThan(text.search(/100 +Hearth/));
    expect(text).toContain("! Qwen3-8B-Q4_K_M's context is 95 % full Start a new chat.");
    expect(text).not.toMatch(/\x1b/);
  });

  it('colours by threshold on a terminal, and never draws wider than it', () => {
    const lines = renderTop(sample, { width: 50, height: 100, color: true, source: 'x' });
    // RAM at 94 % is red.
    expect(lines.join('\n')).toContain('\x1b[31m');
    for (const line of lines) expect(visibleLength(line)).toBeLessThanOrEqual(50);
    expect(truncate('\x1b[31mabcdef\x1b[0m', 3)).toBe('\x1b[31mabc\x1b[0m');
  });

  it('keeps the last line (a warning) when the terminal is short', () => {
    const lines = renderTop(sample, { width: 200, height: 8, color: false, source: 'x' });
    expect(lines).toHaveLength(8);
    expect(lines.at(-1)).toContain('context is 95 % full');
  });
});
