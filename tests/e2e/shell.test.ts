import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('Hearth in Chromium through `hearth serve`', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    [serve, browser] = await Promise.all([startServe({ dataDir: dir.path }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  it('prints a loopback URL', () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows the shell with live data from the backend (${scheme})`, async () => {
      const context = await browser.newContext({
        colorScheme: scheme,
        viewport: { width: 1200, height: 760 },
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(serve.url);

      await expect
        .poll(() => page.getByTestId('app-version').textContent(), { timeout: 15_000 })
        .toBe(version);
      expect(await page.getByTestId('app-runtime').textContent()).toBe('Local server');
      expect(await page.getByTestId('app-data-dir').textContent()).toBe(dir.path);
      // Events flow: the heartbeat turns the badge live and the uptime counts.
      await expect
        .poll(() => page.getByTestId('connection').getAttribute('data-live'), { timeout: 10_000 })
        .toBe('true');
      const uptime = await page.getByTestId('app-uptime').textContent();
      await expect
        .poll(() => page.getByTestId('app-uptime').textContent(), { timeout: 5000 })
        .not.toBe(uptime);
      // The page runs under the CSP without violations, and has no Node.
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      expect(problems).toEqual([]);
      await page.screenshot({ path: join(artifactsDir, `shell-${scheme}.png`) });
      await context.close();
    });
  }

  it('reconnects by itself when the server restarts', async () => {
    const page = await browser.newPage();
    await page.goto(serve.url);
    const live = () => page.getByTestId('connection').getAttribute('data-live');
    await expect.poll(live, { timeout: 10_000 }).toBe('true');
    const port = new URL(serve.url).port;
    await serve.stop();
    await expect.poll(live, { timeout: 10_000 }).toBe('false');
    serve = await startServe({ dataDir: dir.path, args: ['--port', port] });
    await expect.poll(live, { timeout: 15_000 }).toBe('true');
    await page.close();
  });
});
