import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../fixtures/fake-hub/fake-hub';
import { startApiHarness, type ApiHarness } from '../../helpers/api-server';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

/** ollama pull / ollama rm, the way pull-style tools call them, over Hearth's downloads and library. */
describe('/api/pull and /api/delete', () => {
  const dir = makeTempDir();
  const repo = 'test-org/Tiny-Chat-GGUF';
  let hub: FakeHub;
  let api: ApiHarness;
  let ollama: Ollama;

  beforeAll(async () => {
    const file = writeTinyModel(join(dir.path, 'hub'), {}, 'Tiny-Chat-Q8_0.gguf');
    hub = await startFakeHub([{ id: repo, files: [{ path: 'Tiny-Chat-Q8_0.gguf', diskPath: file }] }]);
    api = await startApiHarness({ dir: dir.path, app: { hubEndpoint: hub.url } });
    ollama = new Ollama({ host: api.origin });
  });
  afterAll(async () => {
    await api?.close();
    await hub?.close();
    dir.cleanup();
  });

  it('pulls a Hugging Face model with progress lines, after which it chats under its alias', async () => {
    const lines: Array<{ status: string; total?: number; completed?: number }> = [];
    for await (const line of await ollama.pull({ model: `hf.co/${repo}:Q8_0`, stream: true }))
      lines.push(line);
    expect(lines[0]!.status).toBe('pulling manifest');
    expect(lines.at(-1)!.status).toBe('success');
    const progress = lines.filter((l) => l.status.startsWith('pulling ') && l.total);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.completed).toBe(progress.at(-1)!.total);
    const { models } = await ollama.list();
    expect(models.map((m) => m.name)).toContain('tiny-chat:q8_0');
    const reply = await ollama.chat({
      model: `${repo}:Q8_0`,
      messages: [{ role: 'user', content: 'Hi' }],
      options: { num_predict: 3 },
    });
    expect(reply.done).toBe(true);
    // A second pull of the same model is the same job: done at once.
    const again = await ollama.pull({ model: `${repo}:Q8_0`, stream: false });
    expect(again.status).toBe('success');
  });

  it('refuses names Hearth cannot pull, with a message saying what to write', async () => {
    const error = await ollama.pull({ model: 'llama3.2' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status_code: 400 });
    expect((error as Error).message).toContain('owner/repo:QUANT');
    // Streaming, the error comes as a line ({"error": …}), which the client raises.
    const missing = await (async () => {
      for await (const line of await ollama.pull({ model: `${repo}:Q2_K`, stream: true })) void line;
    })().catch((e: unknown) => e);
    expect(String(missing)).toContain('has no Q2_K (available: Q8_0)');
  });

  it('deletes the model (unloading it first), after which it is gone from tags and disk', async () => {
    const path = (await api.app.library.list()).find((m) => m.repo === repo)!.path;
    expect(api.app.engine.status().loaded?.map((l) => l.modelPath)).toContain(path);
    await ollama.delete({ model: 'tiny-chat:q8_0' });
    expect(existsSync(path)).toBe(false);
    expect(api.app.engine.status().loaded?.map((l) => l.modelPath) ?? []).not.toContain(path);
    expect((await ollama.list()).models.map((m) => m.name)).not.toContain('tiny-chat:q8_0');
    const twice = await ollama.delete({ model: 'tiny-chat:q8_0' }).catch((e: unknown) => e);
    expect(twice).toMatchObject({ status_code: 404 });
    // And pulled again after a delete, it downloads again.
    const lines = [];
    for await (const line of await ollama.pull({ model: `${repo}:Q8_0`, stream: true })) lines.push(line);
    expect(existsSync(path)).toBe(true);
  });
});
