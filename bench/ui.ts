import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import type { HearthApp } from '../src/main/app/hearth-app';
import { startWebBinding } from '../src/main/bindings/web';
import { forkLauncher } from '../src/main/services/engine/fork-launcher';
import type { ChatStore } from '../src/main/services/chats/chat-store';
import { launchChromium } from '../tests/helpers/chromium';
import { benchApp, streamingConversation, type BenchContext } from './common';
import { coldStart } from './ui-cold-start';

const outDir = fileURLToPath(new URL('../out/', import.meta.url));
const streamTokens = 2000;
const tokensPerSecond = 200;
const bigThread = 1000;
const searchCorpus = 100_000;

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** A reply as a model writes one: paragraphs, a list, a code block, a table, split into ~4-character tokens. */
function replyTokens(count: number): string[] {
  const pieces = [
    'Here is how a sourdough starter works, step by step.\n\n',
    '1. Mix equal weights of flour and water.\n2. Keep it warm, about 24 °C.\n3. Feed it every day.\n\n',
    '```python\ndef feed(starter, flour, water):\n    starter.weight += flour + water\n    return starter\n```\n\n',
    '| Day | Rise | Smell |\n| --- | --- | --- |\n| 1 | none | flour |\n| 3 | 50% | sour |\n\n',
    'The **wild yeast** and *lactobacilli* grow together; the acid keeps other microbes out, so the culture stays stable for years.\n\n',
  ];
  const text = Array.from({ length: 400 }, (_, i) => pieces[i % pieces.length]).join('');
  const tokens = text.match(/[\s\S]{1,4}/g) ?? [];
  return tokens.slice(0, count);
}

const sentence = (i: number): string => {
  const words = ['bread', 'oven', 'yeast', 'flour', 'water', 'salt', 'crust', 'crumb', 'proof', 'knead'];
  return Array.from({ length: 12 }, (_, j) => `${words[(i * 7 + j * 3) % words.length]}${(i + j) % 97}`).join(
    ' ',
  );
};

function seedConversation(store: ChatStore, title: string, messages: number): string {
  const conversation = store.createConversation({ title });
  store.transaction(() => {
    let parent: string | null = null;
    for (let i = 0; i < messages; i++) {
      const role = i % 2 === 0 ? 'user' : 'assistant';
      const content =
        role === 'user'
          ? `Question ${i}: ${sentence(i)}?`
          : `Answer ${i}.\n\n- ${sentence(i)}\n- ${sentence(i + 1)}\n\n\`\`\`js\nconst x = ${i};\n\`\`\``;
      parent = store.addMessage({
        conversationId: conversation.id,
        parentId: parent,
        role,
        content,
        status: 'done',
      }).id;
    }
  });
  return conversation.id;
}

const busyMetrics = ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'] as const;

/** Main-thread time so far (Chromium's own counters), in ms: all tasks, then script, layout and style. */
async function mainThreadMs(session: CDPSession): Promise<Record<(typeof busyMetrics)[number], number>> {
  const { metrics } = await session.send('Performance.getMetrics');
  const get = (name: string): number => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return Object.fromEntries(busyMetrics.map((name) => [name, get(name)])) as Record<
    (typeof busyMetrics)[number],
    number
  >;
}

/** Streams tokens into the open thread at a fixed rate, through the real event path (WebSocket → client → React). */
async function streamIntoThread(app: HearthApp, page: Page, ctx: BenchContext) {
  const store = app.chatStore;
  const { reply } = streamingConversation(store, 'Streaming');
  await page.reload();
  await page.getByRole('button', { name: 'Streaming', exact: true }).click();
  await page.locator('[data-role="assistant"][data-status="streaming"]').waitFor();
  // Browser-side code as strings: this file is typed for Node, not the DOM.
  await page.evaluate(`
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push(e.duration);
    }).observe({ type: 'longtask' });
  `);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busyBefore = await mainThreadMs(cdp);
  const started = performance.now();
  const tokens = replyTokens(streamTokens);
  const interval = 1000 / tokensPerSecond;
  for (let i = 0; i < tokens.length; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    app.events.emit('chats.delta', { messageId: reply.id, text: tokens[i]!, segment: 'text' });
    if (i % 500 === 0) ctx.progress(`streamed ${i}/${tokens.length} tokens`);
  }
  const text = tokens.join('');
  await page.waitForFunction(
    `(document.querySelector('[data-status="streaming"] [data-testid="chat-text"]')?.textContent?.length ?? 0) > ${Math.floor(text.length * 0.5)}`,
  );
  await new Promise((r) => setTimeout(r, 300));
  const wall = performance.now() - started;
  const busyAfter = await mainThreadMs(cdp);
  const share = (name: (typeof busyMetrics)[number]): number =>
    round((busyAfter[name] - busyBefore[name]) / wall, 3);
  const longTasks = await page.evaluate<number[]>('window.__long');
  return {
    tokens: tokens.length,
    tokensPerSecond,
    actualTokensPerSecond: round((tokens.length * 1000) / (wall - 300)),
    longTasks: longTasks.length,
    longestTaskMs: round(Math.max(0, ...longTasks)),
    mainThreadBusyShare: share('TaskDuration'),
    busyShareByKind: {
      script: share('ScriptDuration'),
      layout: share('LayoutDuration'),
      style: share('RecalcStyleDuration'),
    },
    targets: { longTasks: 0, mainThreadBusyShare: 0.2 },
  };
}

/** Time from clicking a 1,000-message conversation to its thread painted, median of several opens. */
async function openBigConversation(app: HearthApp, page: Page) {
  seedConversation(app.chatStore, 'Long thread', bigThread);
  seedConversation(app.chatStore, 'Short thread', 4);
  await page.reload();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    await page.getByRole('button', { name: 'Short thread', exact: true }).click();
    await page.getByTestId('chat-title').filter({ hasText: 'Short thread' }).waitFor();
    const ms = await page.evaluate<number>(`(async () => {
      const button = [...document.querySelectorAll('nav button')].find((b) => b.textContent === 'Long thread');
      if (!button) throw new Error('no Long thread in the sidebar');
      const t0 = performance.now();
      button.click();
      await new Promise((resolve) => {
        const check = () => {
          const shown = document.querySelectorAll('[data-testid="chat-message"]').length > 0 &&
            document.querySelector('[data-testid="chat-title"]')?.textContent === 'Long thread';
          if (shown) resolve();
          else requestAnimationFrame(check);
        };
        check();
      });
      // The frame after the DOM is ready is the one that paints it.
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    })()`);
    times.push(ms);
  }
  const mounted = await page.getByTestId('chat-message').count();
  return {
    messages: bigThread,
    medianMs: round(percentile(times, 50)),
    worstMs: round(Math.max(...times)),
    messagesMounted: mounted,
    target: { ms: 200 },
  };
}

/**
 * Realistic text for the search corpus: the vocabulary of the READMEs under node_modules (about
 * 11,000 words), drawn with Zipf's law as natural language is.
 */
function englishish(): (length: number) => string {
  const counts = new Map<string, number>();
  const modules = fileURLToPath(new URL('../node_modules/', import.meta.url));
  for (const name of readdirSync(modules)) {
    const readme = join(modules, name, 'README.md');
    if (!existsSync(readme)) continue;
    for (const word of readFileSync(readme, 'utf8')
      .toLowerCase()
      .match(/[a-z]{3,}/g) ?? [])
      counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const vocabulary = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const weights = vocabulary.map((_, rank) => 1 / (rank + 1) ** 1.1);
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w), 0);
  const total = cumulative.at(-1)!;
  let seed = 42;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = (): string => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  return (length) => Array.from({ length }, pick).join(' ');
}

/** FTS5 search over 100,000 messages: what a user types (whole words, phrases, a word half typed). */
function searchMessages(app: HearthApp, ctx: BenchContext) {
  const store = app.chatStore;
  const words = englishish();
  ctx.progress(`writing ${searchCorpus} messages`);
  for (let c = 0; c < searchCorpus / 1000; c++) {
    const conversation = store.createConversation({ title: `Corpus ${c}` });
    store.transaction(() => {
      let parent: string | null = null;
      for (let i = 0; i < 1000; i++)
        parent = store.addMessage({
          conversationId: conversation.id,
          parentId: parent,
          role: i % 2 === 0 ? 'user' : 'assistant',
          content: words(i % 2 === 0 ? 15 : 80),
          status: 'done',
        }).id;
    });
  }
  const queries = Array.from({ length: 200 }, (_, i) => {
    const [a, b] = words(2).split(' ') as [string, string];
    return [a, `${a} ${b}`, a.slice(0, 3), `${a} ${b.slice(0, 4)}`][i % 4]!;
  });
  const times = queries.map((query) => {
    const t = performance.now();
    store.search(query);
    return performance.now() - t;
  });
  return {
    messages: searchCorpus,
    queries: queries.length,
    p50Ms: round(percentile(times, 50), 2),
    p95Ms: round(percentile(times, 95), 2),
    worstMs: round(Math.max(...times), 2),
    target: { p95Ms: 20 },
  };
}

/**
 * `npm run bench -- ui`: the window's cold start (before and after the renderer split), the chat
 * window under a fast stream, a long thread, and search over a big history.
 */
export async function uiBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  // Always built: a cold start measured on a stale build would say nothing about today's code.
  ctx.progress('building the app (electron-vite build)');
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bench-ui-'));
  // The built engine, as the app ships it (the build above just made it).
  const app = benchApp(dataDir, {
    engineLauncher: forkLauncher({ entry: join(outDir, 'main', 'engine.js') }),
    heartbeatMs: 60_000,
  });
  const web = await startWebBinding({
    router: app.router,
    events: app.events,
    rendererDir: join(outDir, 'renderer'),
    host: '127.0.0.1',
    port: 0,
  });
  const browser = await launchChromium();
  try {
    ctx.progress('cold start of the window, before and after');
    const cold = await coldStart(browser, join(outDir, 'renderer'), ctx);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${web.url}#/chat`);
    ctx.progress(`streaming ${streamTokens} tokens at ${tokensPerSecond}/s`);
    const stream = await streamIntoThread(app, page, ctx);
    ctx.progress(`opening a conversation of ${bigThread} messages`);
    const open = await openBigConversation(app, page);
    const search = searchMessages(app, ctx);
    return { coldStart: cold, stream, open, search };
  } finally {
    await browser.close();
    await web.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
