import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A long-running tool whose output is read line by line (nvidia-smi in loop mode). */
export interface LineProcess {
  readonly pid: number | undefined;
  kill(): void;
}

export interface LineHandlers {
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
  /** Once, when it ended (or could not start: code null). */
  onExit(code: number | null): void;
}

export type LineRunner = (command: string, args: string[], handlers: LineHandlers) => LineProcess;

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A short tool run to completion (ioreg, nvidia-smi --query-compute-apps). */
export type OnceRunner = (command: string, args: string[]) => Promise<RunResult>;

export const spawnLines: LineRunner = (command, args, handlers) => {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let exited = false;
  const exit = (code: number | null): void => {
    if (exited) return;
    exited = true;
    handlers.onExit(code);
  };
  createInterface({ input: child.stdout }).on('line', (line) => handlers.onLine(line, 'stdout'));
  createInterface({ input: child.stderr }).on('line', (line) => handlers.onLine(line, 'stderr'));
  // Not installed (ENOENT) arrives as an error, then maybe a close: one exit either way.
  child.on('error', () => exit(null));
  child.on('close', (code) => exit(code));
  return {
    get pid() {
      return child.pid;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
};

export const runOnce: OnceRunner = (command, args) =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      { timeout: 10_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
