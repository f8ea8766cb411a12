/* eslint-disable no-control-regex -- the test reads what a terminal receives: escape codes */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorSample } from '../../src/shared/contract';
import { visibleLength } from '../../src/main/cli/commands/top-view';
import { installFakeGpuTools } from '../fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../fixtures/gpu/gpu-profiles';
import { hearthBin, invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { hearthCommand, inTerminal } from '../helpers/terminal';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

/** The lines of the frames drawn after `from` in the output, escape codes aside. */
const frameLines = (output: string, from: number): string[] =>
  output
    .slice(from)
    .split(/\x1b\[H|\n/)
    .map((l) => l.replace(/\x1b\[[0-9;?]*[a-zA-Z]|\r/g, ''))
    .filter((l) => l.trim() !== '');

describe('hearth top (a fake RTX 4090, a served Hearth with a model loaded)', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let env: NodeJS.ProcessEnv;
  let enginePid: number;

  beforeAll(async () => {
    const bin = installFakeGpuTools(join(dir.path, 'bin'), fakeGpuProfiles.rtx4090);
    writeTinyModel(join(dir.path, 'data', 'models'));
    env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, HOME: join(dir.path, 'home') };
    delete env.NO_COLOR;
    serve = await startServe({ dataDir: join(dir.path, 'data'), env: { PATH: env.PATH, HOME: env.HOME } });
    const models = await invokeOver(serve.url, 'library.list');
    const [model] = models.value as { id: string }[];
    expect((await invokeOver(serve.url, 'engine.load', { modelId: model!.id })).ok).toBe(true);
    const status = (await invokeOver(serve.url, 'engine.status')).value as { loaded: { pid: number }[] };
    enginePid = status.loaded[0]!.pid;
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  it('shows the GPU, its memory and the engine row in place, follows a resize, and quits on q', async () => {
    const resize = join(dir.path, 'resize-now');
    // The window starts at 100x40; when the test says so, it narrows to 60 columns (SIGWINCH).
    const term = inTerminal(
      `stty cols 100 rows 40; (while [ ! -e '${resize}' ]; do sleep 0.1; done; stty cols 60 rows 30 < /dev/tty) & ` +
        `exec ${hearthCommand(['top', '--url', serve.url])}`,
      env,
    );
    const waitFor = (pattern: RegExp, from = 0) =>
      expect.poll(() => term.output().slice(from), { timeout: 30_000 }).toMatch(pattern);
    await waitFor(/NVIDIA GeForce RTX 4090/);
    await waitFor(new RegExp(`${enginePid}\\s+engine tiny`));
    const screen = term.output();
    expect(screen).toContain('\x1b[?1049h');
    expect(screen).toMatch(/MEM \[.*\] [\d.]+ [MG]B \/ 25\.8 GB/);
    // Colour on a terminal; no line wider than the window.
    expect(screen).toMatch(/\x1b\[3[123]m/);
    const widths = frameLines(screen, 0).map(visibleLength);
    expect(Math.max(...widths)).toBeLessThanOrEqual(100);
    expect(Math.max(...widths)).toBeGreaterThan(60);

    writeFileSync(resize, '');
    const mark = term.output().length;
    await expect
      .poll(() => frameLines(term.output(), mark).filter((l) => l.startsWith('Hearth top')).length, {
        timeout: 15_000,
      })
      .toBeGreaterThanOrEqual(2);
    for (const line of frameLines(term.output(), mark)) expect(visibleLength(line)).toBeLessThanOrEqual(60);

    term.type('q');
    expect(await term.exited).toBe(0);
    // The terminal is given back as it was: main screen, cursor shown.
    expect(term.output()).toMatch(/\x1b\[\?25h\x1b\[\?1049l\s*$/);
  });

  it('prints one plain reading with NO_COLOR, and JSON for scripts', async () => {
    const plain = inTerminal(hearthCommand(['top', '--url', serve.url, '--once']), { ...env, NO_COLOR: '1' });
    expect(await plain.exited).toBe(0);
    expect(plain.output()).toContain('NVIDIA GeForce RTX 4090');
    expect(plain.output()).not.toMatch(/\x1b\[\d+m/);

    const child = spawn(process.execPath, [hearthBin, 'top', '--url', serve.url, '--once', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    const sample = JSON.parse(stdout) as MonitorSample;
    expect(sample.gpus[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 4090', state: 'active' });
    expect(sample.processes.find((p) => p.role === 'engine')).toMatchObject({
      pid: enginePid,
      modelPath: expect.stringContaining('tiny.gguf'),
      contextSize: expect.any(Number),
    });
  });
});
