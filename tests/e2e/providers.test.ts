import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLanKey } from '../../src/main/bindings/lan-key';
import { installFakeGpuTools } from '../fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../fixtures/gpu/gpu-profiles';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

/**
 * Two Hearths on one machine: "the GPU box" (two Tesla P40s through fake nvidia-smi, a tiny model,
 * shared on the LAN with a key) and this one. Added on the Providers page, compared side by side,
 * and its model answers a chat picked from the model picker under its name.
 */
describe('another Hearth as a provider, in Chromium', () => {
  const dir = makeTempDir();
  const key = generateLanKey();
  let remote: ServeProcess;
  let local: ServeProcess;
  let browser: Browser;
  let page: Page;
  let remoteOrigin: string;

  const remoteInvoke = async (route: string, input?: unknown) => {
    const res = await fetch(`${remoteOrigin}/api/invoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
      body: JSON.stringify({ route, input }),
    });
    return (await res.json()) as { ok: boolean; value?: unknown };
  };

  beforeAll(async () => {
    const remoteData = join(dir.path, 'remote');
    const localData = join(dir.path, 'local');
    writeTinyModel(join(remoteData, 'models'), { name: 'Remote Tiny' }, 'remote-tiny.gguf');
    writeTinyModel(join(localData, 'models'));
    const gpuBin = installFakeGpuTools(join(dir.path, 'bin'), fakeGpuProfiles.twoP40);
    [remote, local, browser] = await Promise.all([
      // Shared on every interface (so it announces itself on the LAN), with its key.
      startServe({
        dataDir: remoteData,
        args: ['--host', '0.0.0.0', '--lan-key', key],
        env: { HOME: join(dir.path, 'home-remote'), PATH: `${gpuBin}:${process.env.PATH}` },
      }),
      startServe({ dataDir: localData, env: { HOME: join(dir.path, 'home-local') } }),
      launchChromium(),
    ]);
    remoteOrigin = new URL(remote.url).origin;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([remote?.stop(), local?.stop()]);
    dir.cleanup();
  });

  const addForm = () => page.getByRole('region', { name: 'Add a server' });

  it('refuses a wrong key with the reason, before keeping anything', async () => {
    await page.goto(`${local.url}#/providers`);
    await addForm().getByLabel('Server address').fill(remoteOrigin);
    await addForm().getByLabel('Kind').selectOption('hearth');
    await addForm().getByLabel('Key').fill(generateLanKey());
    await addForm().getByRole('button', { name: 'Test and add' }).click();
    await expect
      .poll(() => page.getByTestId('add-error').textContent(), { timeout: 20_000 })
      .toMatch(/401|key/i);
    expect((await invokeOver(local.url, 'providers.list')).value).toHaveLength(1);
  });

  it('adds it by URL and key: its health, then its hardware and models beside this machine', async () => {
    await addForm().getByLabel('Server address').fill(remoteOrigin);
    await addForm().getByLabel('Kind').selectOption('auto');
    await addForm().getByLabel('Key').fill(key);
    await addForm().getByLabel('Name').fill('GPU box');
    await addForm().getByRole('button', { name: 'Test and add' }).click();
    const row = page.locator('[data-testid="provider-row"][data-provider="GPU box"]');
    await expect
      .poll(() => row.getByTestId('provider-health').textContent(), { timeout: 20_000 })
      .toMatch(/^Reachable · \d+ ms · Hearth \d/);
    const compare = page.getByTestId('machine-compare');
    const there = compare.getByRole('region', { name: 'GPU box' });
    const here = compare.getByRole('region', { name: 'This machine' });
    // Its own hardware (two P40s) and its model with the verdict its own estimator gives.
    await expect.poll(() => there.getByTestId('machine-gpu').count(), { timeout: 30_000 }).toBe(2);
    expect(await there.getByTestId('machine-gpu').first().textContent()).toMatch(/P40/);
    expect(await here.getByTestId('machine-gpu').count()).toBe(0);
    const remoteModel = there
      .getByTestId('machine-models')
      .getByRole('listitem')
      .filter({ hasText: 'Remote Tiny' });
    await expect.poll(() => remoteModel.getByTestId('fit-badge').count(), { timeout: 30_000 }).toBe(1);
    const fit = await remoteInvoke('estimator.fit', { modelId: 'hearth:remote-tiny.gguf' });
    expect(await remoteModel.getByTestId('fit-badge').getAttribute('data-verdict')).toBe(
      (fit.value as { verdict: string }).verdict,
    );
    // Live numbers from its /metrics: a GPU and VRAM bar per card.
    await expect
      .poll(() => there.getByTestId('machine-live').getByRole('meter', { name: 'VRAM' }).count(), {
        timeout: 30_000,
      })
      .toBe(2);
    await expect.poll(() => here.getByTestId('machine-live').count(), { timeout: 30_000 }).toBe(1);
    await page.screenshot({ path: join(artifactsDir, 'providers-page.png') });
    await compare.screenshot({ path: join(artifactsDir, 'providers-compare.png') });
  });

  it('lists the Hearth the other machine announces on the LAN, and Add… fills in its address', async () => {
    const found = page.getByRole('region', { name: 'On your network' });
    // Already added by its loopback address: shown by its LAN address, which is another URL.
    const item = found.getByRole('button', { name: /^Add / });
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await item.first().click();
    const port = new URL(remoteOrigin).port;
    await expect
      .poll(() => addForm().getByLabel('Server address').inputValue())
      .toMatch(new RegExp(`^http://.+:${port}$`));
    expect(await addForm().getByLabel('Kind').inputValue()).toBe('hearth');
    await expect
      .poll(() => page.evaluate<string | undefined>("document.activeElement?.getAttribute('aria-label')"))
      .toBe('Key');
  });

  it('picks its model in the chat under its name, with its fit badge, and it answers', async () => {
    await page.goto(`${local.url}#/chat`);
    await page.getByRole('button', { name: 'Model' }).click();
    const group = page.getByRole('group', { name: 'GPU box' });
    const option = group.getByRole('option').filter({ hasText: 'Remote Tiny' });
    await expect.poll(() => option.getByTestId('fit-badge').count(), { timeout: 30_000 }).toBe(1);
    // This machine's own model is listed under its own group.
    expect(await page.getByRole('group', { name: 'This machine' }).getByRole('option').count()).toBe(1);
    await page.screenshot({ path: join(artifactsDir, 'providers-picker.png') });
    await option.click();
    await expect.poll(() => page.getByTestId('current-model').textContent()).toBe('Remote Tiny · GPU box');
    await page.getByLabel('Message').fill('Hello over there');
    await page.keyboard.press('Enter');
    const reply = page.locator('[data-testid="chat-message"][data-role="assistant"]').last();
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    // The reply came from the GPU box: its API logged the generation, and the chat remembers where it runs.
    const requests = (await remoteInvoke('server.requests')).value as { model: string; status: number }[];
    expect(requests.some((r) => r.model.includes('remote-tiny') && r.status === 200)).toBe(true);
    const chats = (await invokeOver(local.url, 'chats.list')).value as { providerId: string | null }[];
    expect(chats[0]?.providerId).not.toBeNull();
    await page.screenshot({ path: join(artifactsDir, 'providers-chat.png') });
  });
});
