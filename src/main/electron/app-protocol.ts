import type { Protocol } from 'electron';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { contentTypeOf } from '../bindings/content-types';

/**
 * The built renderer is served from app://hearth/ instead of file://: a standard, secure origin of
 * its own, so its pages get no file:// extras and cannot read other local files (Electron security
 * checklist #18). `appHost` is the only host answered.
 */
export const appScheme = 'app';
export const appHost = 'hearth';
export const appEntryUrl = `${appScheme}://${appHost}/index.html`;

/**
 * Standard (relative URLs, its own origin and storage) and secure (a secure context, which
 * navigator.clipboard needs). No bypassCSP, and no corsEnabled, so other origins cannot read it.
 */
export const appSchemePrivileges = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

/** Sent with every HTML page, on top of index.html's meta tag; frame-ancestors works only as a header. */
export const appContentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

/** Must run before the app's 'ready' event: Chromium fixes its scheme list at startup. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { ...appSchemePrivileges } }]);
}

/** Answers app://hearth/ from `root` (out/renderer); call after 'ready'. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(appScheme, (request) => serveAppRequest(root, request));
}

type Resolved = { kind: 'file'; path: string } | { kind: 'missing' } | { kind: 'refused' };

export async function serveAppRequest(
  root: string,
  request: Pick<Request, 'url' | 'method'>,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
  const url = new URL(request.url);
  if (url.host !== appHost) return plain(404, 'Not found');
  const found = await resolveInsideRoot(root, url.pathname === '/' ? '/index.html' : url.pathname);
  if (found.kind === 'refused') return plain(403, 'Forbidden');
  if (found.kind === 'missing') return plain(404, 'Not found');
  const type = contentTypeOf(extname(found.path));
  const headers: Record<string, string> = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = appContentSecurityPolicy;
  const body = request.method === 'HEAD' ? null : await readFile(found.path);
  return new Response(body, { status: 200, headers });
}

/** The file a URL path names, judged by its real path so neither `..` nor a symlink leaves root. */
async function resolveInsideRoot(root: string, urlPath: string): Promise<Resolved> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused' };
  }
  if (decoded.includes('\0')) return { kind: 'refused' };
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return { kind: 'missing' };
  const target = resolve(realRoot, `.${decoded}`);
  if (!isInside(realRoot, target)) return { kind: 'refused' };
  const real = await realpath(target).catch(() => undefined);
  if (!real) return { kind: 'missing' };
  if (!isInside(realRoot, real)) return { kind: 'refused' };
  const info = await stat(real).catch(() => undefined);
  return info?.isFile() ? { kind: 'file', path: real } : { kind: 'missing' };
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}
