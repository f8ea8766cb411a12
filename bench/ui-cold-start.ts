/**
 * The window's cold start, before and after the renderer was split (issue 10.5), paired in one run:
 * today's build and the build of `baselineCommit` are served side by side through the web binding
 * (what `hearth serve` runs) and opened in turn, each time in a fresh browser context (no HTTP
 * cache, no compiled-code cache).
 *
 * Before is the baseline at #/chat (its quickest way to a composer: the latest conversation; its
 * root address showed the welcome page); after is today's root address, where the window opens, and
 * the same conversation by its address. Measured from navigation start (performance.timeOrigin):
 * - fcp: the first contentful paint (PerformanceObserver 'paint');
 * - interactive: the composer (the Message box) is in the page and enabled, and the main thread is
 *   free to take a keystroke (a task queued at that moment has run), and no long task (> 50 ms)
 *   follows within 500 ms; the time is the latest of that, the first paint (a box not yet painted
 *   takes no typing) and the end of the last long task.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { createHearthApp } from '../src/main/app/hearth-app';
import { startWebBinding, type WebBinding } from '../src/main/bindings/web';
import { forkLauncher } from '../src/main/services/engine/fork-launcher';
import { writeTinyModel } from '../tests/helpers/tiny-model';
import { benchCacheDir, type BenchContext } from './common';

/** The last commit with the renderer as one unminified chunk, KaTeX and every grammar loaded at start. */
export const baselineCommit = '6338a7431ee1a3701b821e16b36ec3372f2b76ec';
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const reps = 11;

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/** The baseline's renderer, built once from `git archive` of its commit (no checkout) and kept in the bench cache. */
function baselineRenderer(ctx: BenchContext): string {
  const dir = join(benchCacheDir, `renderer-${baselineCommit.slice(0, 12)}`);
  const built = join(dir, 'out', 'renderer');
  if (existsSync(join(built, 'index.html'))) return built;
  ctx.progress(`building the baseline renderer of ${baselineCommit.slice(0, 12)}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', 'git archive "$1" | tar -x -C "$2"', 'sh', baselineCommit, dir], {
    cwd: repoRoot,
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  execFileSync('npx', ['electron-vite', 'build'], { cwd: dir, stdio: 'ignore' });
  return built;
}

/** The chunks of a build: what a cold start may have to fetch and compile. */
function chunks(rendererDir: string) {
  const assets = join(rendererDir, 'assets');
  const files = readdirSync(assets).map((name) => ({
    name,
    kB: round(statSync(join(assets, name)).size / 1024),
  }));
  const js = files.filter((f) => f.name.endsWith('.js')).sort((a, b) => b.kB - a.kB);
  const css = files.filter((f) => f.name.endsWith('.css'));
  return {
    jsFiles: js.length,
    jsTotalKB: round(js.reduce((s, f) => s + f.kB, 0)),
    largestJs: js.slice(0, 6),
    cssKB: css.map((f) => f.kB),
  };
}

// Browser-side code as a string: this file is typed for Node, not the DOM. It runs before the page's own scripts.
const probe = `(() => {
  const cold = { fcp: null, seen: null, ready: null, lastLongTaskEnd: 0, longTasks: 0 };
  window.__cold = cold;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') cold.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      cold.longTasks++;
      cold.lastLongTaskEnd = Math.max(cold.lastLongTaskEnd, e.startTime + e.duration);
    }
  }).observe({ type: 'longtask' });
  const check = () => {
    const box = document.querySelector('textarea[aria-label="Message"]');
    if (cold.seen !== null || !box || box.disabled) return;
    cold.seen = performance.now();
    observer.disconnect();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { cold.ready = performance.now(); };
    channel.port2.postMessage(null);
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
})();`;

interface Probe {
  fcp: number | null;
  ready: number | null;
  lastLongTaskEnd: number;
}

interface Sample {
  documentMs: number;
  fcpMs: number;
  interactiveMs: number;
  longTasks: number;
  scriptKB: number;
}

async function coldOpen(browser: Browser, url: string): Promise<Sample> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(probe);
    const page = await context.newPage();
    // A new context sets up its network on its first request (tens to hundreds of ms here, none
    // in the desktop window, which reads app:// from disk): make that request first, with the
    // cache off so that nothing else is warm.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(new URL('/favicon.svg', url).href);
    await page.goto(url);
    // Functions, not strings (a string would be eval'd in the page, which its CSP forbids); they
    // run in the page, so each reads the probe itself.
    await page.waitForFunction(
      () => {
        const c = (globalThis as unknown as { __cold: Probe }).__cold;
        return c.ready !== null && c.fcp !== null;
      },
      undefined,
      { timeout: 30_000 },
    );
    // The quiet window after the composer is ready: a long task in it would swallow a keystroke.
    await page.waitForFunction(
      () => {
        const c = (globalThis as unknown as { __cold: Probe }).__cold;
        return performance.now() - Math.max(c.ready ?? 0, c.lastLongTaskEnd) >= 500;
      },
      undefined,
      { timeout: 30_000 },
    );
    return await page.evaluate<Sample>(`(() => {
      const c = window.__cold;
      const scripts = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('.js'));
      return {
        documentMs: performance.getEntriesByType('navigation')[0].responseEnd,
        fcpMs: c.fcp,
        interactiveMs: Math.max(c.ready, c.fcp, c.lastLongTaskEnd),
        longTasks: c.longTasks,
        scriptKB: scripts.reduce((s, e) => s + e.decodedBodySize, 0) / 1024,
      };
    })()`);
  } finally {
    await context.close();
  }
}

function summary(samples: Sample[]) {
  return {
    documentMs: round(median(samples.map((s) => s.documentMs))),
    fcpMs: round(median(samples.map((s) => s.fcpMs))),
    interactiveMs: round(median(samples.map((s) => s.interactiveMs))),
    longTasks: median(samples.map((s) => s.longTasks)),
    scriptKB: round(median(samples.map((s) => s.scriptKB))),
    interactiveRunsMs: samples.map((s) => round(s.interactiveMs)),
  };
}

/** Opens the chat cold, before and after, alternating which goes first; medians of `reps` pairs. */
export async function coldStart(browser: Browser, currentRenderer: string, ctx: BenchContext) {
  const before = baselineRenderer(ctx);
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bench-cold-'));
  const app = createHearthApp({
    dataDir,
    runtime: { runtime: 'server', version: 'bench', versions: { node: process.versions.node } },
    engineLauncher: forkLauncher({ entry: join(repoRoot, 'out', 'main', 'engine.js') }),
    externalRoots: null,
    heartbeatMs: 60_000,
    log: () => {},
  });
  const webs: WebBinding[] = [];
  try {
    // One model installed and one conversation with a reply of code and math, as after a first chat.
    writeTinyModel(app.paths.modelsDir);
    const [model] = await app.library.list();
    const conversation = app.chatStore.createConversation({ title: 'Sourdough', modelId: model!.id });
    const question = app.chatStore.addMessage({
      conversationId: conversation.id,
      parentId: null,
      role: 'user',
      content: 'How do I feed a sourdough starter?',
      status: 'done',
    });
    app.chatStore.addMessage({
      conversationId: conversation.id,
      parentId: question.id,
      role: 'assistant',
      content:
        'Feed it **equal weights** of flour and water, so hydration $h = w / f = 1$.\n\n```python\ndef feed(starter, grams):\n    return starter + 2 * grams\n```\n\n| Day | Rise |\n| --- | --- |\n| 1 | none |\n| 3 | 50% |',
      status: 'done',
    });
    const serve = (rendererDir: string) =>
      startWebBinding({ router: app.router, events: app.events, rendererDir, host: '127.0.0.1', port: 0 });
    const [old, now] = [await serve(before), await serve(currentRenderer)];
    webs.push(old, now);
    // Before: the old window's quickest way to a composer, #/chat, which opened the latest
    // conversation (its root address showed the welcome page, a click away from the chat).
    // After: the root address, where the window opens now (a new chat on the last model), and the
    // same conversation as before by its address, for the same page on screen.
    const variants = {
      before: `${old.url}#/chat`,
      after: now.url,
      afterSameConversation: `${now.url}#/chat/${conversation.id}`,
    };
    const names = Object.keys(variants) as (keyof typeof variants)[];
    for (const name of names) await coldOpen(browser, variants[name]); // warm the server and the disk cache
    const samples = Object.fromEntries(names.map((n) => [n, [] as Sample[]])) as Record<
      keyof typeof variants,
      Sample[]
    >;
    for (let rep = 0; rep < reps; rep++) {
      ctx.progress(`cold start ${rep + 1}/${reps}`);
      const order = rep % 2 === 0 ? names : [...names].reverse();
      for (const name of order) samples[name].push(await coldOpen(browser, variants[name]));
    }
    const result = Object.fromEntries(names.map((n) => [n, summary(samples[n])])) as Record<
      keyof typeof variants,
      ReturnType<typeof summary>
    >;
    return {
      baselineCommit,
      reps,
      definition:
        'ms from navigation start, each open in a fresh browser context (cache off, its network set up first); interactive = the Message box present and enabled, the main thread free (a queued task ran), and no long task in the next 500 ms; the latest of that, the first contentful paint and the end of the last long task; before = the baseline at #/chat (the latest conversation), after = today at / (where the window opens), afterSameConversation = today at #/chat/<id>',
      ...result,
      ratio: {
        fcp: round(result.after.fcpMs / result.before.fcpMs, 2),
        interactive: round(result.after.interactiveMs / result.before.interactiveMs, 2),
        interactiveSameConversation: round(
          result.afterSameConversation.interactiveMs / result.before.interactiveMs,
          2,
        ),
      },
      chunks: { before: chunks(before), after: chunks(currentRenderer) },
      target: { interactiveRatio: 0.5 },
    };
  } finally {
    for (const web of webs) await web.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
