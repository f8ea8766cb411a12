import { afterEach, describe, expect, it } from 'vitest';
import { LanAnnouncer } from '../../../../src/main/services/providers/announce';
import { cleanName, parseTxt } from '../../../../src/main/services/providers/announcement-txt';
import { LanDiscovery } from '../../../../src/main/services/providers/discovery';
import { FakeLan } from '../../../helpers/fake-mdns';

const ids = { here: '11111111-2222-4333-8444-555555555555', there: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' };

describe('announcing this Hearth on the LAN', () => {
  it('opens no socket and announces nothing until sharing is on, and says goodbye when it goes off', async () => {
    const lan = new FakeLan();
    const announcer = new LanAnnouncer({
      mdns: () => lan.mdns(),
      version: '0.4.0',
      instanceId: ids.here,
      machineName: () => 'gpu-box',
    });
    expect(lan.open).toBe(0);
    await announcer.set({ port: 7860, keyRequired: true, api: true });
    expect(lan.announced()).toEqual([
      {
        name: 'Hearth on gpu-box:7860',
        type: 'hearth',
        port: 7860,
        txt: { txtvers: '1', version: '0.4.0', machine: 'gpu-box', auth: 'key', id: ids.here, api: '/v1' },
      },
    ]);
    // The same state again changes nothing; a new port replaces the announcement (never two).
    await announcer.set({ port: 7860, keyRequired: true, api: true });
    await announcer.set({ port: 7861, keyRequired: true, api: false });
    expect(lan.announced().map((a) => [a.port, a.txt.api])).toEqual([[7861, undefined]]);
    await announcer.set(null);
    expect(lan.announced()).toEqual([]);
    expect(lan.open).toBe(0);
  });

  it('survives quick off/on toggles with exactly the last state announced', async () => {
    const lan = new FakeLan();
    const announcer = new LanAnnouncer({ mdns: () => lan.mdns(), version: '1.0.0', instanceId: ids.here });
    const sharing = { port: 9000, keyRequired: true, api: true };
    await Promise.all([announcer.set(sharing), announcer.set(null), announcer.set(sharing)]);
    expect(lan.announced()).toHaveLength(1);
    expect(lan.open).toBe(1);
    await announcer.close();
    expect(lan.open).toBe(0);
  });

  it('cleans the machine name it sends (no control or direction characters, one DNS label long)', () => {
    expect(cleanName('my\u202Egpj.exe\nbox\u0000')).toBe('mygpj.exe box');
    expect(cleanName('x'.repeat(300))).toHaveLength(63);
  });
});

describe('finding other Hearths on the LAN', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  function setup(lan = new FakeLan()) {
    const discovery = new LanDiscovery({
      mdns: () => lan.mdns('192.0.2.1'),
      ownInstanceId: ids.here,
      firstWaitMs: 0,
    });
    closers.push(() => discovery.close());
    return { lan, discovery };
  }

  async function announce(lan: FakeLan, address: string, instanceId: string, port = 7860) {
    const announcer = new LanAnnouncer({
      mdns: () => lan.mdns(address),
      version: '0.4.0',
      instanceId,
      machineName: () => 'gpu-box',
    });
    await announcer.set({ port, keyRequired: true, api: true });
    closers.push(() => announcer.close());
    return announcer;
  }

  it('lists another machine by the address its answer came from, and leaves itself out', async () => {
    const { lan, discovery } = setup();
    await announce(lan, '192.0.2.20', ids.there);
    await announce(lan, '192.0.2.1', ids.here, 7861);
    expect(await discovery.list()).toEqual([
      {
        name: 'gpu-box',
        host: '192.0.2.20',
        port: 7860,
        baseUrl: 'http://192.0.2.20:7860',
        version: '0.4.0',
        keyRequired: true,
      },
    ]);
  });

  it('drops a Hearth once it stops announcing', async () => {
    const { lan, discovery } = setup();
    const there = await announce(lan, '192.0.2.20', ids.there);
    expect(await discovery.list()).toHaveLength(1);
    await there.set(null);
    expect(await discovery.list()).toEqual([]);
  });

  it('refuses hostile answers and cleans what it shows', async () => {
    const { lan, discovery } = setup();
    const txt = (...entries: string[]) => entries.map((e) => Buffer.from(e));
    const base = {
      name: 'x',
      port: 7860,
      refererAddress: '192.0.2.30',
      addresses: [],
      rawTxt: txt('machine=ok'),
    };
    // Refused whole: a bad port, no usable address, TXT over the limits or of the wrong type.
    for (const port of [0, 70000, 80.5, '7860', null]) lan.inject({ ...base, port });
    for (const refererAddress of ['evil.example', '127.0.0.1; rm -rf /', 'fe80::1', '', 42])
      lan.inject({ ...base, refererAddress, addresses: ['not-an-ip'] });
    lan.inject({ ...base, rawTxt: txt(`machine=${'a'.repeat(300)}`) });
    lan.inject({ ...base, rawTxt: txt(...Array.from({ length: 17 }, (_, i) => `k${i}=v`)) });
    lan.inject({ ...base, rawTxt: 'machine=ok' });
    lan.inject({ ...base, rawTxt: [{ toString: () => 'machine=ok' }] });
    // Shown, cleaned: a spoofed A record loses to the referer; bad fields become safe defaults.
    lan.inject({
      name: 'ignored',
      port: 8000,
      refererAddress: '192.0.2.40',
      addresses: ['127.0.0.1', '10.0.0.1'],
      rawTxt: txt(
        '__proto__=polluted',
        'machine=Boss\u202E\u0007 PC',
        'version=<script>alert(1)</script>',
        'auth=maybe',
        'machine=second wins?',
        'constructor=x',
      ),
    });
    lan.inject({
      ...base,
      refererAddress: '2001:db8::5',
      rawTxt: txt('machine=v6', 'auth=none', 'version=1.2.3'),
    });
    const found = await discovery.list();
    expect(found).toEqual([
      {
        name: 'Boss PC',
        host: '192.0.2.40',
        port: 8000,
        baseUrl: 'http://192.0.2.40:8000',
        version: null,
        keyRequired: true,
      },
      {
        name: 'v6',
        host: '2001:db8::5',
        port: 7860,
        baseUrl: 'http://[2001:db8::5]:7860',
        version: '1.2.3',
        keyRequired: false,
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('keeps a flood of announcements to a bounded list', async () => {
    const { lan, discovery } = setup();
    for (let i = 0; i < 500; i++)
      lan.inject({
        name: `n${i}`,
        port: 1000 + i,
        refererAddress: '192.0.2.50',
        addresses: [],
        rawTxt: [Buffer.from(`machine=flood ${i}`)],
      });
    expect((await discovery.list()).length).toBe(32);
  });

  it('browses only while asked: the socket opens on the first ask and closes after the lease', async () => {
    const lan = new FakeLan();
    const discovery = new LanDiscovery({
      mdns: () => lan.mdns(),
      ownInstanceId: ids.here,
      firstWaitMs: 0,
      leaseMs: 50,
    });
    expect(lan.open).toBe(0);
    await discovery.list();
    expect(lan.open).toBe(1);
    await expect.poll(() => lan.open, { timeout: 2000 }).toBe(0);
    expect(discovery.active()).toBe(false);
    // Asked again, it opens again.
    await discovery.list();
    expect(lan.open).toBe(1);
    await discovery.close();
    expect(lan.open).toBe(0);
  });
});

describe('the TXT reader', () => {
  it('keeps the first of a repeated key and ignores unknown keys', () => {
    const txt = parseTxt([Buffer.from('machine=a'), Buffer.from('machine=b'), Buffer.from('secret=x')]);
    expect(txt && Object.fromEntries(txt)).toEqual({ machine: 'a' });
  });
  it('refuses a record over 1300 bytes in all', () => {
    expect(
      parseTxt(Array.from({ length: 6 }, () => Buffer.from(`machine=${'a'.repeat(240)}`))),
    ).toBeUndefined();
  });
});
