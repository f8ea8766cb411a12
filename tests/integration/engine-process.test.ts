import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../src/main/services/engine/engine-host';
import { sourceEngineLauncher } from '../helpers/engine';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

describe('engine process with real node-llama-cpp', () => {
  const dir = makeTempDir();
  let modelPath: string;
  const hosts: EngineHost[] = [];
  const newHost = (options: Partial<ConstructorParameters<typeof EngineHost>[0]> = {}): EngineHost => {
    const host = new EngineHost({ launch: sourceEngineLauncher(), defaultThreads: 1, ...options });
    hosts.push(host);
    return host;
  };

  beforeAll(() => {
    modelPath = writeTinyModel(dir.path);
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    dir.cleanup();
  });

  it('loads a generated model and answers a short prompt, streaming chunks', async () => {
    const progress: number[] = [];
    const host = newHost({ onLoadProgress: (p) => progress.push(p) });
    const loaded = await host.load({ modelPath, contextSize: 1024, gpuLayers: 0 });
    expect(loaded).toMatchObject({ modelPath, contextSize: 1024, gpuLayers: 0 });
    expect(progress.at(-1)).toBe(1);
    const chunks: string[] = [];
    const reply = await host.prompt({ text: 'Hello, how are you?', maxTokens: 12 }, (t) => chunks.push(t));
    expect(reply.tokens).toBeGreaterThan(0);
    expect(reply.text.length).toBeGreaterThan(0);
    expect(chunks.join('')).toBe(reply.text);
    expect(['eos', 'maxTokens']).toContain(reply.stopReason);
  });

  it('survives SIGKILL during a prompt: the prompt fails clearly, the next one works after a restart', async () => {
    const host = newHost();
    await host.load({ modelPath, contextSize: 4096, gpuLayers: 0 });
    const firstPid = host.pid;
    expect(firstPid).toBeTypeOf('number');
    let killed = false;
    const inFlight = host.prompt({ text: 'Tell me a long story', maxTokens: 3000 }, () => {
      if (!killed && firstPid) {
        killed = true;
        process.kill(firstPid, 'SIGKILL');
      }
    });
    await expect(inFlight).rejects.toMatchObject({ code: 'ENGINE_CRASHED' });
    expect(killed).toBe(true);

    const reply = await host.prompt({ text: 'Hello again', maxTokens: 8 });
    expect(reply.tokens).toBeGreaterThan(0);
    expect(host.pid).not.toBe(firstPid);
    expect(host.restartCount).toBe(1);
    expect(host.status()).toMatchObject({ state: 'ready', modelPath });
  });

  it('gives up on a load that takes too long, and loads fine afterwards', async () => {
    const host = newHost({ loadTimeoutMs: 1 });
    await expect(host.load({ modelPath, contextSize: 512, gpuLayers: 0 })).rejects.toMatchObject({
      code: 'ENGINE_TIMEOUT',
    });
    const patient = newHost();
    await expect(patient.load({ modelPath, contextSize: 512, gpuLayers: 0 })).resolves.toMatchObject({
      modelPath,
    });
  });

  it('reports a file that is not a model as an engine error, and stays usable', async () => {
    const host = newHost();
    await expect(
      host.load({ modelPath: `${dir.path}/missing.gguf`, contextSize: 512, gpuLayers: 0 }),
    ).rejects.toMatchObject({
      code: 'ENGINE_ERROR',
    });
    await expect(host.load({ modelPath, contextSize: 512, gpuLayers: 0 })).resolves.toMatchObject({
      modelPath,
    });
  });

  it('stops the process cleanly', async () => {
    const host = newHost();
    await host.load({ modelPath, contextSize: 512, gpuLayers: 0 });
    const pid = host.pid!;
    await host.stop();
    expect(host.state).toBe('stopped');
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
