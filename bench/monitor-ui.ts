import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { HearthApp } from '../src/main/app/hearth-app';
import { startWebBinding } from '../src/main/bindings/web';
import { forkLauncher } from '../src/main/services/engine/fork-launcher';
import { launchChromium } from '../tests/helpers/chromium';
import { benchApp, streamingConversation, type BenchContext } from './common';

const outDir = fileURLToPath(new URL('../out/', import.meta.url));
// As the UI bench streams: 2,000 ~4-character tokens at 200 tokens/s.
const tokens = 2000;
const tokensPerSecond = 200;
const reps = 3;
const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

type Condition = 'no samples' | 'strip' | 'strip and full view';

/** Main-thread busy share (Chromium's TaskDuration over wall time) while tokens stream into a reply. */
async function busyWhileStreaming(
  app: HearthApp,
  page: Page,
  title: string,
  prepare: () => Promise<void>,
): Promise<number> {
  const store = app.chatStore;
  const { reply } = streamingConversation(store, title);
  await page.reload();
  await prepare();
  await page.getByRole('button', { name: title, exact: true }).click();
  await page.locator('[data-role="assistant"][data-status="streaming"]').waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busy = async (): Promise<number> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  };
  const before = await busy();
  const started = performance.now();
  const piece = 'word ';
  for (let i = 0; i < tokens; i++) {
    const due = started + (i * 1000) / tokensPerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    app.events.emit('chats.delta', {
      messageId: reply.id,
      text: i % 40 === 39 ? '\n\n' : piece,
      segment: 'text',
    });
  }
  const wall = performance.now() - started;
  const share = ((await busy()) - before) / wall;
  await cdp.detach();
  return share;
}

/**
 * The chat window under a fast stream, three ways: the backend sending no monitor samples, then
 * samples at 1 Hz with the strip showing them, then with the full view (uPlot history) open too.
 */
export async function monitorUiBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  ctx.progress('building the app (electron-vite build)');
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bench-monitor-ui-'));
  // The built engine, as the app ships it (the build above just made it).
  const app = benchApp(dataDir, {
    engineLauncher: forkLauncher({ entry: join(outDir, 'main', 'engine.js') }),
    heartbeatMs: 60_000,
  });
  const web = await startWebBinding({
    router: app.router,
    events: app.events,
    rendererDir: join(outDir, 'renderer'),
    port: 0,
  });
  const browser = await launchChromium();
  // "No samples": the window's watch is answered but nothing samples, so the strip stays still.
  const realWatch = app.monitor.watch.bind(app.monitor);
  let sampling = false;
  app.monitor.watch = (id, lease) => (sampling ? realWatch(id, lease) : { leaseMs: 3000, intervalMs: 1000 });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    await page.goto(`${web.url}#/chat`);
    const results: Record<Condition, number[]> = { 'no samples': [], strip: [], 'strip and full view': [] };
    for (let rep = 0; rep < reps; rep++) {
      for (const condition of Object.keys(results) as Condition[]) {
        sampling = condition !== 'no samples';
        if (!sampling) app.monitor.close();
        const share = await busyWhileStreaming(app, page, `${condition} ${rep}`, async () => {
          await page.getByTestId('monitor-strip').waitFor();
          if (sampling) await page.getByTestId('strip-cpu').waitFor();
          if (condition === 'strip and full view') {
            await page.getByTestId('monitor-strip').click();
            await page.locator('[data-testid="monitor-panel"] .uplot').first().waitFor();
          }
        });
        results[condition].push(share);
        ctx.progress(`${condition} (rep ${rep + 1}): main thread busy ${(share * 100).toFixed(1)} %`);
      }
    }
    const base = median(results['no samples']);
    return {
      tokens,
      tokensPerSecond,
      monitorIntervalMs: 1000,
      mainThreadBusyShare: Object.fromEntries(
        Object.entries(results).map(([k, v]) => [
          k,
          { median: round(median(v)), runs: v.map((x) => round(x)) },
        ]),
      ),
      addedPoints: {
        strip: round((median(results.strip) - base) * 100, 2),
        stripAndFullView: round((median(results['strip and full view']) - base) * 100, 2),
      },
      target: { addedPoints: 2 },
    };
  } finally {
    app.monitor.watch = realWatch;
    await browser.close();
    await web.close();
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
