import { describe, expect, it } from 'vitest';
import { ownHostNames } from '../../../../src/main/bindings/host-names';

describe("the machine's own host names", () => {
  it('writes addresses as a Host header does, with the host name and its .local name', () => {
    const names = ownHostNames({
      addresses: () => ['127.0.0.1', '192.168.1.20', 'fe80::1a2b%eth0', '2001:DB8::7'],
      hostname: () => 'Den-PC.lan.',
    });
    expect(names).toEqual(
      expect.arrayContaining([
        '192.168.1.20',
        '[fe80::1a2b]',
        '[2001:db8::7]',
        'den-pc.lan',
        'den-pc',
        'den-pc.local',
      ]),
    );
    expect(names.some((n) => n.includes('%'))).toBe(false);
  });

  it('does without a host name', () => {
    expect(ownHostNames({ addresses: () => ['10.0.0.5'], hostname: () => '' })).toEqual(['10.0.0.5']);
  });
});
