import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileByteSource } from '../../src/main/services/gguf/byte-source';
import { readGgufHeader } from '../../src/main/services/gguf/gguf-reader';
import { httpByteSource } from '../../src/main/services/gguf/http-byte-source';
import { realShapes, writeShapedModel } from '../fixtures/gguf';
import { makeTempDir } from '../helpers/temp-dir';

describe('reading a GGUF header over HTTP Range', () => {
  const dir = makeTempDir();
  const path = join(dir.path, 'model.gguf');
  let server: Server;
  let base: string;
  let bytesSent = 0;
  let ignoreRange = false;

  beforeAll(async () => {
    writeShapedModel(path, realShapes.qwen25_7b, 'Q5_K_M');
    server = createServer((req, res) => {
      const size = statSync(path).size;
      if (req.url === '/page') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Sign in</html>');
        return;
      }
      const range = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '');
      if (!range || ignoreRange) {
        res.writeHead(200, { 'Content-Length': size, 'Content-Type': 'application/octet-stream' });
        createReadStream(path)
          .on('data', (c) => (bytesSent += c.length))
          .pipe(res);
        return;
      }
      const start = Number(range[1]);
      const end = Math.min(Number(range[2]), size - 1);
      res.writeHead(206, {
        'Content-Range': `bytes ${start}-${end}/${size}`,
        'Content-Length': end - start + 1,
      });
      createReadStream(path, { start, end })
        .on('data', (c) => (bytesSent += c.length))
        .pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    dir.cleanup();
  });

  it('reads the same header as the local file, fetching only the header', async () => {
    bytesSent = 0;
    const remote = await readGgufHeader(httpByteSource(`${base}/model.gguf`));
    const local = await readGgufHeader(await fileByteSource(path));
    expect(remote.tensors).toEqual(local.tensors);
    expect(remote.metadata).toEqual(local.metadata);
    expect(remote.fileSize).toBe(statSync(path).size);
    // A 5.4 GB model's header (with its 152k-token vocabulary) costs a few MB, not the model.
    expect(bytesSent).toBeLessThan(16 * 1024 * 1024);
  });

  it('says so when the server ignores Range, without downloading the model', async () => {
    ignoreRange = true;
    bytesSent = 0;
    try {
      await expect(readGgufHeader(httpByteSource(`${base}/model.gguf`))).rejects.toThrow(
        /ignores HTTP Range/,
      );
    } finally {
      ignoreRange = false;
    }
  });

  it('refuses a web page where a model should be', async () => {
    await expect(readGgufHeader(httpByteSource(`${base}/page`))).rejects.toThrow(/web page/);
  });
});
