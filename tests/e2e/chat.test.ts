import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

describe('chat in Chromium', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const replies = () => page.locator('[data-testid="chat-message"][data-role="assistant"]');

  beforeAll(async () => {
    writeTinyModel(join(dir.path, 'data', 'models'));
    [serve, browser] = await Promise.all([
      startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  it('starts a chat, streams a reply, regenerates it (2 / 2), and keeps everything across a reload', async () => {
    await page.goto(`${serve.url}#/chat`);
    await page.getByRole('button', { name: 'New chat' }).click();
    await page.getByLabel('Message').fill('Hello there');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(() => replies().first().getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    const first = await replies().first().getByTestId('chat-text').textContent();
    expect(first?.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await expect
      .poll(() => page.getByTestId('branch').first().textContent(), { timeout: 30_000 })
      .toContain('2 / 2');
    await expect.poll(() => replies().first().getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
    await page.reload();
    await expect.poll(() => page.getByTestId('chat-message').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId('branch').first().textContent()).toContain('2 / 2');
    await page.getByRole('button', { name: 'Previous version' }).click();
    expect(await replies().first().getByTestId('chat-text').textContent()).toBe(first);
  });

  it('stops a reply at once, keeping what was written', async () => {
    await page.getByLabel('Message').fill('Tell me a very long story');
    await page.getByLabel('Message').press('Enter');
    await expect
      .poll(() => replies().last().getAttribute('data-status'), { timeout: 20_000 })
      .toBe('streaming');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect
      .poll(() => replies().last().getAttribute('data-status'), { timeout: 20_000 })
      .toBe('stopped');
    await page.screenshot({ path: join(artifactsDir, 'chat-light.png') });
  });

  it('shows markup in messages as text: no script, no handler, no image runs', async () => {
    const hostile =
      '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><a href="javascript:window.__xss=3">link</a>';
    await page.getByLabel('Message').fill(hostile);
    await page.getByLabel('Message').press('Enter');
    await expect
      .poll(() => page.getByTestId('chat-message').filter({ hasText: '<img src=x' }).count(), {
        timeout: 20_000,
      })
      .toBe(1);
    expect(
      await page
        .locator(
          '[data-testid="thread"] img, [data-testid="thread"] script, [data-testid="thread"] a[href^="javascript"]',
        )
        .count(),
    ).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
  });
});
