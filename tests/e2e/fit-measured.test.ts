import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speedKey } from '../../src/main/services/estimator/measurements/learned-speeds';
import {
  MeasurementStore,
  measurementsFile,
} from '../../src/main/services/estimator/measurements/measurement-store';
import type { FitEstimate, HardwareProfile, LibraryModel } from '../../src/shared/contract';
import { realShapes, writeShapedModel } from '../fixtures/gguf';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

/** The fit check shows what this machine measured, and the correction it learned from it. */
describe("the fit check's 'measured here', in Chromium", () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  async function invoke<T>(route: string, input?: unknown): Promise<T> {
    const answer = await invokeOver(serve.url, route, input);
    if (!answer.ok) throw new Error(`${route}: ${answer.error?.code} ${answer.error?.message}`);
    return answer.value as T;
  }

  beforeAll(async () => {
    mkdirSync(join(dataDir, 'models'), { recursive: true });
    writeShapedModel(
      join(dataDir, 'models', 'Llama-3.1-8B-Instruct-Q4_K_M.gguf'),
      realShapes.llama31_8b,
      'Q4_K_M',
    );
    [serve, browser] = await Promise.all([
      startServe({ dataDir, env: { HOME: join(dir.path, 'home'), HF_HOME: join(dir.path, 'home', 'hf') } }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1200, height: 1200 } });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  it('scales the predicted speed by what replies here measured, and says so beside it', async () => {
    const [model] = await invoke<LibraryModel[]>('library.list');
    const profile = await invoke<HardwareProfile>('hardware.get');
    const before = await invoke<FitEstimate>('estimator.fit', { modelId: model!.id });
    expect(before.measured ?? null).toBeNull();
    // Five replies at half the predicted speed, recorded while the app runs (its own SQLite file).
    const store = MeasurementStore.open(measurementsFile(dataDir));
    try {
      for (let i = 0; i < 5; i++)
        store.record({
          kind: 'reply',
          ...speedKey(profile, before.model.architecture, before.gpuLayers),
          modelPath: model!.path,
          contextSize: before.contextSize,
          gpuLayers: before.gpuLayers,
          settings: {},
          predictedGenerationTps: before.speed.generationTps,
          measuredGenerationTps: before.speed.generationTps! / 2,
          predictedPromptTps: null,
          measuredPromptTps: null,
          promptTokens: 40,
          generatedTokens: 200,
          predictedVramBytes: null,
          measuredVramBytes: null,
          predictedRamBytes: null,
          measuredRamBytes: null,
          loadMs: null,
        });
    } finally {
      store.close();
    }
    await page.goto(`${serve.url}#/hardware`);
    const picker = page.getByLabel('Installed model');
    await expect.poll(() => picker.textContent(), { timeout: 15_000 }).toContain('Llama-3.1-8B-Instruct');
    await page.getByRole('button', { name: 'Check' }).click();
    const measured = page.getByTestId('fit-measured');
    await expect
      .poll(() => measured.textContent(), { timeout: 15_000 })
      .toMatch(/Measured here: [\d.]+ tok\/s writing\./);
    const text = (await measured.textContent()) ?? '';
    expect(text).toMatch(/Predictions for this (GPU|CPU) are scaled by 0\.5\d from 5 measured runs\./);
    const shown = Number(
      /Writing speed~([\d.]+) tok\/s/.exec(
        (await page.getByTestId('fit-breakdown').textContent()) ?? '',
      )?.[1],
    );
    // The prediction shown is the corrected one: near what was measured, not the model's own.
    expect(shown).toBeLessThan(before.speed.generationTps! * 0.6);
    await page.getByTestId('fit-result').screenshot({ path: join(artifactsDir, 'fit-measured.png') });
  });

  it('corrects the memory plan by what loads here measured, and says so beside it', async () => {
    const [model] = await invoke<LibraryModel[]>('library.list');
    const profile = await invoke<HardwareProfile>('hardware.get');
    // No load measured yet: the memory plan is the model's own.
    const raw = await invoke<FitEstimate>('estimator.fit', { modelId: model!.id });
    expect(raw.measured?.memory).toBeUndefined();
    const key = speedKey(profile, raw.model.architecture, raw.gpuLayers);
    const side = key.backend === 'cpu' ? 'ram' : 'gpu';
    const bytes = side === 'gpu' ? raw.gpu : raw.ram;
    const predicted = { weights: bytes.weightsBytes, kv: bytes.kvCacheBytes, compute: bytes.computeBytes };
    // Four loads whose KV cache llama.cpp reported 1.2x the prediction (as the recorder writes them).
    const store = MeasurementStore.open(measurementsFile(dataDir));
    try {
      for (let i = 0; i < 4; i++)
        store.recordMemory({
          ...key,
          modelPath: model!.path,
          side,
          predicted,
          measured: { ...predicted, kv: predicted.kv * 1.2 },
        });
    } finally {
      store.close();
    }
    await page.getByRole('button', { name: 'Check' }).click();
    const memory = page.getByTestId('fit-measured-memory');
    await expect
      .poll(() => memory.textContent(), { timeout: 15_000 })
      .toMatch(
        /(GPU memory predictions on this GPU|RAM predictions on this CPU) are scaled by 1\.\d\d \(KV cache by 1\.16\) from 4 measured loads\./,
      );
    // The KV cache shown is the corrected one: 1.2^(4/5) = 1.157 of the model's own.
    const learned = await invoke<FitEstimate>('estimator.fit', { modelId: model!.id });
    const learnedBytes = side === 'gpu' ? learned.gpu : learned.ram;
    expect(learnedBytes.kvCacheBytes / bytes.kvCacheBytes).toBeCloseTo(1.2 ** 0.8, 6);
    await page.getByTestId('fit-result').screenshot({ path: join(artifactsDir, 'fit-measured-memory.png') });
  });
});
