import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contentTypeOf } from './content-types';

/** Resolves a URL path inside root, or undefined when it would escape it. */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const base = resolve(root);
  const target = resolve(join(base, normalize(decoded)));
  return target === base || target.startsWith(base + sep) ? target : undefined;
}

/** A file to serve, opened only when its real path (links followed) is inside the real root. */
async function openInside(
  realRoot: string,
  file: string,
): Promise<{ handle: FileHandle; size: number } | undefined> {
  const real = await realpath(file).catch(() => undefined);
  if (!real?.startsWith(realRoot + sep)) return undefined;
  // Non-blocking: a FIFO in the folder cannot hang the server; only regular files are served.
  const handle = await open(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(() => undefined);
  if (!handle) return undefined;
  const info = await handle.stat().catch(() => undefined);
  if (info?.isFile()) return { handle, size: info.size };
  await handle.close();
  return undefined;
}

/** Serves a built single-page app: files as they are, anything else falls back to index.html. */
export async function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  let file = resolveInside(root, urlPath);
  if (!file) {
    res.writeHead(400, headers).end('Bad path');
    return;
  }
  const realRoot = await realpath(root).catch(() => resolve(root));
  let opened = await openInside(realRoot, file);
  if (!opened) {
    // Unknown paths are app routes; missing assets (with an extension) are real 404s.
    if (extname(file)) {
      res.writeHead(404, headers).end('Not found');
      return;
    }
    file = join(root, 'index.html');
    opened = await openInside(realRoot, file);
    if (!opened) {
      res
        .writeHead(503, { ...headers, 'Content-Type': 'text/plain' })
        .end('The renderer is not built: run npm run build');
      return;
    }
  }
  const type = contentTypeOf(extname(file));
  const cache = file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, {
    ...headers,
    'Content-Type': type,
    'Content-Length': opened.size,
    'Cache-Control': cache,
  });
  // pipeline closes the file when the client goes away mid-download.
  await pipeline(opened.handle.createReadStream(), res).catch(() => undefined);
}
