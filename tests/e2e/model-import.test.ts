import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLlamaModel } from '../fixtures/gguf';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

/**
 * Dispatches a file drag onto the page as Chromium would; `drop` also drops. Files made in the page
 * have no disk path, which is what the desktop bridge's pathForFile is for. True when the page
 * cancelled the drop (so the browser does not navigate to the file).
 */
const dragFiles = (page: Page, names: string[], drop: boolean): Promise<boolean> =>
  page.evaluate(`(() => {
    const data = new DataTransfer();
    for (const name of ${JSON.stringify(names)}) data.items.add(new File(['GGUF'], name));
    const target = document.querySelector('main');
    const fire = (type) => target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
    fire('dragenter');
    return ${drop} ? !fire('drop') : !fire('dragover');
  })()`);

const libraryNames = (page: Page): Promise<string[]> =>
  page.getByTestId('library-model').locator('p.font-medium').allTextContents();

describe('importing a model file, in the browser and on the desktop', () => {
  const dir = makeTempDir();
  const file = (name: string, title: string): string => {
    mkdirSync(join(dir.path, 'elsewhere'), { recursive: true });
    const path = join(dir.path, 'elsewhere', name);
    writeLlamaModel(path, { name: title, weightType: 'Q8_0' });
    return path;
  };
  let typed: string;
  let picked: string;
  let dropped: string;
  let serve: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    typed = file('Typed-Q8_0.gguf', 'Typed Model');
    picked = file('Picked-Q8_0.gguf', 'Picked Model');
    dropped = file('Dropped-Q8_0.gguf', 'Dropped Model');
    [serve, browser] = await Promise.all([
      startServe({
        dataDir: join(dir.path, 'data'),
        env: {
          HOME: join(dir.path, 'home'),
          HF_HOME: join(dir.path, 'home', 'hf'),
          OLLAMA_MODELS: join(dir.path, 'home', 'ollama'),
        },
      }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  describe('in a browser (hearth serve)', () => {
    let page: Page;
    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(`${serve.url}#/models`);
    });

    it('keeps the path field, and says the path is on the machine running Hearth', async () => {
      const field = page.getByLabel('GGUF file to import');
      await expect.poll(() => field.count(), { timeout: 15_000 }).toBe(1);
      expect(await page.getByTestId('import-where').textContent()).toContain(
        'The path is on the machine running Hearth, not on the device this browser runs on',
      );
      expect(await page.getByRole('button', { name: 'Import…' }).count()).toBe(0);
      await field.fill(typed);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await expect.poll(() => libraryNames(page), { timeout: 15_000 }).toContain('Typed Model');
      expect(await page.getByRole('status').first().textContent()).toContain('Added Typed Model');
    });

    it('explains a dropped file instead of opening it, and imports nothing', async () => {
      expect(await dragFiles(page, ['Dropped-Q8_0.gguf'], false)).toBe(true);
      const overlay = page.getByTestId('drop-overlay');
      await expect.poll(() => overlay.textContent()).toContain('A browser cannot hand Hearth its files');
      expect(await dragFiles(page, ['Dropped-Q8_0.gguf'], true)).toBe(true);
      await expect.poll(() => overlay.count()).toBe(0);
      await expect
        .poll(() => page.getByTestId('drop-feedback').textContent())
        .toContain('type the path of the file on the machine running Hearth');
      expect(await libraryNames(page)).toEqual(['Typed Model']);
    });
  });

  describe('on the desktop (the preload bridge, stubbed over HTTP)', () => {
    let page: Page;
    beforeAll(async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      // What the preload gives the page: the contract, the dialog's answer, and dropped files' paths.
      await context.addInitScript(`
        window.__picks = [${JSON.stringify(picked)}, null];
        const disk = ${JSON.stringify({ 'Dropped-Q8_0.gguf': dropped })};
        window.hearth = {
          invoke: (route, input) => fetch('/api/invoke', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ route, input }),
          }).then((r) => r.json()),
          on: () => () => {},
          pickModelFile: async () => window.__picks.shift() ?? null,
          pathForFile: (file) => disk[file.name] ?? '',
        };`);
      page = await context.newPage();
      await page.goto(`${serve.url}#/models`);
    });

    it('imports the file chosen in the system dialog, and does nothing when it is cancelled', async () => {
      const button = page.getByRole('button', { name: 'Import…' });
      await expect.poll(() => button.count(), { timeout: 15_000 }).toBe(1);
      expect(await page.getByLabel('GGUF file to import').count()).toBe(0);
      await button.click();
      await expect.poll(() => libraryNames(page), { timeout: 15_000 }).toContain('Picked Model');
      await button.click(); // Cancelled.
      await expect.poll(() => page.evaluate('window.__picks.length')).toBe(0);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(await libraryNames(page)).toHaveLength(2);
    });

    it('imports a .gguf dropped anywhere on the window, and says why other files are left out', async () => {
      expect(await dragFiles(page, ['Dropped-Q8_0.gguf', 'notes.txt'], false)).toBe(true);
      await expect
        .poll(() => page.getByTestId('drop-overlay').textContent())
        .toContain('Drop a .gguf file to add it to your models');
      await page.screenshot({ path: join(artifactsDir, 'model-drop-overlay.png') });
      expect(await dragFiles(page, ['Dropped-Q8_0.gguf', 'notes.txt'], true)).toBe(true);
      const feedback = page.getByTestId('drop-feedback');
      await expect
        .poll(() => feedback.locator('[data-status="done"]').textContent(), { timeout: 15_000 })
        .toContain('Added Dropped Model to your models');
      expect(await feedback.locator('[data-status="failed"]').textContent()).toContain(
        'notes.txt is not a GGUF model file',
      );
      await expect.poll(() => libraryNames(page), { timeout: 15_000 }).toContain('Dropped Model');
      await page.screenshot({ path: join(artifactsDir, 'model-drop-imported.png') });
    });

    it('says so when the dropped model is already in the library', async () => {
      await dragFiles(page, ['Dropped-Q8_0.gguf'], true);
      await expect
        .poll(
          () => page.getByTestId('drop-feedback').locator('[data-status="failed"]').last().textContent(),
          {
            timeout: 15_000,
          },
        )
        .toContain('already in the library');
    });
  });
});
