import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

describe('Settings in Chromium', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [serve, browser] = await Promise.all([
      startServe({ dataDir: dir.path, env: { HOME: join(dir.path, 'home') } }),
      launchChromium(),
    ]);
    page = await browser.newPage({ colorScheme: 'light' });
    await page.goto(`${serve.url}#/settings`);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  it('refuses a malformed Hugging Face token and saves a valid one', async () => {
    await page.getByLabel('Hugging Face token').fill('not-a-token');
    await page.getByRole('button', { name: 'Save' }).nth(1).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/hf_/);
    const token = `hf_${'a1B2c3D4e5'.repeat(4)}`;
    await page.getByLabel('Hugging Face token').fill(token);
    await page.getByRole('button', { name: 'Save' }).nth(1).click();
    // Saved, and from then on only a hint of it leaves the main process: not the API, not the page.
    await expect
      .poll(
        async () => ((await invokeOver(serve.url, 'settings.get')).value as { hfToken: string }).hfToken,
        { timeout: 10_000 },
      )
      .toBe('hf_…D4e5');
    await page.reload();
    const field = page.getByLabel('Hugging Face token');
    expect(await field.inputValue()).toBe('');
    expect(await field.getAttribute('placeholder')).toBe('saved: hf_…D4e5');
    expect(await page.content()).not.toContain(token);
    await page.getByRole('button', { name: 'Remove' }).click();
    await expect
      .poll(async () => (await invokeOver(serve.url, 'settings.get')).value as { hfToken: string | null })
      .toMatchObject({ hfToken: null });
  });

  it('applies the dark theme at once, and keeps it across a reload', async () => {
    const isDark = async () =>
      ((await page.locator('html').getAttribute('class')) ?? '').split(' ').includes('dark');
    expect(await isDark()).toBe(false);
    await page.getByRole('radio', { name: 'Dark' }).click();
    await expect.poll(isDark, { timeout: 10_000 }).toBe(true);
    await page.reload();
    await expect.poll(isDark, { timeout: 10_000 }).toBe(true);
    await page.screenshot({ path: join(artifactsDir, 'settings-dark.png') });
  });
});
