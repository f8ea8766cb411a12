import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopServer } from '../../../src/main/api/desktop-server';
import type { ServerControl } from '../../../src/main/api/server-control';
import { createHearthApp, type HearthApp } from '../../../src/main/app/hearth-app';
import { keyVerifier } from '../../../src/main/bindings/lan-key';
import { LanAnnouncer } from '../../../src/main/services/providers/announce';
import { LanDiscovery } from '../../../src/main/services/providers/discovery';
import { bonjourMdns } from '../../../src/main/services/providers/lan-mdns';
import { FakeLan } from '../../helpers/fake-mdns';
import { sourceEngineLauncher } from '../../helpers/engine';
import { makeTempDir } from '../../helpers/temp-dir';

/** The desktop Server page's switches drive the LAN announcement: the real app and binding, a fake LAN. */
describe('announcing the desktop app on the LAN', () => {
  const dir = makeTempDir();
  const lan = new FakeLan();
  let app: HearthApp;
  let control: ServerControl;

  beforeAll(() => {
    const rendererDir = join(dir.path, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hearth</title>');
    app = createHearthApp({
      dataDir: join(dir.path, 'data'),
      runtime: { runtime: 'desktop', version: '1.2.3', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      externalRoots: null,
      log: () => {},
      mdns: () => lan.mdns(),
    });
    control = desktopServer(app, rendererDir, () => {});
  });
  afterAll(async () => {
    await control.close();
    await app.close();
    dir.cleanup();
  });

  it('announces only while shared, never the key, and says goodbye when sharing goes off', async () => {
    await app.server.configure({ enabled: true, port: 0 });
    // On loopback only: nothing on the LAN, not even an open socket.
    expect(lan.announced()).toEqual([]);
    expect(lan.open).toBe(0);

    const { key } = await app.server.configure({ lanSharing: true });
    expect(key).toBeTruthy();
    const port = app.server.status().port!;
    const [advert, ...others] = lan.announced();
    expect(others).toEqual([]);
    expect(advert).toMatchObject({
      type: 'hearth',
      port,
      txt: { version: '1.2.3', auth: 'key', api: '/v1' },
    });
    expect(Object.keys(advert!.txt).sort()).toEqual(['api', 'auth', 'id', 'machine', 'txtvers', 'version']);
    const wire = JSON.stringify(advert);
    expect(wire).not.toContain(key!);
    expect(wire).not.toContain(keyVerifier(key!));

    // The desktop binding answers /metrics with the key (another Hearth reads its monitor there).
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('hearth_monitor_up');

    // A new key: still one announcement, still no key in it.
    const revoked = await app.server.revokeKey();
    expect(lan.announced()).toHaveLength(1);
    expect(JSON.stringify(lan.announced())).not.toContain(revoked.key!);

    await app.server.configure({ lanSharing: false });
    expect(lan.announced()).toEqual([]);
    expect(lan.open).toBe(0);
    await app.server.configure({ lanSharing: true });
    expect(lan.announced()).toHaveLength(1);
    await app.server.configure({ enabled: false });
    expect(lan.announced()).toEqual([]);
    expect(lan.open).toBe(0);
  });

  it('lists what another machine announces through the route, cleaned', async () => {
    lan.inject({
      name: 'x',
      port: 7860,
      refererAddress: '192.0.2.77',
      addresses: [],
      rawTxt: [Buffer.from('machine=studio\u202E'), Buffer.from('version=0.9.0'), Buffer.from('auth=key')],
    });
    const result = await app.router.invoke('providers.discovered', {});
    expect(result).toEqual({
      ok: true,
      value: [
        {
          name: 'studio',
          host: '192.0.2.77',
          port: 7860,
          baseUrl: 'http://192.0.2.77:7860',
          version: '0.9.0',
          keyRequired: true,
        },
      ],
    });
  });
});

/** The real library on this machine's network (multicast works in this sandbox and on Linux CI runners). */
describe('mDNS through bonjour-service', () => {
  it('finds a Hearth another process-side socket announces, and loses it on goodbye', async () => {
    const announcer = new LanAnnouncer({
      mdns: () => bonjourMdns(),
      version: '7.7.7',
      instanceId: '99999999-8888-4777-8666-555555555555',
      machineName: () => 'hearth-mdns-test',
    });
    const discovery = new LanDiscovery({
      mdns: () => bonjourMdns(),
      ownInstanceId: '00000000-1111-4222-8333-444444444444',
      firstWaitMs: 200,
      requeryMs: 0,
    });
    try {
      const port = 40_000 + Math.floor(Math.random() * 20_000);
      await announcer.set({ port, keyRequired: true, api: true });
      await expect
        .poll(async () => (await discovery.list()).find((h) => h.port === port), {
          timeout: 15_000,
          interval: 500,
        })
        .toMatchObject({ name: 'hearth-mdns-test', version: '7.7.7', keyRequired: true });
      await announcer.set(null);
      await expect
        .poll(async () => (await discovery.list()).some((h) => h.port === port), {
          timeout: 15_000,
          interval: 500,
        })
        .toBe(false);
    } finally {
      await announcer.close();
      await discovery.close();
    }
  });
});
