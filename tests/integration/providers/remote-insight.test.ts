import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHearthApp, type HearthApp } from '../../../src/main/app/hearth-app';
import { generateLanKey } from '../../../src/main/bindings/lan-key';
import { startWebBinding, type WebBinding } from '../../../src/main/bindings/web';
import { prometheusText } from '../../../src/main/services/monitor/prometheus';
import {
  MachineInsightService,
  RemoteHearthReader,
} from '../../../src/main/services/providers/remote-insight';
import { installFakeGpuTools } from '../../fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../../fixtures/gpu/gpu-profiles';
import { sourceEngineLauncher } from '../../helpers/engine';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

const notLocal = {
  hardware: () => Promise.reject(new Error('not this machine')),
  models: () => Promise.reject(new Error('not this machine')),
  sample: () => Promise.reject(new Error('not this machine')),
};

/** Another Hearth (two Tesla P40s, one tiny model) shared with a key, read as a provider would be. */
describe('reading another Hearth: hardware, fit on its machine, monitor', () => {
  const dir = makeTempDir();
  const key = generateLanKey();
  const path = process.env.PATH;
  let app: HearthApp;
  let web: WebBinding;
  let baseUrl: string;

  beforeAll(async () => {
    process.env.PATH = `${installFakeGpuTools(join(dir.path, 'bin'), fakeGpuProfiles.twoP40)}:${path}`;
    const dataDir = join(dir.path, 'remote');
    writeTinyModel(join(dataDir, 'models'));
    app = createHearthApp({
      dataDir,
      runtime: { runtime: 'server', version: '9.9.9', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      externalRoots: null,
      log: () => {},
    });
    web = await startWebBinding({
      router: app.router,
      events: app.events,
      rendererDir: join(dir.path, 'renderer'),
      port: 0,
      lanKey: key,
      metrics: async () => prometheusText(await app.monitor.scrape()),
    });
    baseUrl = `http://127.0.0.1:${web.port}`;
  });
  afterAll(async () => {
    await web.close();
    await app.close();
    process.env.PATH = path;
    dir.cleanup();
  });

  it('shows its GPUs, its model with the verdict its own estimator gives, and its live numbers', async () => {
    const insight = new MachineInsightService({
      provider: () => ({ id: 'p1', kind: 'hearth', baseUrl, key }),
      local: notLocal,
    });
    const machine = await insight.machine('p1');
    expect(machine.hardwareError).toBeNull();
    // What it detects itself (two P40s from its fake nvidia-smi and lspci), not this machine.
    const own = await app.router.invoke('hardware.get', {});
    if (!own.ok) throw new Error(own.error.message);
    const profile = own.value as {
      gpus: { model: string; vramTotalBytes: number }[];
      ram: { totalBytes: number };
    };
    expect(profile.gpus).toHaveLength(2);
    expect(machine.hardware?.gpus.map((g) => [g.model, g.vramTotalBytes])).toEqual(
      profile.gpus.map((g) => [g.model, g.vramTotalBytes]),
    );
    expect(machine.hardware?.gpus[0]?.model).toMatch(/P40/);
    expect(machine.hardware?.ramTotalBytes).toBe(profile.ram.totalBytes);
    // The verdict is the remote's own: the same route asked there directly gives the same answer.
    const direct = await app.router.invoke('estimator.fit', { modelId: machine.models[0]?.id });
    expect(direct.ok).toBe(true);
    const expected = direct.ok ? (direct.value as { verdict: string; gpuLayers: number }) : null;
    expect(machine.modelsError).toBeNull();
    expect(machine.models).toHaveLength(1);
    expect(machine.models[0]).toMatchObject({
      id: 'hearth:tiny.gguf',
      fit: { verdict: expected?.verdict, gpuLayers: expected?.gpuLayers },
      fitError: null,
    });
    expect(machine.sampleError).toBeNull();
    expect(machine.sample?.gpus.map((g) => [g.index, g.name, g.memoryTotalBytes])).toEqual([
      [0, 'Tesla P40', 24576 * 2 ** 20],
      [1, 'Tesla P40', 24576 * 2 ** 20],
    ]);
    expect(machine.sample?.ramTotalBytes).toBeGreaterThan(0);
    const live = await insight.sample('p1');
    expect(live.error).toBeNull();
    expect(live.sample?.gpus).toHaveLength(2);
  });

  it('says plainly when the key is wrong, part by part', async () => {
    const insight = new MachineInsightService({
      provider: () => ({ id: 'p1', kind: 'hearth', baseUrl, key: generateLanKey() }),
      local: notLocal,
    });
    const machine = await insight.machine('p1');
    expect(machine.hardware).toBeNull();
    expect(machine.hardwareError).toMatch(/HTTP 401/);
    expect(machine.sampleError).toMatch(/HTTP 401/);
  });

  it('refuses to read a provider that is not a Hearth', async () => {
    const insight = new MachineInsightService({
      provider: () => ({ id: 'o', kind: 'ollama', baseUrl, key: null }),
      local: notLocal,
    });
    await expect(insight.machine('o')).rejects.toThrow(/Only another Hearth/);
  });
});

/** A server that answers what a hostile or broken "Hearth" might. */
describe('reading a hostile Hearth', () => {
  let server: Server;
  let baseUrl: string;
  let answer: (path: string, res: ServerResponse) => void = (_p, res) => res.end();

  beforeAll(async () => {
    server = createServer((req, res) => answer(req.url ?? '/', res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const reader = () => new RemoteHearthReader({ baseUrl, key: 'k' });
  const metrics = (body: string | Buffer, type = 'text/plain; version=0.0.4') => {
    answer = (_p, res) => res.writeHead(200, { 'Content-Type': type }).end(body);
    return reader().sample();
  };
  const invoke = (value: unknown) => {
    answer = (_p, res) =>
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
  };

  it('refuses a /metrics over the size cap and a line over the line cap', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 'hearth_cpu_utilization_ratio 0.5\n');
    await expect(metrics(big)).rejects.toThrow(/over \d+ bytes/);
    await expect(metrics(`hearth_gpu_up{name="${'x'.repeat(20_000)}"} 1\n`)).rejects.toThrow(/line over/);
  });

  it('refuses malformed Prometheus text with the line it stopped at', async () => {
    await expect(metrics('hearth_monitor_up 1\nhearth_cpu_utilization_ratio{core="1} 0.5\n')).rejects.toThrow(
      /line 2/,
    );
    await expect(metrics('hearth_monitor_up 1\nhearth_cpu_utilization_ratio zero\n')).rejects.toThrow(
      /not a number/,
    );
    await expect(metrics('<html>hello</html>', 'text/html')).rejects.toThrow(/not Prometheus text/);
    await expect(metrics('up 1\nnode_cpu 3\n')).rejects.toThrow(/none of the metrics Hearth writes/);
  });

  it('shows impossible readings as unknown, and cleans names', async () => {
    const sample = await metrics(
      [
        '# HELP hearth_monitor_up x',
        'hearth_monitor_up 1',
        'hearth_cpu_utilization_ratio 1e308',
        'hearth_memory_total_bytes -5',
        'hearth_memory_used_bytes NaN',
        'hearth_gpu_utilization_ratio{gpu="0",name="Evil\\n\u202EGPU"} 0.25',
        'hearth_gpu_memory_total_bytes{gpu="0",name="Evil\\n\u202EGPU"} +Inf',
        'hearth_gpu_temperature_celsius{gpu="0",name="Evil"} 9999',
        'hearth_gpu_utilization_ratio{gpu="-1",name="bad index"} 0.5',
        'hearth_tokens_per_second 12.5 1700000000000',
      ].join('\n'),
    );
    expect(sample).toMatchObject({
      cpuRatio: null,
      ramTotalBytes: null,
      ramUsedBytes: null,
      tokensPerSecond: 12.5,
      gpus: [
        { index: 0, name: 'EvilGPU', utilizationRatio: 0.25, memoryTotalBytes: null, temperatureC: null },
      ],
    });
    expect(await metrics('hearth_monitor_up 0\n')).toBeNull();
  });

  it('turns wrong types and non-Hearth answers into clear errors', async () => {
    invoke({ ok: true, value: { label: 5 } });
    await expect(reader().hardware()).rejects.toThrow(/hardware.get answer is malformed \(label/);
    invoke({ models: [] });
    await expect(reader().models()).rejects.toThrow(/does not answer as Hearth does/);
    invoke({ ok: false, error: { code: 'FORBIDDEN', message: 'nope' } });
    await expect(reader().hardware()).rejects.toThrow('nope');
    answer = (_p, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok": tru');
    await expect(reader().hardware()).rejects.toThrow(/not JSON/);
    answer = (_p, res) => res.writeHead(302, { Location: 'http://169.254.169.254/' }).end();
    await expect(reader().hardware()).rejects.toThrow(/redirected/);
    // A model list with a broken fit keeps the model, with the fit's error beside it.
    answer = (path, res) => {
      void path;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({ ok: true, value: [{ id: 'a', name: 'A', quant: null, sizeBytes: 1, error: null }] }),
      );
    };
    const models = await reader().models();
    expect(models).toMatchObject([{ id: 'a', fit: null, fitError: expect.stringMatching(/malformed/) }]);
  });
});
