import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MonitorSample } from '../../../src/shared/contract';
import { createHearthApp, type HearthApp } from '../../../src/main/app/hearth-app';
import { startWebBinding, type WebBinding } from '../../../src/main/bindings/web';
import { installFakeGpuTools } from '../../fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../../fixtures/gpu/gpu-profiles';
import { watchableShape } from '../../fixtures/monitor/models';
import { sourceEngineLauncher } from '../../helpers/engine';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

const MiB = 1024 ** 2;

/** Command lines of the running processes started from `bin` (Linux /proc). */
function processesOf(bin: string): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((pid) => {
      try {
        return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')];
      } catch {
        return [];
      }
    })
    .filter((cmd) => cmd.includes(bin));
}

describe('the monitor through the app, with a fake RTX 4090 (nvidia-smi and lspci on PATH)', () => {
  const dir = makeTempDir();
  const bin = join(dir.path, 'bin');
  let app: HearthApp;
  let web: WebBinding;
  let events: WebSocket;
  const samples: MonitorSample[] = [];
  const path = process.env.PATH;

  const call = async <T>(route: string, input?: unknown): Promise<T> => {
    const res = await fetch(new URL('/api/invoke', web.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ route, input }),
    });
    const result = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
    if (!result.ok) throw new Error(result.error?.message);
    return result.value as T;
  };
  /** Watches as a client does: renewing its lease before it runs out, until told to leave. */
  const watch = async (): Promise<() => Promise<void>> => {
    const { leaseMs } = await call<{ leaseMs: number }>('monitor.watch', { watcherId: 'test-client' });
    const renew = setInterval(() => void call('monitor.watch', { watcherId: 'test-client' }), leaseMs / 3);
    return async () => {
      clearInterval(renew);
      await call('monitor.unwatch', { watcherId: 'test-client' });
    };
  };
  const loops = (): string[] =>
    processesOf(bin).filter((cmd) => cmd.includes('nvidia-smi') && cmd.includes('-lms'));

  beforeAll(async () => {
    installFakeGpuTools(bin, fakeGpuProfiles.rtx4090);
    process.env.PATH = `${bin}:${path}`;
    // Slower than the tiny model: a reply lasts long enough to be watched for a few samples.
    writeTinyModel(
      join(dir.path, 'data', 'models'),
      {
        endless: true,
        shape: watchableShape,
      },
      'small.gguf',
    );
    app = createHearthApp({
      dataDir: join(dir.path, 'data'),
      runtime: { runtime: 'server', version: '9.9.9', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      externalRoots: null,
      engineThreads: 1,
      log: () => {},
    });
    web = await startWebBinding({
      router: app.router,
      events: app.events,
      rendererDir: join(dir.path, 'renderer'),
      port: 0,
      api: app.api,
    });
    await call('settings.update', { monitorIntervalMs: 500 });
    events = new WebSocket(new URL('/api/events', web.url.replace('http', 'ws')));
    events.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { name: string; payload: unknown };
      if (message.name === 'monitor.sample') samples.push(message.payload as MonitorSample);
    });
    await new Promise((resolve) => events.once('open', resolve));
    // The hardware reading (one nvidia-smi call) is done before anyone watches.
    await call('hardware.get');
  });

  afterAll(async () => {
    events?.close();
    await web?.close();
    await app?.close();
    process.env.PATH = path;
    dir.cleanup();
  });

  it('samples at the set rate with moving values only while a client watches', async () => {
    expect(loops()).toEqual([]);
    const leave = await watch();
    await expect.poll(() => samples.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(6);
    // One nvidia-smi, in loop mode at the set rate, however many samples.
    expect(loops()).toHaveLength(1);
    expect(loops()[0]).toContain('-lms 500');
    const recent = samples.slice(-5);
    const gaps = recent.slice(1).map((s, i) => s.at - recent[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThan(350);
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeLessThan(700);
    const gpu = recent.map((s) => s.gpus[0]!);
    expect(gpu[0]).toMatchObject({
      name: 'NVIDIA GeForce RTX 4090',
      state: 'active',
      memoryTotalBytes: 24564 * MiB,
    });
    expect(new Set(gpu.map((g) => g.utilizationPct)).size).toBeGreaterThan(1);
    expect(new Set(gpu.map((g) => g.memoryUsedBytes)).size).toBeGreaterThan(1);
    expect(recent.at(-1)!.host.ramTotalBytes).toBeGreaterThan(0);
    expect(recent.at(-1)!.host.perCorePct.length).toBeGreaterThan(0);

    const history = await call<{ samples: MonitorSample[] }>('monitor.history');
    expect(history.samples.length).toBeGreaterThanOrEqual(samples.length - 1);

    await leave();
    // Gone within one interval.
    await expect.poll(loops, { timeout: 500 + 300, interval: 50 }).toEqual([]);
  });

  it('rows the engine while it answers: its pid, GPU memory, speed and a rising context fill', async () => {
    const [model] = await call<{ id: string }[]>('library.list');
    await call('engine.load', { modelId: model!.id, contextSize: 4096 });
    const { loaded } = await call<{ loaded: { pid: number }[] }>('engine.status');
    const pid = loaded[0]!.pid;
    const leave = await watch();
    const from = samples.length;
    const reply = call('engine.chat', {
      requestId: 'long',
      messages: [{ role: 'user', content: 'Tell me a very long story' }],
      sampling: { temperature: 0.7, maxTokens: 3000, stop: [] },
      ignoreEos: true,
    });
    const generating = () =>
      samples
        .slice(from)
        .map((s) => s.processes.find((p) => p.pid === pid))
        .filter((p) => p?.generating && (p.tokensPerSecond ?? 0) > 0);
    await expect.poll(() => generating().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await call('engine.stop', { requestId: 'long' });
    await reply;
    const rows = generating();
    const fills = rows.map((r) => r!.contextTokens!);
    expect(fills.at(-1)!).toBeGreaterThan(fills[0]!);
    expect(rows.at(-1)).toMatchObject({
      role: 'engine',
      modelPath: expect.stringContaining('small.gguf'),
      contextSize: 4096,
      gpuMemoryBytes: 1234 * MiB,
    });
    expect(rows.at(-1)!.rssBytes).toBeGreaterThan(0);
    expect(rows.at(-1)!.cpuPct).toBeGreaterThan(0);
    await leave();
  });

  it("answers Ollama's /api/ps with the GPU memory the driver reports for the engine, not an estimate", async () => {
    // The model loaded by the test above is still in memory.
    const res = await fetch(new URL('/api/ps', web.url));
    const { models } = (await res.json()) as { models: { model: string; size_vram: number }[] };
    expect(models).toHaveLength(1);
    expect(models[0]!.size_vram).toBe(1234 * MiB);
  });
});
