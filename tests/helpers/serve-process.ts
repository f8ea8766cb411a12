import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const hearthBin = fileURLToPath(new URL('../../bin/hearth.js', import.meta.url));

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Runs the built `hearth serve --port 0` and resolves with the URL it prints. */
export async function startServe(options: {
  dataDir: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
}): Promise<ServeProcess> {
  if (!existsSync(new URL('../../out/main/cli.js', import.meta.url))) {
    throw new Error('The app is not built: run `npm run build` before the e2e tests (npm test does this)');
  }
  const child = spawn(
    process.execPath,
    [hearthBin, 'serve', '--port', '0', '--data-dir', options.dataDir, ...(options.args ?? [])],
    {
      cwd: repoRoot,
      env: { ...process.env, HEARTH_ENGINE_GPU: 'false', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`hearth serve printed no URL in 30 s:\n${output}`)),
      30_000,
    );
    const onData = (): void => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hearth serve exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** POSTs one contract call to a running server. */
export async function invokeOver(
  url: string,
  route: string,
  input?: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const res = await fetch(new URL('/api/invoke', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ route, input }),
  });
  return (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}
