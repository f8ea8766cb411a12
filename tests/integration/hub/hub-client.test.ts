import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HubClient } from '../../../src/main/services/hub/hub-client';
import { fakeToken, startFakeHub, type FakeHub } from '../../fixtures/fake-hub/fake-hub';

const bytes = (n: number, seed = 1): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * seed) % 251));

describe('Hub client against the fake Hub', () => {
  let hub: FakeHub;
  let token: string | undefined;
  const sleeps: number[] = [];
  const client = (): HubClient =>
    new HubClient({
      endpoint: hub.url,
      token: () => token,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });

  beforeAll(async () => {
    hub = await startFakeHub([
      ...Array.from({ length: 7 }, (_, i) => ({
        id: `bartowski/Model-${i}-GGUF`,
        downloads: 1000 - i,
        files: [{ path: `Model-${i}-Q4_K_M.gguf`, content: bytes(100, i + 1) }],
      })),
      {
        id: 'hearth-test/Tiny-Chat-GGUF',
        downloads: 5,
        license: 'apache-2.0',
        gguf: { total: 1_000_000, architecture: 'llama', context_length: 4096, chat_template: '{{x}}' },
        files: [
          { path: 'README.md', content: Buffer.from('# Tiny') },
          { path: 'tiny-Q8_0.gguf', content: bytes(3000) },
          { path: 'split/tiny-F16-00001-of-00002.gguf', content: bytes(2000, 3) },
          { path: 'split/tiny-F16-00002-of-00002.gguf', content: bytes(1000, 5) },
        ],
      },
      {
        id: 'meta-llama/Gated-GGUF',
        gated: 'manual',
        files: [{ path: 'g-Q4_K_M.gguf', content: bytes(10) }],
      },
    ]);
  });
  afterAll(() => hub.close());
  beforeEach(() => {
    token = undefined;
    sleeps.length = 0;
    hub.faults = {};
  });

  it('searches GGUF repos and follows Link pagination', async () => {
    const first = await client().search({ query: 'model', limit: 3 });
    expect(first.models.map((m) => m.id)).toEqual([
      'bartowski/Model-0-GGUF',
      'bartowski/Model-1-GGUF',
      'bartowski/Model-2-GGUF',
    ]);
    expect(first.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/models\?.*cursor=/);
    const seen = [...first.models];
    let next = first.next;
    while (next) {
      const page = await client().search({ cursor: next });
      seen.push(...page.models);
      next = page.next;
    }
    expect(seen).toHaveLength(7);
    expect(hub.stats.requests.some((r) => r.includes('filter=gguf'))).toBe(true);
  });

  it('refuses a cursor that points anywhere but the Hub', async () => {
    await expect(client().search({ cursor: 'http://evil.example/api/models?x' })).rejects.toThrow(/cursor/);
  });

  it('reads model info: files with sizes and sha256, licence, the gguf summary', async () => {
    const info = await client().modelInfo('hearth-test/Tiny-Chat-GGUF');
    expect(info.license).toBe('apache-2.0');
    expect(info.gguf).toEqual({
      parameters: 1_000_000,
      architecture: 'llama',
      contextLength: 4096,
      hasChatTemplate: true,
    });
    expect(info.sha).toMatch(/^[0-9a-f]{40}$/);
    const q8 = info.files.find((f) => f.path === 'tiny-Q8_0.gguf');
    expect(q8).toMatchObject({ size: 3000, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("reads a file's commit, sha256 and size from the 302 without downloading it", async () => {
    const meta = await client().fileMetadata('hearth-test/Tiny-Chat-GGUF', 'main', 'tiny-Q8_0.gguf');
    const info = await client().modelInfo('hearth-test/Tiny-Chat-GGUF');
    expect(meta).toMatchObject({
      size: 3000,
      commit: info.sha,
      etag: info.files.find((f) => f.path === 'tiny-Q8_0.gguf')?.sha256,
    });
    expect(meta.location).toContain('/_cdn/');
    expect(hub.stats.cdnBytes).toBe(0);
  });

  it('explains missing repos and files', async () => {
    await expect(client().modelInfo('nobody/Nothing-GGUF')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/no such model repo/),
    });
    await expect(
      client().fileMetadata('hearth-test/Tiny-Chat-GGUF', 'main', 'nope.gguf'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('explains gated repos, and reads them with an approved token', async () => {
    await expect(
      client().fileMetadata('meta-llama/Gated-GGUF', 'main', 'g-Q4_K_M.gguf'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/gated.*token/),
    });
    token = fakeToken();
    hub.tokens.set(token, { approved: false });
    await expect(
      client().fileMetadata('meta-llama/Gated-GGUF', 'main', 'g-Q4_K_M.gguf'),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    hub.tokens.set(token, { approved: true });
    await expect(
      client().fileMetadata('meta-llama/Gated-GGUF', 'main', 'g-Q4_K_M.gguf'),
    ).resolves.toMatchObject({ size: 10 });
    token = fakeToken();
    await expect(client().modelInfo('hearth-test/Tiny-Chat-GGUF')).rejects.toMatchObject({
      message: expect.stringMatching(/token was refused/),
    });
  });

  it('honours rate limits: waits as told, then succeeds', async () => {
    hub.faults = { rateLimited: 2, retryAfterSeconds: 3 };
    const info = await client().modelInfo('hearth-test/Tiny-Chat-GGUF');
    expect(info.id).toBe('hearth-test/Tiny-Chat-GGUF');
    // RateLimit: "api";r=0;t=3 -> wait t + 1 seconds, twice.
    expect(sleeps).toEqual([4000, 4000]);
  });

  it('rejects repo ids and paths that could escape the models folder', () => {
    const c = client();
    for (const repo of ['../etc/passwd', 'a/../../b', 'owner/na--me', '/abs/olute', 'just-a-name', 'a/b/c']) {
      expect(() => c.resolveUrl(repo, 'main', 'x.gguf')).toThrow(/not a Hugging Face repo id/);
    }
    for (const path of [
      '../x.gguf',
      'a/../../x.gguf',
      '/etc/passwd',
      'a\\..\\x.gguf',
      'a//b.gguf',
      'x\0.gguf',
    ]) {
      expect(() => c.resolveUrl('a/b', 'main', path)).toThrow(/not a file path/);
    }
  });
});
