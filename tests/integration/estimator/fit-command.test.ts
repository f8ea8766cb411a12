import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fitCommand } from '../../../src/main/cli/commands/fit';
import type { FitEstimate } from '../../../src/shared/contract';
import { hardwareService } from '../../../src/main/cli/commands/hw';
import { speedKey } from '../../../src/main/services/estimator/measurements/learned-speeds';
import {
  MeasurementStore,
  measurementsFile,
} from '../../../src/main/services/estimator/measurements/measurement-store';
import { writeShaped } from '../../helpers/estimator';
import { makeTempDir } from '../../helpers/temp-dir';

const context = { version: 'test', outDir: '/nonexistent' };

/** `hearth fit` as a user runs it, with its printed answer captured. */
async function fit(
  model: string,
  options: { cpu?: string; dataDir: string; json?: boolean },
): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    await fitCommand(model, { ...options, context });
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

describe('hearth fit: named CPUs and what this machine measured', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  let model = '';

  beforeAll(async () => {
    model = (await writeShaped(dir.path, 'llama31_8b', 'Q4_K_M')).path;
  }, 60_000);
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => dir.cleanup());

  it('plans for a named CPU-only machine from its memory speed and channels', async () => {
    const two = await fit(model, { cpu: 'Ryzen 9 7950X, DDR5-6000 2ch, 64GB', dataDir });
    expect(two).toMatch(/Machine: Ryzen 9 7950X, DDR5-6000 2ch, 64GB \(CPU only\)/);
    expect(two).toMatch(/Verdict: CPU only/i);
    const speed = async (cpu: string): Promise<number> =>
      (JSON.parse(await fit(model, { cpu, dataDir, json: true })) as FitEstimate).speed.generationTps!;
    // Twice the channels, about twice the writing speed: generation on a CPU is bandwidth-bound.
    const ratio =
      (await speed('Ryzen 9 7950X, DDR5-6000 4ch, 64GB')) /
      (await speed('Ryzen 9 7950X, DDR5-6000 2ch, 64GB'));
    expect(ratio).toBeGreaterThan(1.8);
    expect(ratio).toBeLessThan(2.05);
    await expect(fit(model, { cpu: 'a potato', dataDir })).rejects.toThrow(/Unknown CPU/);
  });

  it("shows 'measured here' and the correction once this machine has runs", async () => {
    const before = await fit(model, { dataDir });
    expect(before).not.toMatch(/Measured here/);
    const profile = await hardwareService(dataDir).get();
    const predicted = Number(/~([\d.]+) tokens\/s writing/.exec(before)?.[1]);
    const gpuLayers = Number(/: (\d+) of \d+ layers on the GPU/.exec(before)?.[1]);
    const store = MeasurementStore.open(measurementsFile(dataDir));
    try {
      for (let i = 0; i < 5; i++)
        store.record({
          kind: 'reply',
          ...speedKey(profile, 'llama', gpuLayers),
          modelPath: model,
          contextSize: 4096,
          gpuLayers,
          settings: {},
          predictedGenerationTps: predicted,
          measuredGenerationTps: predicted * 0.5,
          predictedPromptTps: null,
          measuredPromptTps: null,
          promptTokens: 40,
          generatedTokens: 100,
          predictedVramBytes: null,
          measuredVramBytes: null,
          predictedRamBytes: null,
          measuredRamBytes: null,
          loadMs: null,
        });
    } finally {
      store.close();
    }
    const after = await fit(model, { dataDir });
    expect(after).toMatch(/Measured here: [\d.]+ tokens\/s writing \(median of 5 replies\)/);
    expect(after).toMatch(/Predictions for this (GPU|CPU) are scaled by 0\.5\d from 5 measured runs\./);
    // A named machine is planned from the model alone.
    expect(await fit(model, { cpu: 'Ryzen 9 7950X, DDR5-6000 2ch', dataDir })).not.toMatch(/Measured here/);
  }, 60_000);
});
