import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/fake-hub';
import { writeTestCatalog } from '../helpers/catalog-fixture';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { writeDownloadModel } from '../helpers/download-fixtures';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

describe('first run: recommended model, one click, download, chat', () => {
  const dir = makeTempDir();
  const repo = 'hearth-test/Hearth-Tiny-Chat-GGUF';
  let hub: FakeHub;
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: join(artifactsDir, name), fullPage: true });

  beforeAll(async () => {
    const model = writeDownloadModel(dir.path, 'model.gguf', 5);
    hub = await startFakeHub([
      {
        id: repo,
        license: 'mit',
        downloads: 7,
        files: [{ path: 'Hearth-Tiny-Chat-Q4_K_M.gguf', diskPath: model.path }],
      },
    ]);
    // Slow enough for the progress bar to be seen, fast enough for a test.
    hub.faults = { bytesPerSecond: 12 * 1024 * 1024 };
    [serve, browser] = await Promise.all([
      startServe({
        dataDir: join(dir.path, 'data'),
        // A fresh home: no models from other tools on this machine.
        env: {
          HF_ENDPOINT: hub.url,
          HEARTH_CATALOG: writeTestCatalog(dir.path, repo),
          HOME: join(dir.path, 'home'),
          HF_HOME: join(dir.path, 'home', 'hf'),
          OLLAMA_MODELS: join(dir.path, 'home', 'ollama'),
        },
      }),
      launchChromium(),
    ]);
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await hub?.close();
    dir.cleanup();
  });

  it('proposes one model for this machine on first run', async () => {
    await page.goto(serve.url);
    const card = page.getByTestId('recommended');
    await expect.poll(() => card.textContent(), { timeout: 20_000 }).toContain('Hearth Tiny Chat');
    expect(await card.textContent()).toContain('Q4_K_M');
    await shot('first-run.png');
  });

  it('installs it with one click, showing progress', async () => {
    await page.getByTestId('recommended').getByRole('button', { name: 'Install' }).click();
    await expect
      .poll(() => page.getByTestId('download').first().getAttribute('data-status'), { timeout: 10_000 })
      .toMatch(/queued|downloading/);
    await expect
      .poll(() => page.getByTestId('download-progress').first().textContent(), { timeout: 10_000 })
      .toMatch(/MB\/s/);
    await shot('downloading.png');
    await expect
      .poll(() => page.getByTestId('download').first().getAttribute('data-status'), { timeout: 30_000 })
      .toBe('done');
  });

  it('lists it in My models, and it answers', async () => {
    await page.getByRole('link', { name: 'Open in My models' }).click();
    const model = page.getByTestId('library-model').first();
    await expect.poll(() => model.textContent(), { timeout: 10_000 }).toContain('Hearth Download Test');
    await model.getByRole('button', { name: 'Try it' }).click();
    await model.getByRole('button', { name: 'Ask' }).click();
    await expect.poll(() => model.getByTestId('try-reply').textContent(), { timeout: 60_000 }).toMatch(/\S/);
    await expect
      .poll(() => model.textContent(), { timeout: 60_000 })
      .toMatch(/\d+ tokens · [\d.]+ tokens\/s · stopped by/);
    await shot('first-chat.png');
  });

  it('opens on the chat with that model once it is installed, the welcome page a click away', async () => {
    await page.goto(serve.url);
    await expect
      .poll(() => page.getByTestId('current-model').textContent(), { timeout: 15_000 })
      .toBe('Hearth Download Test');
    await expect
      .poll(() => page.evaluate<string | undefined>("document.activeElement?.getAttribute('aria-label')"))
      .toBe('Message');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Welcome to Hearth' }).count(), { timeout: 10_000 })
      .toBe(1);
  });
});
