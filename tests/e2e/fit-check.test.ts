import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/fake-hub';
import { installFakeGpuTools } from '../fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../fixtures/gpu/gpu-profiles';
import { realShapes, writeLlamaModel, writeShapedModel } from '../fixtures/gguf';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

/** "Will it fit?" three ways: a model from My models, a Hugging Face repo (+ quant), a path. */
describe('the fit check with an installed model and a Hugging Face repo, in Chromium', () => {
  const dir = makeTempDir();
  const repo = 'hearth-test/Tiny-Chat-GGUF';
  let hub: FakeHub;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const badge = () => page.getByTestId('fit-result').getByTestId('fit-badge');
  /** Picks where the model comes from, as a user clicks the segmented control's label. */
  const choose = (name: string) =>
    page.getByRole('group', { name: 'Model to check' }).getByText(name, { exact: true }).click();

  beforeAll(async () => {
    const dataDir = join(dir.path, 'data');
    mkdirSync(join(dataDir, 'models'), { recursive: true });
    writeShapedModel(
      join(dataDir, 'models', 'Llama-3.1-8B-Instruct-Q4_K_M.gguf'),
      realShapes.llama31_8b,
      'Q4_K_M',
    );
    const q8 = join(dir.path, 'tiny-Q8_0.gguf');
    writeLlamaModel(q8, { weightType: 'Q8_0', name: 'Tiny Chat' });
    const q4 = join(dir.path, 'tiny-Q4_K_M.gguf');
    writeLlamaModel(q4, { weightType: 'Q4_0', name: 'Tiny Chat' });
    hub = await startFakeHub([
      {
        id: repo,
        license: 'mit',
        files: [
          { path: 'Tiny-Chat-Q8_0.gguf', diskPath: q8 },
          { path: 'Tiny-Chat-Q4_K_M.gguf', diskPath: q4 },
        ],
      },
    ]);
    const bin = installFakeGpuTools(join(dir.path, 'bin'), fakeGpuProfiles.rtx3060);
    [serve, browser] = await Promise.all([
      startServe({
        dataDir,
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          HF_ENDPOINT: hub.url,
          HF_TOKEN: '',
          // A fresh home: only the model in Hearth's own folder is installed.
          HOME: join(dir.path, 'home'),
          HF_HOME: join(dir.path, 'home', 'hf'),
          OLLAMA_MODELS: join(dir.path, 'home', 'ollama'),
        },
      }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await hub?.close();
    dir.cleanup();
  });

  it('checks a model picked from My models on this computer, with the verdict and where the memory goes', async () => {
    await page.goto(`${serve.url}#/hardware`);
    const picker = page.getByLabel('Installed model');
    // With a model installed, the check starts from the list.
    await expect.poll(() => picker.textContent(), { timeout: 15_000 }).toContain('Llama-3.1-8B-Instruct');
    expect(await page.getByRole('radio', { name: 'My models' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Check' }).click();
    // Whether this computer can offload depends on the llama.cpp build here; the model fits either way.
    await expect
      .poll(() => badge().getAttribute('data-verdict'), { timeout: 15_000 })
      .toMatch(/^(full-gpu|partial|cpu-only)$/);
    const result = await page.getByTestId('fit-result').textContent();
    expect(result).toContain('Llama-3.1-8B-Instruct');
    expect(result).toContain('Q4_K_M');
    const breakdown = await page.getByTestId('fit-breakdown').textContent();
    expect(breakdown).toMatch(/GPU layers\d+ \/ 33/);
    expect(breakdown).toMatch(/Weights \d/);
  });

  it('plans the same installed model for another GPU', async () => {
    await page.getByLabel('GPU (optional)').fill('RTX 3060 12 GB');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => badge().getAttribute('data-verdict'), { timeout: 15_000 }).toBe('full-gpu');
    expect(await page.getByTestId('fit-breakdown').textContent()).toContain('33 / 33');
    await page.getByLabel('GPU (optional)').fill('');
    await page.getByLabel('VRAM (optional)').fill('4GB');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => badge().getAttribute('data-verdict'), { timeout: 15_000 }).toBe('partial');
    await page.getByLabel('VRAM (optional)').fill('');
  });

  it('plans for a named CPU-only machine, and says under the field when it does not know the CPU', async () => {
    const cpu = page.getByLabel('CPU and memory (optional)');
    await cpu.fill('a potato');
    await page.getByRole('button', { name: 'Check' }).click();
    const error = page.locator('#fit-cpu-error');
    await expect.poll(() => error.textContent(), { timeout: 15_000 }).toContain('Unknown CPU "a potato"');
    expect(await cpu.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('fit-result').count()).toBe(0);
    // The same description `hearth fit --cpu` takes: a CPU-only machine with that memory.
    const writing = async (): Promise<number> =>
      Number(
        /Writing speed~([\d.]+) tok\/s/.exec(
          (await page.getByTestId('fit-breakdown').textContent()) ?? '',
        )?.[1],
      );
    await cpu.fill('Ryzen 9 7950X, DDR5-6000 2ch, 64GB');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => badge().getAttribute('data-verdict'), { timeout: 15_000 }).toBe('cpu-only');
    expect(await error.count()).toBe(0);
    expect(await page.getByTestId('fit-result').textContent()).toContain(
      'No usable GPU: runs on the CPU from RAM.',
    );
    expect(await page.getByTestId('fit-breakdown').textContent()).toMatch(/GPU layers0 \/ 33/);
    const twoChannels = await writing();
    expect(twoChannels).toBeGreaterThan(0);
    // Twice the memory channels, about twice the writing speed: a CPU's generation is bandwidth-bound.
    await cpu.fill('Ryzen 9 7950X, DDR5-6000 4ch, 64GB');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(writing, { timeout: 15_000 }).toBeGreaterThan(1.7 * twoChannels);
    expect(await writing()).toBeLessThan(2.2 * twoChannels);
    await page.screenshot({ path: join(artifactsDir, 'fit-check-cpu.png'), fullPage: true });
    await cpu.fill('');
  });

  it('takes every setting the memory depends on: flash attention, parallel sequences, free memory per GPU', async () => {
    await page.getByLabel('Flash attention').selectOption('off');
    await page.getByLabel('Parallel sequences').fill('4');
    await page.getByLabel('Free memory per GPU').fill('24GB,lots');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toContain('GPU 1: "lots" is not a memory size');
    await page.getByLabel('Free memory per GPU').fill('24GB,12GB');
    await page.getByRole('button', { name: 'Check' }).click();
    const rows = page.getByTestId('fit-devices').getByTestId('fit-device');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    expect(await badge().getAttribute('data-verdict')).toBe('full-gpu');
    // llama.cpp's split by free memory: 2/3 of the 33 layers on the first GPU, the output on the last.
    expect(await rows.nth(0).textContent()).toContain('blocks 0–21');
    expect(await rows.nth(1).textContent()).toContain('blocks 22–31 + output');
    expect(await rows.nth(0).getAttribute('data-fits')).toBe('true');
    // Four sequences of 4096 tokens: 4 x 512 MiB of KV cache for the 8B model.
    expect(await page.getByTestId('fit-breakdown').textContent()).toContain('KV cache 2.1 GB');
    await page.screenshot({ path: join(artifactsDir, 'fit-check-gpus.png'), fullPage: true });
    // A second GPU too small for its share and the head: that GPU's row says so.
    await page.getByLabel('Free memory per GPU').fill('24GB,1GB');
    await page.getByLabel('GPU layers').fill('33');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => badge().getAttribute('data-verdict'), { timeout: 15_000 }).toBe('does-not-fit');
    expect(await rows.nth(1).getAttribute('data-fits')).toBe('false');
    await page.getByLabel('GPU layers').fill('');
    await page.getByLabel('Free memory per GPU').fill('');
    await page.getByLabel('Parallel sequences').fill('1');
    await page.getByLabel('Flash attention').selectOption('auto');
  });

  it('checks one quant of a Hugging Face repo, read remotely from the Hub', async () => {
    await choose('Hugging Face');
    expect(await page.getByRole('radio', { name: 'Hugging Face' }).isChecked()).toBe(true);
    // Hub quants take the same machine and settings as a file, all but the projector (not read).
    expect(await page.getByLabel('GPU (optional)').count()).toBe(1);
    expect(await page.getByLabel('GPU layers').count()).toBe(1);
    expect(await page.getByLabel(/vision projector/).count()).toBe(0);
    await page.getByLabel('Hugging Face repo').fill(`${repo}:Q4_K_M`);
    await page.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => badge().getAttribute('data-verdict'), { timeout: 20_000 })
      .toMatch(/^(full-gpu|cpu-only)$/);
    const result = await page.getByTestId('fit-result').textContent();
    expect(result).toContain('Tiny Chat');
    expect(await page.getByTestId('fit-breakdown').textContent()).toMatch(/GPU layers\d+ \/ \d+/);
    await page.screenshot({ path: join(artifactsDir, 'fit-check-hub.png'), fullPage: true });
  });

  it('shows every quant of a repo given without one, and the details of the one picked', async () => {
    await page.getByLabel('Hugging Face repo').fill(repo);
    await page.getByRole('button', { name: 'Check' }).click();
    const table = page.getByTestId('hub-fit-quants');
    await expect.poll(() => table.textContent(), { timeout: 20_000 }).toContain('Q8_0');
    expect(await table.textContent()).toContain('Q4_K_M');
    expect(await table.getByTestId('fit-badge').count()).toBe(2);
    await table.getByRole('button', { name: 'Q8_0' }).click();
    await expect.poll(() => badge().count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('fit-breakdown').textContent()).toMatch(/Weights \d/);
    expect(await page.getByLabel('Hugging Face repo').inputValue()).toBe(`${repo}:Q8_0`);
  });

  it("checks a repo's quants for another GPU with the GPU layers and context given, and refuses bad settings", async () => {
    await page.getByLabel('Hugging Face repo').fill(repo);
    await page.getByLabel('GPU (optional)').fill('RTX 3060 12 GB');
    await page.getByLabel('Context (tokens)').fill('2048');
    await page.getByRole('button', { name: 'Check' }).click();
    const table = page.getByTestId('hub-fit-quants');
    await expect
      .poll(() => table.textContent(), { timeout: 20_000 })
      .toContain(`Every quant of ${repo} on RTX 3060 12 GB, 2048-token context`);
    const verdicts = () =>
      table
        .getByTestId('fit-badge')
        .evaluateAll((badges) => badges.map((b) => b.getAttribute('data-verdict')));
    await expect.poll(verdicts, { timeout: 20_000 }).toEqual(['full-gpu', 'full-gpu']);
    await page.getByLabel('GPU layers').fill('1');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(verdicts, { timeout: 20_000 }).toEqual(['partial', 'partial']);
    await table.getByRole('button', { name: 'Q4_K_M' }).click();
    await expect.poll(() => badge().getAttribute('data-verdict'), { timeout: 20_000 }).toBe('partial');
    expect(await page.getByTestId('fit-breakdown').textContent()).toMatch(/GPU layers1 \/ \d+/);
    await page.getByLabel('GPU layers').fill('lots');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toContain('GPU layers: a whole number');
    await page.getByLabel('GPU layers').fill('');
    await page.getByLabel('GPU (optional)').fill('');
    await page.getByLabel('Context (tokens)').fill('4096');
  });

  it('names the quants that exist when the one asked for does not', async () => {
    await page.getByLabel('Hugging Face repo').fill(`${repo}:Q3_K_S`);
    await page.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
      .toBe(`${repo} has no Q3_K_S (available: Q8_0, Q4_K_M)`);
    expect(await page.getByTestId('fit-result').count()).toBe(0);
  });

  it('still checks a file by its path', async () => {
    await choose('File path');
    await page.getByLabel('Model file').fill(join(dir.path, 'tiny-Q8_0.gguf'));
    await page.getByLabel('GPU (optional)').fill('RTX 3060 12 GB');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => badge().getAttribute('data-verdict'), { timeout: 15_000 }).toBe('full-gpu');
    expect(await page.getByTestId('fit-result').textContent()).toContain('Tiny Chat');
  });
});
