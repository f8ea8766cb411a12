import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnginePool } from '../../../src/main/services/engine/engine-pool';
import { shapes, writeLlamaModel } from '../../fixtures/gguf';
import { rawRequest, startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

/** About 400B parameters at 4 bits (a sparse file: header only): no machine running the tests holds it. */
const giantShape = {
  ...shapes.tiny,
  name: 'Giant',
  embedding: 16384,
  layers: 128,
  heads: 128,
  kvHeads: 8,
  feedForward: 53248,
};

describe('API model list and loading', () => {
  const dir = makeTempDir();
  let api: ApiHarness;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(models);
    writeLlamaModel(join(models, 'giant.gguf'), { shape: giantShape, weightType: 'Q4_0', sparse: true });
    writeFileSync(join(models, 'broken.gguf'), 'not a model');
    api = await startApiHarness({ dir: dir.path });
  });
  afterAll(async () => {
    await api?.close();
    dir.cleanup();
  });

  const post = (path: string, body: object) =>
    rawRequest(api.origin, { method: 'POST', path, body: JSON.stringify(body) });

  it('lists usable models only, in both dialects', async () => {
    const openai = JSON.parse((await rawRequest(api.origin, { path: '/v1/models' })).body) as {
      data: Array<{ id: string }>;
    };
    expect(openai.data.map((m) => m.id).sort()).toEqual(['hearth:giant.gguf', 'hearth:tiny.gguf']);
    const ollama = JSON.parse((await rawRequest(api.origin, { path: '/api/tags' })).body) as {
      models: Array<{ name: string }>;
    };
    expect(ollama.models.map((m) => m.name).sort()).toEqual(['giant:q4_0', 'tiny:q8_0']);
    expect((await post('/api/show', { model: 'broken' })).status).toBe(404);
  });

  it("refuses a model that cannot fit with the estimator's numbers, before the engine loads anything", async () => {
    const openai = await post('/v1/chat/completions', {
      model: 'giant',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(openai.status).toBe(400);
    const error = (JSON.parse(openai.body) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('model_does_not_fit');
    expect(error.message).toMatch(/does not fit .*needs \d+(\.\d)? GB .* GB is free/);
    const ollama = await post('/api/generate', { model: 'giant:q4_0', prompt: 'Hi' });
    expect(ollama.status).toBe(400);
    expect((JSON.parse(ollama.body) as { error: string }).error).toMatch(/does not fit/);
    expect(api.app.engine.status().loaded ?? []).toEqual([]);
  });

  it('loads a model on first use with parallel slots, and serves it', async () => {
    const reply = await post('/api/generate', {
      model: 'tiny',
      prompt: 'Hi',
      stream: false,
      options: { num_predict: 2 },
    });
    expect(reply.status).toBe(200);
    const path = (await api.app.library.get('hearth:tiny.gguf')).path;
    expect(api.app.engine.status().loaded?.map((l) => l.modelPath)).toEqual([path]);
    // The default comes from the memory the estimator says is left: this tiny model leaves plenty.
    expect((api.app.engine as EnginePool).parallelOf(path)).toBeGreaterThan(1);
  });
});
