import { describe, expect, it } from 'vitest';
import { resolveInside } from '../../../../src/main/bindings/static-files';

describe('static file paths', () => {
  it('resolves inside the renderer folder', () => {
    expect(resolveInside('/srv/r', '/assets/a.js')).toBe('/srv/r/assets/a.js');
    expect(resolveInside('/srv/r', '/')).toBe('/srv/r');
  });

  it('never escapes it', () => {
    for (const path of [
      '/../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/../../x',
      '/a%00b',
      '/%E0%A4%A',
    ]) {
      const resolved = resolveInside('/srv/r', path);
      if (resolved !== undefined) expect(resolved.startsWith('/srv/r/')).toBe(true);
    }
    expect(resolveInside('/srv/r', '/..%2f..%2fetc/passwd')).toBe('/srv/r/etc/passwd');
    expect(resolveInside('/srv/r', '/a%00b')).toBeUndefined();
  });
});
