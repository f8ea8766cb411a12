import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium } from '../helpers/chromium';
import { invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';
import { shapes, writeLlamaModel } from '../fixtures/gguf';

/** A conversation file as Hearth exports it, with a reply full of Markdown and hostile markup. */
function importedChat(): string {
  const reply = [
    '## Results',
    '',
    '| Model | Tokens/s |',
    '| --- | --- |',
    '| tiny | 300 |',
    '',
    '```python',
    'def greet(name):',
    '    return f"hi {name}"',
    '```',
    '',
    'Euler: $e^{i\\pi} + 1 = 0$',
    '',
    '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script>',
    '',
    '[click me](javascript:window.__xss=3) and ![tracker](https://example.com/pixel.png)',
  ].join('\n');
  const at = Date.now() - 60_000;
  return JSON.stringify({
    format: 'hearth-conversation',
    version: 1,
    conversation: {
      title: 'Imported notes',
      modelId: null,
      systemPrompt: null,
      params: {},
      createdAt: at,
      updatedAt: at,
    },
    messages: [
      {
        id: 'a',
        parentId: null,
        role: 'user',
        content: 'Show me a table of zebras',
        status: 'done',
        createdAt: at,
      },
      { id: 'b', parentId: 'a', role: 'assistant', content: reply, status: 'done', createdAt: at + 1 },
    ],
  });
}

describe('chat in Chromium', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const replies = () => page.locator('[data-testid="chat-message"][data-role="assistant"]');
  const users = () => page.locator('[data-testid="chat-message"][data-role="user"]');
  const status = () => replies().last().getAttribute('data-status');
  const pickModel = async (name: string): Promise<void> => {
    await page.getByRole('button', { name: 'Model' }).click();
    const option = page.getByRole('option').filter({ hasText: name });
    await expect.poll(() => option.getByTestId('fit-badge').count(), { timeout: 15_000 }).toBe(1);
    await option.click();
    await expect.poll(() => page.getByTestId('current-model').textContent()).toBe(name);
  };

  const models = join(dir.path, 'data', 'models');

  beforeAll(async () => {
    // One model to begin with; the others come after the first test.
    writeTinyModel(models);
    [serve, browser] = await Promise.all([
      startServe({ dataDir: join(dir.path, 'data'), env: { HOME: join(dir.path, 'home') } }),
      launchChromium(),
    ]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    dir.cleanup();
  });

  it('opens on the chat: typing a question and Enter streams the reply, with no other click', async () => {
    await page.goto(serve.url);
    // Before the first message: which model will answer, with its fit, and nothing stored yet.
    await expect
      .poll(() => page.getByTestId('current-model').textContent(), { timeout: 15_000 })
      .toBe('Hearth Tiny');
    await expect
      .poll(() => page.getByRole('button', { name: 'Model' }).getByTestId('fit-badge').count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await expect
      .poll(() => page.evaluate<string | undefined>("document.activeElement?.getAttribute('aria-label')"))
      .toBe('Message');
    expect((await invokeOver(serve.url, 'chats.list')).value).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'chat-new.png') });
    await page.keyboard.type('Why is the sky blue?');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await replies().first().getByTestId('chat-text').textContent())?.length ?? 0, {
        timeout: 30_000,
      })
      .toBeGreaterThan(0);
    await expect.poll(status, { timeout: 30_000 }).toBe('done');
    expect(await users().first().getByTestId('chat-text').textContent()).toBe('Why is the sky blue?');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Why is the sky blue?');
    const stored = (await invokeOver(serve.url, 'chats.list')).value as { title: string }[];
    expect(stored.map((c) => c.title)).toEqual(['Why is the sky blue?']);
  });

  it('starts a chat, streams a reply, regenerates it (2 / 2), and keeps everything across a reload', async () => {
    // Never ends its turn: a reply that is surely still streaming when Stop is pressed.
    writeTinyModel(models, { endless: true, name: 'Hearth Endless' }, 'endless.gguf');
    // Writes only broken characters: its reply has no text to show.
    writeTinyModel(models, { garbled: true, name: 'Hearth Garbled' }, 'garbled.gguf');
    // Llama-3.2-1B's shape, zeros on a sparse file: a load slow enough to watch and cancel.
    writeLlamaModel(join(models, 'llama-1b-shape.gguf'), { shape: shapes.llama32_1b, sparse: true });
    await page.goto(`${serve.url}#/chat`);
    // A new chat (the page's own, or the button's) is not stored until its first message.
    await page.getByRole('button', { name: 'New chat' }).first().click();
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('New chat');
    await pickModel('Hearth Tiny');
    await page.getByLabel('Message').fill('Hello there, pineapple');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(status, { timeout: 30_000 }).toBe('done');
    // Named after the first question, in the header and the sidebar.
    expect(await page.getByTestId('chat-title').textContent()).toBe('Hello there, pineapple');
    const first = await replies().first().getByTestId('chat-text').textContent();
    expect(first?.length).toBeGreaterThan(0);
    await replies().first().hover();
    expect(await replies().first().getByTestId('stats').textContent()).toMatch(/tokens\/s/);
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await expect
      .poll(() => page.getByTestId('branch').first().textContent(), { timeout: 30_000 })
      .toContain('2 / 2');
    await expect.poll(status, { timeout: 30_000 }).toBe('done');
    await page.reload();
    await expect.poll(() => page.getByTestId('chat-message').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId('branch').first().textContent()).toContain('2 / 2');
    await page.getByRole('button', { name: 'Previous version' }).click();
    expect(await replies().first().getByTestId('chat-text').textContent()).toBe(first);
  });

  it('edits a question and resends it as a new version, keeping the old one', async () => {
    await users().first().hover();
    await users().first().getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Edit message').fill('Hello again, mango');
    await page.getByRole('button', { name: 'Save & send' }).click();
    await expect
      .poll(() => users().first().getByTestId('chat-text').textContent())
      .toBe('Hello again, mango');
    await expect.poll(status, { timeout: 30_000 }).toBe('done');
    expect(await users().first().getByTestId('branch').textContent()).toContain('2 / 2');
    await users().first().getByRole('button', { name: 'Previous version' }).click();
    expect(await users().first().getByTestId('chat-text').textContent()).toBe('Hello there, pineapple');
    expect(await replies().first().getByTestId('branch').textContent()).toContain('1 / 2');
  });

  it('stops a reply at once, keeping what was written', async () => {
    await pickModel('Hearth Endless');
    await page.getByLabel('Message').fill('Tell me a very long story');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(status, { timeout: 30_000 }).toBe('streaming');
    await expect
      .poll(async () => (await replies().last().getByTestId('chat-text').textContent())?.length ?? 0, {
        timeout: 20_000,
      })
      .toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(status, { timeout: 20_000 }).toBe('stopped');
    expect((await replies().last().getByTestId('chat-text').textContent())?.length).toBeGreaterThan(5);
  });

  it('says why a reply is empty instead of showing an empty answer', async () => {
    await pickModel('Hearth Garbled');
    await page.getByLabel('Message').fill('Say something');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(status, { timeout: 60_000 }).toBe('done');
    expect(await replies().last().getByTestId('reply-notice').textContent()).toMatch(
      // What it wrote decodes to nothing readable (or, if sampling picked an end token first, nothing).
      /not readable text \(broken characters\)|without writing anything/,
    );
    await pickModel('Hearth Tiny');
  });

  it('imports a chat whose reply renders as Markdown, with its markup inert', async () => {
    await page.getByLabel('Import a chat').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from(importedChat()),
    });
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Imported notes');
    const reply = replies().first();
    await expect.poll(() => reply.locator('table th').allTextContents()).toEqual(['Model', 'Tokens/s']);
    // KaTeX and the highlighter are fetched on first use: the reply shows them once they are in.
    await expect.poll(() => reply.locator('pre code .hljs-keyword').first().textContent()).toBe('def');
    await expect.poll(() => reply.locator('.katex').count()).toBeGreaterThan(0);
    expect(await reply.getByTestId('blocked-image').textContent()).toContain('https://example.com/pixel.png');
    // The raw HTML stays text; no script, handler, image or javascript: link exists in the thread.
    expect(await reply.textContent()).toContain('<img src=x onerror=');
    expect(
      await page
        .locator(
          '[data-testid="thread"] img, [data-testid="thread"] script, [data-testid="thread"] a[href^="javascript"], [data-testid="thread"] [onerror]',
        )
        .count(),
    ).toBe(0);
    expect(await reply.getByText('click me').evaluate((e) => e.tagName)).toBe('SPAN');
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: join(artifactsDir, 'chat-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.locator('html').getAttribute('class')).toContain('dark');
    await page.screenshot({ path: join(artifactsDir, 'chat-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await reply.getByRole('button', { name: 'Copy code' }).click();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(
      'def greet(name):\n    return f"hi {name}"',
    );
  });

  it('shows markup the user typed as text', async () => {
    await page.getByRole('button', { name: 'New chat' }).first().click();
    const hostile =
      '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><a href="javascript:window.__xss=3">link</a>';
    await page.getByLabel('Message').fill(hostile);
    await page.getByLabel('Message').press('Enter');
    await expect.poll(() => users().filter({ hasText: '<img src=x' }).count(), { timeout: 20_000 }).toBe(1);
    expect(
      await page
        .locator(
          '[data-testid="thread"] img, [data-testid="thread"] script, [data-testid="thread"] a[href^="javascript"]',
        )
        .count(),
    ).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
    await page.getByRole('button', { name: 'Stop' }).click();
  });

  it('finds a message with Ctrl+K search, renames and deletes a chat with undo, and exports it', async () => {
    await page.keyboard.press('Control+k');
    await page.keyboard.type('mango');
    await expect.poll(() => page.getByTestId('search-result').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('search-result').textContent()).toContain('[mango]');
    await page.getByTestId('search-result').first().click();
    await expect
      .poll(() => users().first().getByTestId('chat-text').textContent())
      .toBe('Hello again, mango');

    await page.getByRole('button', { name: 'Rename Hello there, pineapple' }).click();
    await page.getByLabel('Conversation title').fill('Fruit chat');
    await page.getByLabel('Conversation title').press('Enter');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Fruit chat');

    const download = page.waitForEvent('download');
    await page.getByLabel('Export').selectOption('json');
    const file = await (await download).path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      conversation: { title: string };
      messages: unknown[];
    };
    expect(exported.conversation.title).toBe('Fruit chat');
    expect(exported.messages.length).toBeGreaterThanOrEqual(5);

    await page.getByRole('button', { name: 'Delete Fruit chat' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Fruit chat', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Fruit chat');

    // Ctrl+N opens a new chat ready to type in, and stores nothing until it is sent.
    const stored = (await invokeOver(serve.url, 'chats.list')).value as unknown[];
    await page.keyboard.press('Control+n');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('New chat');
    await expect
      .poll(() => page.evaluate<string | undefined>("document.activeElement?.getAttribute('aria-label')"))
      .toBe('Message');
    expect(await page.getByRole('navigation', { name: 'Conversations' }).getByRole('listitem').count()).toBe(
      stored.length,
    );
    expect((await invokeOver(serve.url, 'chats.list')).value).toHaveLength(stored.length);
  });

  it("keeps a new chat's system prompt and sampling from before its first message, and reuses them through a preset", async () => {
    await page.getByRole('button', { name: 'Chat settings' }).click();
    const panel = page.getByRole('complementary', { name: 'Chat settings' });
    await panel.getByLabel('System prompt').fill('You answer like a pirate.');
    await panel.getByLabel('Temperature').fill('0.2');
    await panel.getByLabel('Max tokens').fill('64');
    await panel.getByRole('button', { name: 'Save for this chat' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'Saved' }).count()).toBe(1);
    await panel.getByLabel('Preset name').fill('Pirate');
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => panel.getByLabel('Apply preset').count()).toBe(1);
    await page.getByLabel('Message').fill('Ahoy, who goes there?');
    await page.getByLabel('Message').press('Enter');
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('Ahoy, who goes there?');
    await expect.poll(status, { timeout: 30_000 }).toBe('done');

    await page.reload();
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .getByRole('button', { name: 'Ahoy, who goes there?', exact: true })
      .first()
      .click();
    await page.getByRole('button', { name: 'Chat settings' }).click();
    expect(await panel.getByLabel('System prompt').inputValue()).toBe('You answer like a pirate.');
    expect(await panel.getByLabel('Temperature').inputValue()).toBe('0.2');

    await page.getByRole('button', { name: 'New chat', exact: true }).first().click();
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('New chat');
    await expect.poll(() => panel.getByLabel('System prompt').inputValue()).toBe('');
    await panel.getByLabel('Apply preset').selectOption({ label: 'Pirate' });
    await expect.poll(() => panel.getByLabel('System prompt').inputValue()).toBe('You answer like a pirate.');
    expect(await panel.getByLabel('Max tokens').inputValue()).toBe('64');
    await panel.getByRole('button', { name: 'Close settings' }).click();
  });

  it('shows a model loading with its progress, and cancels it', async () => {
    const models = (await invokeOver(serve.url, 'library.list')).value as { id: string; name: string }[];
    const big = models.find((m) => m.name === 'Llama-3.2-1B shape')!;
    // Read the whole file instead of mapping it: several seconds for 1.3 GB.
    await invokeOver(serve.url, 'models.updateSettings', { modelId: big.id, settings: { useMmap: false } });
    await pickModel('Llama-3.2-1B shape');
    await page.getByLabel('Message').fill('Are you there?');
    await page.getByLabel('Message').press('Enter');
    const bar = page.getByRole('status').filter({ hasText: 'Loading Llama-3.2-1B shape' });
    await bar.waitFor({ timeout: 20_000 });
    await bar.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(status, { timeout: 20_000 }).toBe('error');
    expect(await replies().last().getByRole('alert').textContent()).toMatch(/cancelled/i);
    await expect.poll(() => bar.count()).toBe(0);
  });
});
