import { AppError } from '../../../shared/contract';

/**
 * A base URL a person typed, checked and normalized: http or https only (never file: or others),
 * no user:password inside it (keys go in the key field, kept in the keychain), no query or fragment;
 * a trailing slash and a pasted `/v1` or `/api` are removed, since each client adds its own paths.
 */
export function normalizeBaseUrl(input: string): string {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError(
      'BAD_INPUT',
      `"${text.slice(0, 100)}" is not a URL: write it like http://gpu-box.local:7860`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AppError('BAD_INPUT', `Only http:// and https:// addresses are allowed, not ${url.protocol}`);
  if (url.username || url.password)
    throw new AppError(
      'BAD_INPUT',
      'Put the key in the key field, not in the URL (user:password@ is refused)',
    );
  if (url.search || url.hash)
    throw new AppError('BAD_INPUT', 'The URL must not have a query (?…) or fragment (#…)');
  if (!url.hostname) throw new AppError('BAD_INPUT', 'The URL needs a host name');
  const path = url.pathname.replace(/\/+$/, '').replace(/\/(v1|api)$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** How a person recognizes the machine in an error: its host and port. */
export const hostOf = (baseUrl: string): string => {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
};
