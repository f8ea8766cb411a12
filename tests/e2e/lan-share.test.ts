import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLanKey } from '../../src/main/bindings/lan-key';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

/**
 * The shared link in a real browser. `--lan-key` on loopback requires the key just as a LAN host
 * does, so this drives the whole key → cookie flow without listening beyond 127.0.0.1.
 */
describe('opening a shared link in Chromium', () => {
  const dir = makeTempDir();
  const key = generateLanKey();
  let serve: ServeProcess;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    [serve, browser] = await Promise.all([
      startServe({ dataDir: dir.path, args: ['--lan-key', key], env: { HOME: join(dir.path, 'home') } }),
      launchChromium(),
    ]);
    origin = new URL(serve.url).origin;
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  const apiStatus = (page: import('playwright-core').Page) =>
    page.evaluate(async () => {
      const res = await fetch('/api/invoke', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ route: 'app.info' }),
      });
      return res.status;
    });

  it('prints a link that carries the key in its query', () => {
    expect(serve.url).toBe(`${origin}/?key=${key}`);
  });

  it('without the link, the page loads but Hearth answers nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    expect(await apiStatus(page)).toBe(401);
    await context.close();
  });

  it('keeps the key as an HttpOnly cookie, shows a URL without it, and works over HTTP and the WebSocket', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${serve.url}#/settings`);
    // Redirected to the app itself: no key in the address bar (the #route is kept).
    expect(page.url()).toBe(`${origin}/#/settings`);
    const cookies = await context.cookies(origin);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies[0]!.value).not.toContain(key);
    // Out of the page's reach, too.
    expect(await page.evaluate<string>('document.cookie')).toBe('');
    expect(await apiStatus(page)).toBe(200);
    // Heartbeats arrive: the WebSocket got in with the cookie.
    await expect
      .poll(() => page.getByTestId('connection').getAttribute('data-live'), { timeout: 15_000 })
      .toBe('true');
    await page.screenshot({ path: join(artifactsDir, 'lan-share.png') });
    // Later visits need no link.
    await page.goto(`${origin}/`);
    expect(await apiStatus(page)).toBe(200);
    expect(page.url()).not.toContain(key);
    await context.close();
  });
});
