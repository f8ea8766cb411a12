import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { hasDangerousText } from '../helpers/dangerous-text';
import { fillHostileFolders } from '../helpers/hostile-folders';
import { hearthBin, invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

/**
 * A FIFO, symlink loops, /dev/zero and a header claiming 10^9 layers in Hearth's folder, LM
 * Studio's, Ollama's and the HF cache: `hearth list`, `library.list` and the Models page keep
 * working, with those files shown as unusable. Before, the first listing hung (and a 10^6-layer
 * header froze the server).
 */
describe.skipIf(process.platform === 'win32')('hostile files in every scanned folder', () => {
  const dir = makeTempDir();
  const home = join(dir.path, 'home');
  const dataDir = join(dir.path, 'data');
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    HF_HOME: join(home, 'hf'),
    HF_HUB_CACHE: join(home, 'hf', 'hub'),
    OLLAMA_MODELS: join(home, 'ollama'),
    HEARTH_DATA_DIR: dataDir,
  };
  const hearth = (...args: string[]) =>
    run(process.execPath, [hearthBin, ...args], { env: { ...process.env, ...env }, timeout: 30_000 });
  let release = (): void => {};
  let goodId = '';

  beforeAll(() => {
    const filled = fillHostileFolders({
      models: join(dataDir, 'models'),
      lmStudio: join(home, '.lmstudio', 'models'),
      ollama: join(home, 'ollama'),
      hfCache: join(home, 'hf', 'hub'),
    });
    release = filled.release;
    goodId = filled.goodId;
  });
  afterAll(() => {
    release();
    dir.cleanup();
  });

  it('hearth list shows the good model and each hostile file as unusable, escaped', async () => {
    const { stdout } = await hearth('list');
    expect(stdout).toContain(goodId);
    for (const id of [
      'hearth:pipe.gguf',
      'hearth:loop-a.gguf',
      'hearth:zero.gguf',
      'hearth:million-layers.gguf',
    ])
      expect(stdout).toMatch(new RegExp(`${id.replace(/\./g, '\\.')}.*\\(unusable\\)`));
    expect(stdout).toMatch(
      /lm-studio:evil\/Model-GGUF\/pipe-Q4_K_M\.gguf: pipe-Q4_K_M\.gguf is a named pipe/,
    );
    expect(stdout).toMatch(/ollama:evil:latest: .* is a named pipe/);
    expect(stdout).toMatch(
      /hearth:million-layers\.gguf: Not a valid GGUF model: llama\.block_count is 1000000/,
    );
    expect(stdout).toContain('hearth:evil-\\x1b]0;pwned\\x07.gguf');
    expect(hasDangerousText(stdout, true)).toBe(false);
  });

  it('hearth list --json and hearth show answer too', async () => {
    const list = JSON.parse((await hearth('list', '--json')).stdout) as {
      id: string;
      error: string | null;
    }[];
    expect(list.find((m) => m.id === goodId)?.error).toBeNull();
    expect(list.find((m) => m.id === 'hearth:zero.gguf')?.error).toBe(
      'zero.gguf is a device, not a model file',
    );
    const { stdout } = await hearth('show', 'hearth:named.gguf');
    expect(stdout).toMatch(/^\\x1b\[2J\\x1b\]0;pwned\\x07Z+…\n/);
    expect(hasDangerousText(stdout, true)).toBe(false);
    const pipe = await hearth('show', 'hearth:pipe.gguf');
    expect(pipe.stdout).toMatch(/unusable\s+pipe\.gguf is a named pipe \(FIFO\), not a model file/);
  });

  describe('hearth serve', () => {
    let serve: ServeProcess;
    let browser: Browser;

    beforeAll(async () => {
      [serve, browser] = await Promise.all([startServe({ dataDir, env }), launchChromium()]);
    });
    afterAll(async () => {
      await browser?.close();
      await serve?.stop();
    });

    it('answers library.list again and again, and the Models page shows the unusable files', async () => {
      for (let i = 0; i < 6; i++) {
        const reply = await invokeOver(serve.url, 'library.list');
        expect(reply.ok).toBe(true);
      }
      expect(await invokeOver(serve.url, 'app.info')).toMatchObject({ ok: true });
      const page = await browser.newPage();
      await page.goto(new URL('/#/models', serve.url).href);
      const good = page.locator(`[data-testid="library-model"][data-id="${goodId}"]`);
      await expect.poll(() => good.textContent(), { timeout: 15_000 }).toContain('Hearth Tiny');
      expect(await good.getByRole('button', { name: 'Try it' }).count()).toBe(1);
      const pipe = page.locator('[data-testid="library-model"][data-id="hearth:pipe.gguf"]');
      expect(await pipe.getByRole('alert').textContent()).toBe(
        'Unusable: pipe.gguf is a named pipe (FIFO), not a model file',
      );
      expect(await pipe.getByRole('button', { name: 'Try it' }).count()).toBe(0);
      await page.screenshot({ path: join(artifactsDir, 'hostile-models.png'), fullPage: true });
    });
  });
});
