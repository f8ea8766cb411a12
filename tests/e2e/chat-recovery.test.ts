import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

describe('a damaged chat database in Chromium', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  const backups = join(dataDir, 'backups');
  const env = { HOME: join(dir.path, 'home') };
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });
  const daily = (): string[] => readdirSync(backups).filter((f) => f.startsWith('hearth-daily-'));

  it('starts anyway, keeps the damaged file, tells the user, and restores the copy they pick', async () => {
    serve = await startServe({ dataDir, env });
    await invokeOver(serve.url, 'chats.create', { title: 'Holiday plans' });
    await serve.stop();
    // The next start takes the day's copy of the chats (Holiday plans only)…
    serve = await startServe({ dataDir, env });
    await invokeOver(serve.url, 'chats.create', { title: 'Work notes' });
    await serve.stop();
    expect(daily()).toHaveLength(1);
    // …made three days ago, say, so the next start takes a new one (with Work notes too).
    const older = Date.now() - 3 * 24 * 60 * 60 * 1000;
    renameSync(join(backups, daily()[0]!), join(backups, `hearth-daily-${older}.db`));
    serve = await startServe({ dataDir, env });
    await serve.stop();
    expect(daily()).toHaveLength(2);

    writeFileSync(join(dataDir, 'hearth.db'), 'this is not a database any more');
    serve = await startServe({ dataDir, env });
    expect(readdirSync(dataDir).some((f) => f.startsWith('hearth.db.corrupt-'))).toBe(true);
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${serve.url}#/chat`);
    const banner = page.getByRole('alert').filter({ hasText: 'could not be read' });
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toContain('hearth.db.corrupt-');
    // No model and no chat yet: the page leads to installing one.
    const empty = page.getByTestId('chat-empty');
    await expect.poll(() => empty.textContent(), { timeout: 10_000 }).toContain('No model installed yet');
    expect(await empty.getByRole('link', { name: 'Find a model that fits' }).getAttribute('href')).toBe(
      '#/discover',
    );
    // The newest copy is offered first; the user picks the older one.
    const copies = banner.getByLabel('Copy to restore');
    expect(await copies.locator('option').count()).toBe(2);
    await copies.selectOption({ index: 1 });
    await banner.getByRole('button', { name: /Restore the copy from/ }).click();
    await expect.poll(() => banner.textContent(), { timeout: 10_000 }).toContain('Restored 1 conversation');
    const sidebar = page.getByRole('navigation', { name: 'Conversations' });
    await expect
      .poll(() => sidebar.getByRole('button', { name: 'Holiday plans', exact: true }).count(), {
        timeout: 10_000,
      })
      .toBe(1);
    expect(await sidebar.getByRole('button', { name: 'Work notes', exact: true }).count()).toBe(0);
    expect(existsSync(join(dataDir, 'hearth.db'))).toBe(true);
  });
});
