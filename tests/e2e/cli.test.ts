import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hearthBin } from '../helpers/serve-process';

const run = promisify(execFile);
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('hearth CLI', () => {
  it('prints its version', async () => {
    const { stdout } = await run(process.execPath, [hearthBin, '--version']);
    expect(stdout.trim()).toBe(version);
  });

  it('prints help naming its commands', async () => {
    const { stdout } = await run(process.execPath, [hearthBin, '--help']);
    expect(stdout).toContain('serve');
    expect(stdout).toContain('your AI, at home');
  });

  it('explains a bad option instead of starting', async () => {
    await expect(run(process.execPath, [hearthBin, 'serve', '--port', 'seventy'])).rejects.toMatchObject({
      stderr: expect.stringContaining('port'),
    });
  });

  it('refuses to listen on the network without a way to protect it', async () => {
    // 0.0.0.0 gets a generated LAN key: the printed link carries it.
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      [hearthBin, 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', '/tmp/hearth-cli-lan-test'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    // The link carries the key in its query (the page trades it for a cookie); 128 bits at least.
    await expect
      .poll(() => out, { timeout: 20_000 })
      .toMatch(/running at http:\/\/127\.0\.0\.1:\d+\/\?key=[\w-]{22,}/);
    expect(out).toMatch(/Bearer/);
    child.kill('SIGTERM');
  });

  it('takes option values that start with a dash, "-v" included, as values', async () => {
    // A key that starts like the version flag: it used to print the version and exit.
    const key = '-vX9-kd_2Qw8mZp4Lr7Tb1Yc';
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      [hearthBin, 'serve', '--port', '0', '--data-dir', '/tmp/hearth-cli-dash-test', '--lan-key', key],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toMatch(/running at http:\/\/127\.0\.0\.1:\d+\//);
      expect(out).toContain(`?key=${key}`);
    } finally {
      child.kill('SIGTERM');
    }
    // Before the command, -v is still the version.
    expect((await run(process.execPath, [hearthBin, '-v'])).stdout.trim()).toBe(version);
  });

  it('refuses a LAN key shorter than 128 bits, from the option or the environment', async () => {
    for (const [args, env] of [
      [['--lan-key', 'hunter2hunter2'], {}],
      [['--host', '0.0.0.0'], { HEARTH_LAN_KEY: '0123456789abcdef0123456789abcde' }],
    ] as const) {
      const failure = await run(
        process.execPath,
        [hearthBin, 'serve', '--port', '0', '--data-dir', '/tmp/hearth-cli-lan-test', ...args],
        { env: { ...process.env, ...env }, timeout: 20_000 },
      ).then(
        () => undefined,
        (error: { stderr: string; code: number }) => error,
      );
      expect(failure?.code, args.join(' ')).toBe(1);
      expect(failure?.stderr).toMatch(/128 bits/);
    }
  });
});
