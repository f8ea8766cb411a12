import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeGpuTools } from '../fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../fixtures/gpu/gpu-profiles';
import { watchableShape } from '../fixtures/monitor/models';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

describe('the resource monitor in Chromium (a fake RTX 4090, a generated model streaming)', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  let modelId: string;

  const call = async <T>(route: string, input?: unknown): Promise<T> => {
    const result = await invokeOver(serve.url, route, input);
    if (!result.ok) throw new Error(`${route}: ${result.error?.message}`);
    return result.value as T;
  };
  /** A long reply from the engine, as a chat would start it; stopped by the test. */
  const stream = (requestId: string): Promise<unknown> =>
    call('engine.chat', {
      requestId,
      messages: [{ role: 'user', content: 'Tell me a very long story' }],
      sampling: { temperature: 0.7, maxTokens: 3000, stop: [] },
      ignoreEos: true,
    });
  const texts = (testId: string): Promise<string[]> => page.getByTestId(testId).allTextContents();

  beforeAll(async () => {
    const bin = installFakeGpuTools(join(dir.path, 'bin'), fakeGpuProfiles.rtx4090);
    writeTinyModel(join(dir.path, 'data', 'models'), { endless: true, shape: watchableShape }, 'story.gguf');
    [serve, browser] = await Promise.all([
      startServe({
        dataDir: join(dir.path, 'data'),
        env: { PATH: `${bin}:${process.env.PATH}`, HOME: join(dir.path, 'home') },
      }),
      launchChromium(),
    ]);
    modelId = (await call<{ id: string }[]>('library.list'))[0]!.id;
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  it('shows moving GPU values in the strip and the full view while a reply streams', async () => {
    // Every layer on the GPU (this build has no CUDA backend, so the estimator alone would say none).
    await call('engine.load', { modelId, contextSize: 4096, gpuLayers: 5 });
    const { loaded } = await call<{ loaded: { pid: number }[] }>('engine.status');
    const pid = loaded[0]!.pid;
    await page.goto(`${serve.url}#/models`);
    const strip = page.getByTestId('monitor-strip');
    await expect.poll(() => strip.textContent(), { timeout: 20_000 }).toContain('RTX 4090');
    expect(await strip.textContent()).toMatch(/CPU \d+%/);
    expect(await strip.textContent()).toMatch(/\/25\.8 GB/);
    const utils = new Set<string>();
    await expect
      .poll(async () => utils.add((await texts('strip-gpu-util'))[0] ?? '').size, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(3);

    const reply = stream('watched');
    await expect
      .poll(() => page.getByTestId('strip-tps').textContent(), { timeout: 20_000 })
      .toMatch(/tok\/s/);
    await strip.click();
    const panel = page.getByTestId('monitor-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('monitor-gpu').first().textContent()).toContain('NVIDIA GeForce RTX 4090');
    const engineRow = panel.locator('[data-testid="monitor-process"][data-role="engine"]');
    await expect.poll(() => engineRow.textContent(), { timeout: 20_000 }).toContain(String(pid));
    const fills = new Set<string>();
    await expect
      .poll(
        async () => fills.add((await engineRow.getByTestId('monitor-context').textContent()) ?? '').size,
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThanOrEqual(3);
    const memory = new Set<string>();
    await expect
      .poll(async () => memory.add((await texts('monitor-gpu-memory'))[0] ?? '').size, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(2);
    // uPlot has drawn the history.
    expect(await panel.locator('.uplot canvas').count()).toBeGreaterThanOrEqual(3);
    // The whole model is on the GPU: nothing spilled.
    expect(await page.locator('[data-testid="monitor-warning"][data-kind="spilled-to-ram"]').count()).toBe(0);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect
        .poll(async () => (await page.locator('html').getAttribute('class'))?.includes('dark') ?? false)
        .toBe(scheme === 'dark');
      await page.screenshot({ path: join(artifactsDir, `monitor-${scheme}.png`) });
    }
    await call('engine.stop', { requestId: 'watched' });
    await reply;
  });

  it('warns that the model spilled into RAM when it is loaded with fewer GPU layers than it has', async () => {
    await call('engine.load', { modelId, contextSize: 4096, gpuLayers: 2 });
    const warning = page.locator('[data-testid="monitor-warning"][data-kind="spilled-to-ram"]');
    await expect
      .poll(() => warning.textContent(), { timeout: 20_000 })
      .toContain('3 of its 5 layers run on the CPU');
    expect(await page.getByTestId('strip-warnings').textContent()).toContain('spilled into system RAM');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: join(artifactsDir, 'monitor-spilled.png') });
  });
});
