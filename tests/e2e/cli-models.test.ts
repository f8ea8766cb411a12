import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../fixtures/fake-hub/fake-hub';
import { writeLlamaModel } from '../fixtures/gguf';
import { sha256File } from '../helpers/download-fixtures';
import { hearthBin } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

describe('hearth search / pull / list / show / rm against a fake Hub', () => {
  const dir = makeTempDir();
  let hub: FakeHub;
  let env: NodeJS.ProcessEnv;
  const hearth = (...args: string[]) => run(process.execPath, [hearthBin, ...args], { env, timeout: 60_000 });

  beforeAll(async () => {
    const q8 = join(dir.path, 'tiny-Q8_0.gguf');
    writeLlamaModel(q8, { weightType: 'Q8_0' });
    const q4 = join(dir.path, 'tiny-Q4_0.gguf');
    writeLlamaModel(q4, { weightType: 'Q4_0' });
    hub = await startFakeHub([
      {
        id: 'hearth-test/Tiny-Chat-GGUF',
        downloads: 42,
        license: 'mit',
        files: [
          { path: 'README.md', content: Buffer.from('# Tiny') },
          { path: 'Tiny-Chat-Q8_0.gguf', diskPath: q8 },
          { path: 'Tiny-Chat-Q4_K_M.gguf', diskPath: q4 },
        ],
      },
      { id: 'other/Unrelated-GGUF', files: [{ path: 'x-Q4_K_M.gguf', content: Buffer.from('x') }] },
    ]);
    env = {
      ...process.env,
      HF_ENDPOINT: hub.url,
      HEARTH_DATA_DIR: join(dir.path, 'data'),
      HF_TOKEN: '',
      HF_HOME: join(dir.path, 'hf'),
    };
  });
  afterAll(async () => {
    await hub.close();
    dir.cleanup();
  });

  it('searches GGUF repos', async () => {
    const { stdout } = await hearth('search', 'tiny');
    expect(stdout).toContain('hearth-test/Tiny-Chat-GGUF');
    expect(stdout).toContain('42');
    expect(stdout).not.toContain('Unrelated');
  });

  it('shows every quant of a repo with its fit', async () => {
    const { stdout } = await hearth('fit', 'hearth-test/Tiny-Chat-GGUF');
    expect(stdout).toMatch(/Q8_0\s+\S+ \S+\s+CPU only/);
    expect(stdout).toMatch(/Recommended: Q4_K_M/);
  });

  it("checks a repo's quants with the settings and the machine given, as for a file", async () => {
    const table = await hearth(
      'fit',
      'hearth-test/Tiny-Chat-GGUF',
      '--gpu',
      'RTX 3060 12 GB',
      '--ctx',
      '2048',
    );
    expect(table.stdout).toMatch(/On RTX 3060 12 GB, with a 2048-token context/);
    expect(table.stdout).toMatch(/Q8_0\s+\S+ \S+\s+Runs fully on the GPU/);
    const args = ['hearth-test/Tiny-Chat-GGUF:Q8_0', '--gpu', 'RTX 3060 12 GB', '--json'];
    type Kv = { kvCacheBytes: number };
    const fit = (text: string) =>
      (
        JSON.parse(text) as {
          fit: { contextSize: number; gpuLayers: number; verdict: string; gpu: Kv; ram: Kv };
        }
      ).fit;
    const kv = (f: ReturnType<typeof fit>) => f.gpu.kvCacheBytes + f.ram.kvCacheBytes;
    const whole = fit((await hearth('fit', ...args)).stdout);
    const planned = fit(
      (await hearth('fit', ...args, '--ctx', '1024', '--gpu-layers', '1', '--kv', 'q8_0')).stdout,
    );
    expect(whole).toMatchObject({ contextSize: 4096, verdict: 'full-gpu' });
    expect(planned).toMatchObject({ contextSize: 1024, gpuLayers: 1, verdict: 'partial' });
    expect(kv(planned)).toBeLessThan(kv(whole) / 4);
    await expect(hearth('fit', 'hearth-test/Tiny-Chat-GGUF', '--gpus', 'lots')).rejects.toMatchObject({
      stderr: expect.stringMatching(/--gpus/),
    });
  });

  it('pulls the recommended quant, verified, with progress on stderr', async () => {
    const { stdout, stderr } = await hearth('pull', 'hearth-test/Tiny-Chat-GGUF');
    expect(stderr).toMatch(/Q4_K_M: .*CPU/);
    expect(stderr).toMatch(/100\.0%/);
    const path = /Ready: (.+)/.exec(stdout)?.[1] ?? '';
    expect(path).toBe(
      join(dir.path, 'data', 'models', 'hearth-test', 'Tiny-Chat-GGUF', 'Tiny-Chat-Q4_K_M.gguf'),
    );
    expect(sha256File(path)).toBe(sha256File(join(dir.path, 'tiny-Q4_0.gguf')));
  });

  it('pulls a named quant, and pulling it again is instant', async () => {
    await hearth('pull', 'hf.co/hearth-test/Tiny-Chat-GGUF:q8_0');
    const again = await hearth('pull', 'hearth-test/Tiny-Chat-GGUF:Q8_0', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'done', quant: 'Q8_0' });
  });

  it('lists, shows and removes models', async () => {
    const list = JSON.parse((await hearth('list', '--json')).stdout) as { id: string; source: string }[];
    const ids = list.filter((m) => m.source === 'hearth').map((m) => m.id);
    expect(ids.sort()).toEqual([
      'hearth:hearth-test/Tiny-Chat-GGUF/Tiny-Chat-Q4_K_M.gguf',
      'hearth:hearth-test/Tiny-Chat-GGUF/Tiny-Chat-Q8_0.gguf',
    ]);
    const show = await hearth('show', 'Tiny-Chat-Q8_0');
    expect(show.stdout).toMatch(/architecture\s+llama/);
    expect(show.stdout).toMatch(/fit\s+CPU only/);
    const rm = await hearth('rm', 'Tiny-Chat-Q8_0');
    expect(rm.stdout).toMatch(/Deleted/);
    const after = JSON.parse((await hearth('list', '--json')).stdout) as { id: string }[];
    expect(after.some((m) => m.id.endsWith('Q8_0.gguf'))).toBe(false);
    await expect(hearth('rm', 'nothing-like-this')).rejects.toMatchObject({
      stderr: expect.stringMatching(/No model matches/),
    });
  });

  it('explains a repo that does not exist', async () => {
    await expect(hearth('pull', 'nobody/Nothing-GGUF')).rejects.toMatchObject({
      stderr: expect.stringMatching(/no such model repo/),
    });
    void readFileSync;
  });
});
