import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHearthApp, type HearthApp } from '../../../src/main/app/hearth-app';
import { generateLanKey } from '../../../src/main/bindings/lan-key';
import { startWebBinding, type WebBinding } from '../../../src/main/bindings/web';
import { prometheusText } from '../../../src/main/services/monitor/prometheus';
import { installFakeGpuTools } from '../../fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../../fixtures/gpu/gpu-profiles';
import { sourceEngineLauncher } from '../../helpers/engine';
import { makeTempDir } from '../../helpers/temp-dir';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET /metrics on a Hearth shared on the LAN with a key, as Prometheus (or an intruder) would ask. */
describe('GET /metrics', () => {
  const dir = makeTempDir();
  const key = generateLanKey();
  const path = process.env.PATH;
  let app: HearthApp;
  let web: WebBinding;

  beforeAll(async () => {
    process.env.PATH = `${installFakeGpuTools(join(dir.path, 'bin'), fakeGpuProfiles.twoP40)}:${path}`;
    app = createHearthApp({
      dataDir: join(dir.path, 'data'),
      runtime: { runtime: 'server', version: '9.9.9', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      externalRoots: null,
      log: () => {},
    });
    web = await startWebBinding({
      router: app.router,
      events: app.events,
      rendererDir: join(dir.path, 'renderer'),
      host: '0.0.0.0',
      port: 0,
      lanKey: key,
      machineNames: { addresses: () => ['127.0.0.1', '192.168.1.20'], hostname: () => 'gpu-box' },
      metrics: async () => prometheusText(await app.monitor.scrape()),
    });
  });
  afterAll(async () => {
    await web.close();
    await app.close();
    process.env.PATH = path;
    dir.cleanup();
  });

  const get = (headers: Record<string, string>, method = 'GET'): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: web.port,
          method,
          path: '/metrics',
          headers: { Host: `gpu-box.local:${web.port}`, ...headers },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('refuses a scrape without the LAN key, with a wrong one, or naming another host', async () => {
    expect((await get({})).status).toBe(401);
    expect((await get({ Authorization: `Bearer ${generateLanKey()}` })).status).toBe(401);
    const rebinding = await get({ Host: `attacker.example:${web.port}`, Authorization: `Bearer ${key}` });
    expect(rebinding.status).toBe(421);
    expect(rebinding.body).not.toContain('hearth_');
    expect(app.monitor.sampling).toBe(false);
  });

  it('gives Prometheus text with GPU and host gauges to a scraper with the key', async () => {
    const reply = await get({ Authorization: `Bearer ${key}` });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(reply.body).toContain('hearth_monitor_up 1');
    expect(reply.body).toContain('# TYPE hearth_gpu_memory_total_bytes gauge');
    for (const gpu of ['0', '1'])
      expect(reply.body).toMatch(
        new RegExp(
          `hearth_gpu_utilization_ratio\\{gpu="${gpu}",uuid="GPU-[^"]+",name="Tesla P40"\\} [\\d.]+`,
        ),
      );
    expect(reply.body).toMatch(/^hearth_memory_total_bytes \d+$/m);
    expect(reply.body).toMatch(/^hearth_tokens_per_second 0$/m);
    expect(reply.body).toMatch(/hearth_process_resident_bytes\{pid="\d+",role="app"\} \d+/);
    // A scraper counts as a watcher: sampling goes on between scrapes.
    expect(app.monitor.sampling).toBe(true);
    expect((await get({ Authorization: `Bearer ${key}` }, 'POST')).status).toBe(405);
  });
});
