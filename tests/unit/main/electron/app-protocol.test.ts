import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appContentSecurityPolicy,
  appEntryUrl,
  handleAppProtocol,
  registerAppScheme,
} from '../../../../src/main/electron/app-protocol';
import { makeTempDir } from '../../../helpers/temp-dir';
import { MockApp, MockProtocol } from '../../../mocks/electron';

describe('app:// scheme registration', () => {
  it('is standard and secure, but neither bypasses CSP nor opens itself to other origins', () => {
    const protocol = new MockProtocol(new MockApp());
    registerAppScheme(protocol as never);
    expect(protocol.privileged).toHaveLength(1);
    const [scheme] = protocol.privileged;
    expect(scheme?.scheme).toBe('app');
    expect(scheme?.privileges).toMatchObject({ standard: true, secure: true });
    expect(scheme?.privileges?.bypassCSP).toBeFalsy();
    expect(scheme?.privileges?.corsEnabled).toBeFalsy();
    expect(appEntryUrl).toBe('app://hearth/index.html');
  });
});

describe('app:// serving the built renderer', () => {
  const dir = makeTempDir();
  const root = join(dir.path, 'out', 'renderer');
  const protocol = new MockProtocol();

  beforeAll(() => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Hearth</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
    writeFileSync(join(root, 'assets', 'KaTeX_Main.woff2'), 'font');
    writeFileSync(join(root, 'favicon.svg'), '<svg/>');
    writeFileSync(join(root, 'assets', 'blob.bin'), 'x');
    // Things outside the renderer folder, including a sibling whose name starts like it.
    writeFileSync(join(dir.path, 'secret.txt'), 'TOP SECRET');
    mkdirSync(join(dir.path, 'out', 'renderer-evil'));
    writeFileSync(join(dir.path, 'out', 'renderer-evil', 'x.js'), 'evil()');
    symlinkSync(join(dir.path, 'secret.txt'), join(root, 'assets', 'link.txt'));
    handleAppProtocol(protocol as never, root);
  });
  afterAll(() => dir.cleanup());

  const get = (url: string, method = 'GET') => protocol.fetch(url, method);

  it('serves the entry page with an HTML type and the content security policy', async () => {
    for (const url of ['app://hearth/index.html', 'app://hearth/']) {
      const res = await get(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(appContentSecurityPolicy);
      expect(await res.text()).toContain('<title>Hearth</title>');
    }
  });

  it('gives scripts, styles, fonts and icons the types Chromium needs (module scripts are strict)', async () => {
    const types: Record<string, string> = {
      'app://hearth/assets/index-abc.js': 'text/javascript; charset=utf-8',
      'app://hearth/assets/index-abc.css': 'text/css; charset=utf-8',
      'app://hearth/assets/KaTeX_Main.woff2': 'font/woff2',
      'app://hearth/favicon.svg': 'image/svg+xml',
      'app://hearth/assets/blob.bin': 'application/octet-stream',
    };
    for (const [url, type] of Object.entries(types)) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(type);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBeNull();
    }
    expect(await (await get('app://hearth/assets/index-abc.js')).text()).toBe('console.log(1)');
  });

  it('refuses paths that climb out of the renderer folder, encoded or through a symlink', async () => {
    for (const url of [
      'app://hearth/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://hearth/..%2f..%2fsecret.txt',
      'app://hearth/assets%2f..%2f..%2f..%2fsecret.txt',
      'app://hearth/%2e%2e%2frenderer-evil%2fx.js',
      'app://hearth/assets/link.txt',
      'app://hearth/%2e%2e',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(403);
      const body = await res.text();
      expect(body).not.toContain('SECRET');
      expect(body).not.toContain('evil');
    }
    expect((await get('app://hearth/%E0%A4%A')).status).toBe(403);
    expect((await get('app://hearth/index.html%00.js')).status).toBe(403);
  });

  it('answers 404 for missing files, folders and other hosts', async () => {
    expect((await get('app://hearth/assets/nope.js')).status).toBe(404);
    expect((await get('app://hearth/assets/')).status).toBe(404);
    expect((await get('app://other/index.html')).status).toBe(404);
  });

  it('only reads: HEAD has no body, other methods are refused', async () => {
    const head = await get('app://hearth/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://hearth/index.html', 'POST')).status).toBe(405);
  });

  it('still serves when the renderer folder is reached through a symlink', async () => {
    const linked = join(dir.path, 'linked-renderer');
    symlinkSync(root, linked);
    const other = new MockProtocol();
    handleAppProtocol(other as never, linked);
    expect((await other.fetch('app://hearth/index.html')).status).toBe(200);
    expect((await other.fetch('app://hearth/assets/link.txt')).status).toBe(403);
  });
});

describe('content security policy header', () => {
  it('is the policy of index.html, plus frame-ancestors (which a meta tag cannot carry)', () => {
    const html = readFileSync(join(__dirname, '../../../../src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(appContentSecurityPolicy).toBe(`${meta}; frame-ancestors 'none'`);
  });
});
