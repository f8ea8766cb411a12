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
