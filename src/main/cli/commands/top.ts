import type { MonitorSample } from '../../../shared/contract';
import { HearthUnreachable, localFeed, remoteFeed, type SampleFeed } from './top-feed';
import { renderTop } from './top-view';

export interface TopOptions {
  /** A running Hearth to watch (default: the one `hearth serve` runs on this machine, if any). */
  url?: string;
  /** Its LAN key, when it was started with one (or HEARTH_LAN_KEY). */
  key?: string;
  once?: boolean;
  json?: boolean;
  /** Seconds between samples when no Hearth serves here. */
  interval: number;
}

const defaultUrl = 'http://127.0.0.1:7860';

/** Watches the given Hearth; without --url, the local one if it runs, else this machine alone. */
async function openFeed(options: TopOptions): Promise<SampleFeed> {
  const key = options.key ?? process.env.HEARTH_LAN_KEY;
  const url = options.url ?? process.env.HEARTH_URL;
  if (url) return remoteFeed(url, key);
  try {
    return await remoteFeed(defaultUrl, key);
  } catch (error) {
    if (!(error instanceof HearthUnreachable)) throw error;
    return localFeed(options.interval * 1000);
  }
}

/** The first sample, or an error after a while (a held timer: the monitor's own do not keep Node up). */
function firstSample(feed: SampleFeed, timeoutMs: number): Promise<MonitorSample> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sample within ${timeoutMs / 1000} s`)), timeoutMs);
    feed.onSample((sample) => {
      clearTimeout(timer);
      resolve(sample);
    });
  });
}

/**
 * `hearth top`: the resource monitor in the terminal, like nvitop. Updates in place on the
 * alternate screen, q (or Ctrl-C) quits, follows resizes; plain text without colour when NO_COLOR
 * is set or the output is not a terminal. `--once --json` prints one sample for scripts.
 */
export async function topCommand(options: TopOptions): Promise<void> {
  const feed = await openFeed(options);
  const out = process.stdout;
  const tty = out.isTTY === true;
  const color = tty && !('NO_COLOR' in process.env);
  const view = (sample: MonitorSample | undefined): string[] =>
    renderTop(sample, {
      // A terminal that reports no size (some serial and SSH setups) gets the classic 80x24.
      width: tty ? out.columns || 80 : 120,
      height: tty ? out.rows || 24 : 1000,
      color,
      source: feed.label,
    });
  if (options.once) {
    try {
      const sample = await firstSample(feed, 15_000);
      out.write(options.json ? `${JSON.stringify(sample, null, 2)}\n` : `${view(sample).join('\n')}\n`);
    } finally {
      await feed.close();
    }
    return;
  }
  if (options.json) throw new Error('--json prints one sample: use it with --once');
  await watchInTerminal(feed, view, tty);
}

function watchInTerminal(
  feed: SampleFeed,
  view: (sample: MonitorSample | undefined) => string[],
  tty: boolean,
): Promise<void> {
  const out = process.stdout;
  const input = process.stdin;
  let last: MonitorSample | undefined;
  const draw = (): void => {
    const lines = view(last);
    // In place: home, each line cleared to its end, the rest of the screen cleared.
    if (tty) out.write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\n')}\n\x1b[J`);
    else out.write(`${lines.join('\n')}\n\n`);
  };
  if (tty) out.write('\x1b[?1049h\x1b[?25l');
  draw();
  feed.onSample((sample) => {
    last = sample;
    draw();
  });
  out.on('resize', draw);
  // Held, so a feed whose timers do not keep Node running still does.
  const keepAlive = setInterval(() => {}, 60_000);
  return new Promise((resolve) => {
    let done = false;
    const quit = (): void => {
      if (done) return;
      done = true;
      clearInterval(keepAlive);
      out.off('resize', draw);
      if (input.isTTY) input.setRawMode(false);
      input.pause();
      if (tty) out.write('\x1b[?25h\x1b[?1049l');
      void feed.close().finally(resolve);
    };
    if (input.isTTY) input.setRawMode(true);
    input.on('data', (data: Buffer) => {
      const key = data.toString();
      if (key === 'q' || key === 'Q' || key === '\x03') quit();
    });
    input.resume();
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
  });
}
