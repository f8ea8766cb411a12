import { spawn, type ChildProcess } from 'node:child_process';
import { hearthBin } from './serve-process';

const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;

/** The `hearth` command line for a shell script. */
export const hearthCommand = (args: string[]): string =>
  [process.execPath, hearthBin, ...args].map(quote).join(' ');

/**
 * Runs a shell script in a real pseudo-terminal (util-linux `script`), so the program sees a TTY
 * of the size the script sets with stty, gets SIGWINCH when it changes, and reads keys raw.
 */
export function inTerminal(
  shell: string,
  env: NodeJS.ProcessEnv,
): {
  child: ChildProcess;
  output: () => string;
  type: (text: string) => void;
  exited: Promise<number | null>;
} {
  const child = spawn('script', ['-qfec', `sh -c ${quote(shell)}`, '/dev/null'], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, output: () => output, type: (text) => child.stdin?.write(text), exited };
}

type Terminal = ReturnType<typeof inTerminal>;

/** Waits until the output after `from` matches (30 s at most). */
export async function waitForOutput(term: Terminal, pattern: RegExp, from = 0): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!pattern.test(term.output().slice(from))) {
    if (Date.now() > deadline)
      throw new Error(
        `Waited 30 s for ${String(pattern)}; the terminal shows:\n${term.output().slice(from)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * In a terminal chat (`hearth run`, here or --remote, on a model that never ends its turn): asks for
 * a long reply, lets it stream at least 200 characters and stops it with Ctrl-C; resolves when the
 * prompt is back, with the output's length then.
 */
export async function stopLongReply(term: Terminal): Promise<number> {
  await waitForOutput(term, />>> /);
  term.type('/set max_tokens 4000\r');
  await waitForOutput(term, /Set max_tokens to 4000/);
  const mark = term.output().length;
  term.type('Tell me a very long story\r');
  await waitForOutput(term, /[\s\S]{200}/, mark);
  term.type('\x03');
  await waitForOutput(term, />>> /, mark + 200);
  return term.output().length;
}
