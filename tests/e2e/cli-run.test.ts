import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hearthBin } from '../helpers/serve-process';
import { hearthCommand, inTerminal, stopLongReply, waitForOutput } from '../helpers/terminal';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

describe('hearth run', () => {
  const dir = makeTempDir();
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    writeTinyModel(join(dir.path, 'models'));
    // Never ends its turn: a reply surely still streaming when Ctrl-C is pressed (the tiny one may
    // end a "very long story" after a few words).
    writeTinyModel(join(dir.path, 'models'), { endless: true, name: 'Hearth Endless' }, 'endless.gguf');
    env = {
      ...process.env,
      HEARTH_ENGINE_GPU: 'false',
      HOME: join(dir.path, 'home'),
      HEARTH_DATA_DIR: dir.path,
    };
  });
  afterAll(() => dir.cleanup());

  it('chats in a terminal: streams, Ctrl-C stops a reply and keeps the session, /set changes parameters, /bye quits', async () => {
    const term = inTerminal(hearthCommand(['run', 'endless']), env);
    const mark = await stopLongReply(term);
    term.type('/set temperature 0\r');
    await waitForOutput(term, /Set temperature to 0/, mark);
    term.type('/bye\r');
    expect(await term.exited).toBe(0);
  });

  it('answers once when a prompt is piped, with stats on request', async () => {
    const child = spawn(process.execPath, [hearthBin, 'run', 'tiny', '--verbose'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end('Hello from a pipe\n');
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout.trim().length).toBeGreaterThan(0);
    expect(stderr).toMatch(/time to first token: \d+ ms/);
    expect(stderr).toMatch(/reply: \d+ tokens, [\d.]+ tokens\/s/);
  });

  it('says when the model is not there', async () => {
    const child = spawn(process.execPath, [hearthBin, 'run', 'no-such-model', 'hi'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(1);
    expect(stderr).toMatch(/No model matches "no-such-model"/);
  });

  it('benchmarks a model: prompt and generation speed and time to first token, with progress', async () => {
    const child = spawn(
      process.execPath,
      [hearthBin, 'bench', 'tiny', '--prompt', '16', '64', '--generate', '24', '--reps', '2', '--json'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(stderr).toMatch(/prompt 64, generate 24: run 2\/2/);
    const report = JSON.parse(stdout) as {
      results: {
        promptTokens: number;
        generatedTokens: number;
        generationTokensPerSecond: number;
        timeToFirstTokenMs: number;
      }[];
    };
    expect(report.results).toHaveLength(2);
    const [short, long] = report.results;
    // Every run generates exactly what was asked, and the longer prompt is longer.
    expect(report.results.map((r) => r.generatedTokens)).toEqual([24, 24]);
    expect(long!.promptTokens).toBeGreaterThan(short!.promptTokens + 40);
    expect(short!.generationTokensPerSecond).toBeGreaterThan(0);
    expect(short!.timeToFirstTokenMs).toBeGreaterThan(0);
  });
});
