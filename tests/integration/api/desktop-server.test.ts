import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desktopServer } from '../../../src/main/api/desktop-server';
import type { ServerControl } from '../../../src/main/api/server-control';
import { createHearthApp, type HearthApp } from '../../../src/main/app/hearth-app';
import { sourceEngineLauncher } from '../../helpers/engine';
import { makeTempDir } from '../../helpers/temp-dir';

/** The desktop app's API as the Server page drives it: the real app, the real binding, real HTTP. */
describe('the desktop Server page: port and allowed origins', () => {
  const dir = makeTempDir();
  let app: HearthApp;
  let control: ServerControl;
  const free = async (): Promise<number> => {
    const { createServer } = await import('node:net');
    return new Promise((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
  };
  const preflight = (port: number, origin: string) =>
    fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });

  beforeAll(() => {
    const rendererDir = join(dir.path, 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hearth</title>');
    app = createHearthApp({
      dataDir: join(dir.path, 'data'),
      runtime: { runtime: 'server', version: 'test', versions: { node: process.versions.node } },
      engineLauncher: sourceEngineLauncher(),
      externalRoots: null,
      log: () => {},
    });
    control = desktopServer(app, rendererDir, () => {});
  });
  afterAll(async () => {
    await control.close();
    await app.close();
    dir.cleanup();
  });

  it('moves to the port the person picks, and the old one stops answering', async () => {
    const [first, second] = [await free(), await free()];
    await app.server.configure({ enabled: true, port: first });
    expect(app.server.status()).toMatchObject({ running: true, port: first });
    expect((await fetch(`http://127.0.0.1:${first}/v1/models`)).status).toBe(200);
    await app.server.configure({ port: second });
    expect(app.server.status()).toMatchObject({ running: true, port: second });
    expect((await fetch(`http://127.0.0.1:${second}/v1/models`)).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${first}/v1/models`)).rejects.toThrow();
  });

  it('lets the origins the person lists call the API, and no other', async () => {
    const { status } = await app.server.configure({ allowedOrigins: ['http://LOCALHOST:3000 '] });
    expect(status.allowedOrigins).toEqual(['http://localhost:3000']);
    const port = status.port!;
    const listed = await preflight(port, 'http://localhost:3000');
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const other = await preflight(port, 'http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // Never "*", and a bad value changes nothing.
    await expect(app.server.configure({ allowedOrigins: ['*'] })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    expect(app.server.status().allowedOrigins).toEqual(['http://localhost:3000']);
    // Taken back: the page's origin list is the API's.
    await app.server.configure({ allowedOrigins: [] });
    expect(
      (await preflight(port, 'http://localhost:3000')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });
});
