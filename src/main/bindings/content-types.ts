/** Content types of the files the built renderer is made of, for both ways it is served (app://, HTTP). */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** The type of a file by its extension (any case); unknown ones are plain bytes, never sniffed. */
export const contentTypeOf = (extension: string): string =>
  contentTypes[extension.toLowerCase()] ?? 'application/octet-stream';
