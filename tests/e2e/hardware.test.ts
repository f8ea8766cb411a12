import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeGpuTools } from '../fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../fixtures/gpu/gpu-profiles';
import { realShapes, writeShapedModel } from '../fixtures/gguf';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

describe('Hardware view and "will it fit" in Chromium', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const modelPath = join(dir.path, 'Llama-3.1-8B-Instruct-Q4_K_M.gguf');

  beforeAll(async () => {
    writeShapedModel(modelPath, realShapes.llama31_8b, 'Q4_K_M');
    const bin = installFakeGpuTools(join(dir.path, 'bin'), fakeGpuProfiles.rtx3060);
    [serve, browser] = await Promise.all([
      startServe({ dataDir: join(dir.path, 'data'), env: { PATH: `${bin}:${process.env.PATH}` } }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  it('shows the machine as Hearth reads it, and its tier', async () => {
    await page.goto(`${serve.url}#/hardware`);
    await expect
      .poll(() => page.getByTestId('hw-gpu').first().textContent(), { timeout: 15_000 })
      .toContain('RTX 3060');
    expect(await page.getByTestId('hw-gpu').first().textContent()).toContain('12.9 GB VRAM');
    expect(await page.getByTestId('hw-cpu').textContent()).toBeTruthy();
    expect(await page.getByTestId('hw-tier').textContent()).toContain('Medium models');
  });

  it('answers "will it fit" for a named GPU with the breakdown', async () => {
    // The check starts from My models when any are installed (here, maybe in the tools of this HOME).
    await page.getByRole('group', { name: 'Model to check' }).getByText('File path', { exact: true }).click();
    await page.getByLabel('Model file').fill(modelPath);
    await page.getByLabel('GPU (optional)').fill('RTX 3060 12 GB');
    await page.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => page.getByTestId('fit-badge').getAttribute('data-verdict'), { timeout: 15_000 })
      .toBe('full-gpu');
    const breakdown = await page.getByTestId('fit-breakdown').textContent();
    expect(breakdown).toContain('33 / 33');
    expect(breakdown).toMatch(/Weights \d/);
    await page.screenshot({ path: join(artifactsDir, 'hardware-fit.png'), fullPage: true });
  });

  it('shows a clear error for a file that is not a model', async () => {
    await page.getByLabel('Model file').fill(join(dir.path, 'missing.gguf'));
    await page.getByRole('button', { name: 'Check' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 })
      .toContain('No GGUF model file at that path');
  });
});
