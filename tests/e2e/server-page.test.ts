import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

describe('Server page in Chromium', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let baseUrl: string;

  beforeAll(async () => {
    writeTinyModel(join(dir.path, 'data', 'models'));
    [serve, browser] = await Promise.all([
      startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } }),
      launchChromium(),
    ]);
    baseUrl = new URL('/v1', serve.url).href;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  it('shows the API address, and says the command line decides', async () => {
    await page.goto(`${serve.url}#/server`);
    await expect
      .poll(() => page.getByTestId('server-base-url').textContent(), { timeout: 15_000 })
      .toBe(baseUrl);
    const status = page.getByTestId('server-status');
    expect(await status.textContent()).toContain('The API is on');
    expect(await status.textContent()).toContain('Read-only here: the hearth serve command line decides');
    expect(await page.getByRole('switch', { name: 'API on' }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: 'API on' }).isDisabled()).toBe(true);
    expect(await page.getByRole('switch', { name: /Share on my network/ }).isDisabled()).toBe(true);
    expect(await page.getByRole('link', { name: 'Server' }).getAttribute('aria-current')).toBe('page');
  });

  it('logs a request made from outside the page as it happens, with its model and tokens', async () => {
    expect(await page.getByTestId('request-row').count()).toBe(0);
    const res = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        model: 'hearth:tiny.gguf',
        messages: [{ role: 'user', content: 'Hello there' }],
        max_tokens: 6,
      }),
    });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    const row = page.getByTestId('request-row').first();
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('tiny');
    expect(text).toContain('200');
    expect(await row.getByTestId('request-tokens').textContent()).toBe(
      `${reply.usage.prompt_tokens} → ${reply.usage.completion_tokens}`,
    );
    // A reload reads the same entry back from server.requests.
    await page.reload();
    await expect.poll(() => page.getByTestId('request-row').count(), { timeout: 15_000 }).toBe(1);
  });

  it('fills the snippets with the address and a library model, and copies them', async () => {
    const curl = page.getByTestId('snippet-curl');
    await expect.poll(() => curl.textContent(), { timeout: 15_000 }).toContain(baseUrl);
    expect(await curl.textContent()).toContain('hearth:tiny.gguf');
    await page.screenshot({ path: join(artifactsDir, 'server-page.png'), fullPage: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy OpenAI Python snippet' }).click();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toContain(`base_url="${baseUrl}"`);
    expect(copied).toContain('model="hearth:tiny.gguf"');
  });
});
