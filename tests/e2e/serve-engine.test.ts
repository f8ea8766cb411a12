import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeOver, startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

describe('`hearth serve` and its engine process', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;
  let modelPath: string;

  beforeAll(async () => {
    // A model in Hearth's models folder is in the library, under the id hearth:<relative path>.
    modelPath = writeTinyModel(join(dir.path, 'data', 'models'));
    serve = await startServe({ dataDir: join(dir.path, 'data') });
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  it('stays up when the engine is SIGKILLed mid-prompt, and answers the next prompt after a restart', async () => {
    const loaded = await invokeOver(serve.url, 'engine.load', {
      modelId: 'hearth:tiny.gguf',
      contextSize: 4096,
      gpuLayers: 0,
      threads: 1,
    });
    expect(loaded.error).toBeUndefined();
    expect(loaded).toMatchObject({ ok: true, value: { modelPath } });
    const status = (await invokeOver(serve.url, 'engine.status')).value as { pid: number };
    expect(status.pid).toBeTypeOf('number');

    const inFlight = invokeOver(serve.url, 'engine.chat', {
      requestId: 'long',
      messages: [{ role: 'user', content: 'Tell me a long story' }],
      sampling: { temperature: 0, maxTokens: 4000 },
    });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(status.pid, 'SIGKILL');
    const failed = await inFlight;
    expect(failed).toMatchObject({ ok: false, error: { code: 'ENGINE_CRASHED' } });

    expect(serve.child.exitCode).toBeNull();
    expect(await invokeOver(serve.url, 'app.info')).toMatchObject({ ok: true });

    const next = await invokeOver(serve.url, 'engine.chat', {
      requestId: 'next',
      messages: [{ role: 'user', content: 'Hello again' }],
      sampling: { temperature: 0, maxTokens: 8 },
    });
    expect(next).toMatchObject({ ok: true });
    expect((next.value as { stats: { generatedTokens: number } }).stats.generatedTokens).toBeGreaterThan(0);
    const after = (await invokeOver(serve.url, 'engine.status')).value as {
      pid: number;
      restarts: number;
      state: string;
    };
    expect(after).toMatchObject({ restarts: 1, state: 'ready' });
    expect(after.pid).not.toBe(status.pid);
  });
});
