import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHearthApp, type HearthApp } from '../../src/main/app/hearth-app';
import { startWebBinding, type WebBinding } from '../../src/main/bindings/web';
import { sourceEngineLauncher } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

/** Routes that take a file path, called over HTTP as a browser or a LAN client would. */
describe('routes that take a file path', () => {
  const dir = makeTempDir();
  const outside = join(dir.path, 'outside');
  const lmStudio = join(dir.path, 'lmstudio');
  const servers: { app: HearthApp; web: WebBinding }[] = [];
  let local: WebBinding;
  let shared: WebBinding;

  async function start(name: string, restrictModelPaths: boolean): Promise<WebBinding> {
    const dataDir = join(dir.path, name);
    writeTinyModel(join(dataDir, 'models', 'own'));
    const app = createHearthApp({
      dataDir,
      runtime: { runtime: 'server', version: 'test', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      externalRoots: { huggingFaceCache: [], lmStudio: [lmStudio], ollama: [] },
      restrictModelPaths,
      log: () => {},
    });
    const web = await startWebBinding({ router: app.router, events: app.events, rendererDir: dir.path });
    servers.push({ app, web });
    return web;
  }

  beforeAll(async () => {
    const tiny = writeTinyModel(outside);
    mkdirSync(join(lmStudio, 'pub', 'Tiny-GGUF'), { recursive: true });
    copyFileSync(tiny, join(lmStudio, 'pub', 'Tiny-GGUF', 'tiny-Q8_0.gguf'));
    writeFileSync(join(outside, 'page.gguf'), '<!doctype html><title>not a model</title>');
    mkdirSync(join(outside, 'folder.gguf'));
    execFileSync('mkfifo', [join(outside, 'pipe.gguf')]);
    [local, shared] = await Promise.all([start('local', false), start('shared', true)]);
  });
  afterAll(async () => {
    for (const { app, web } of servers) {
      await web.close();
      await app.close();
    }
    dir.cleanup();
  });

  const invoke = async (web: WebBinding, route: string, input: unknown): Promise<Answer> =>
    (await fetch(new URL('/api/invoke', web.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ route, input }),
    }).then((r) => r.json())) as Answer;
  const fit = (web: WebBinding, modelPath: string) => invoke(web, 'estimator.fit', { modelPath });
  const importModel = (web: WebBinding, path: string) =>
    invoke(web, 'library.import', { path, mode: 'copy' });

  const hostile = [
    '/etc/shadow',
    '/etc/passwd',
    '/proc/self/environ',
    '../../../../../../../../etc/passwd',
    '/dev/zero',
    join(outside, 'missing.gguf'),
    join(outside, 'page.gguf'),
    join(outside, 'folder.gguf'),
    join(outside, 'pipe.gguf'),
  ];

  it('gives one answer for files that are missing, private, special or not models, naming none of them', async () => {
    const expected = { ok: false, error: { code: 'NOT_FOUND', message: 'No GGUF model file at that path' } };
    for (const path of hostile) {
      expect(await fit(local, path), `estimator.fit ${path}`).toEqual(expected);
      expect(await importModel(local, path), `library.import ${path}`).toEqual(expected);
    }
  });

  it('on this machine, checks and imports a model from anywhere', async () => {
    const estimate = await fit(local, join(outside, 'tiny.gguf'));
    expect(estimate).toMatchObject({ ok: true, value: { verdict: expect.any(String) } });
    expect(await importModel(local, join(outside, 'tiny.gguf'))).toMatchObject({
      ok: true,
      value: { id: 'hearth:imported/tiny.gguf' },
    });
  });

  it('shared on the network, refuses paths outside the models folders like missing ones', async () => {
    const missing = await fit(shared, join(dir.path, 'shared', 'models', 'missing.gguf'));
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    for (const path of [
      ...hostile,
      join(outside, 'tiny.gguf'),
      join(dir.path, 'shared', 'models', '..', '..', 'outside', 'tiny.gguf'),
    ]) {
      expect(await fit(shared, path), `estimator.fit ${path}`).toEqual(missing);
      expect(await importModel(shared, path), `library.import ${path}`).toEqual(missing);
    }
  });

  it('shared on the network, still checks and imports the models in its folders', async () => {
    expect(await fit(shared, join(dir.path, 'shared', 'models', 'own', 'tiny.gguf'))).toMatchObject({
      ok: true,
    });
    expect(await importModel(shared, join(lmStudio, 'pub', 'Tiny-GGUF', 'tiny-Q8_0.gguf'))).toMatchObject({
      ok: true,
      value: { id: 'hearth:imported/tiny-Q8_0.gguf', source: 'imported' },
    });
  });

  it('checks a library model by id, and says so for an id it does not know', async () => {
    for (const web of [local, shared]) {
      expect(await invoke(web, 'estimator.fit', { modelId: 'hearth:own/tiny.gguf' })).toMatchObject({
        ok: true,
        value: { verdict: expect.any(String), model: { layers: expect.any(Number) } },
      });
      expect(await invoke(web, 'estimator.fit', { modelId: 'hearth:own/gone.gguf' })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: expect.stringContaining('No model') },
      });
    }
    // One model at a time: both, or neither, is a mistake of the caller.
    const path = join(outside, 'tiny.gguf');
    for (const input of [{ modelId: 'hearth:own/tiny.gguf', modelPath: path }, {}])
      expect(await invoke(local, 'estimator.fit', input)).toMatchObject({
        ok: false,
        error: { code: 'BAD_INPUT' },
      });
  });

  it('shared on the network, the models folder cannot be moved to widen that', async () => {
    expect(await invoke(shared, 'settings.update', { modelsDir: '/' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await invoke(shared, 'settings.get', undefined)).toMatchObject({
      ok: true,
      value: { modelsDir: null },
    });
    expect(await invoke(shared, 'settings.update', { theme: 'dark' })).toMatchObject({ ok: true });
    expect(await invoke(local, 'settings.update', { modelsDir: join(dir.path, 'elsewhere') })).toMatchObject({
      ok: true,
    });
  });
});
