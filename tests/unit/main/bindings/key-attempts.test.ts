import { describe, expect, it } from 'vitest';
import { clientOf, KeyAttempts } from '../../../../src/main/bindings/key-attempts';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('wrong-key slowdown', () => {
  it('lets a few wrong keys through, then makes the client wait longer after each one', () => {
    const time = clock();
    const attempts = new KeyAttempts({ freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000, now: time.now });
    const ip = '192.168.1.50';
    attempts.failed(ip);
    attempts.failed(ip);
    expect(attempts.waitMs(ip)).toBe(0);
    attempts.failed(ip);
    const waits = [attempts.waitMs(ip)];
    for (let i = 0; i < 5; i++) {
      time.advance(attempts.waitMs(ip));
      expect(attempts.waitMs(ip)).toBe(0);
      attempts.failed(ip);
      waits.push(attempts.waitMs(ip));
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    // Another client is not held up by this one.
    expect(attempts.waitMs('192.168.1.51')).toBe(0);
  });

  it('forgets a client after the right key, or after a quiet while', () => {
    const time = clock();
    const attempts = new KeyAttempts({ freeFailures: 1, forgetAfterMs: 60_000, now: time.now });
    attempts.failed('10.0.0.2');
    expect(attempts.waitMs('10.0.0.2')).toBeGreaterThan(0);
    attempts.succeeded('10.0.0.2');
    expect(attempts.waitMs('10.0.0.2')).toBe(0);
    attempts.failed('10.0.0.3');
    time.advance(60_001);
    expect(attempts.waitMs('10.0.0.3')).toBe(0);
    attempts.failed('10.0.0.3');
    // Counting starts over: one free failure again means one wait of the base delay.
    expect(attempts.waitMs('10.0.0.3')).toBe(1000);
  });

  it('remembers a bounded number of clients, however many addresses guess', () => {
    const attempts = new KeyAttempts({ maxClients: 100, freeFailures: 1 });
    const address = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    for (let i = 0; i < 5000; i++) attempts.failed(address(i));
    expect(attempts.size).toBe(100);
    // The ones idle longest are forgotten first; the latest still wait.
    expect(attempts.waitMs(address(0))).toBe(0);
    expect(attempts.waitMs(address(4999))).toBeGreaterThan(0);
  });

  it('counts an IPv6 /64 as one client, and IPv4-mapped addresses as IPv4', () => {
    expect(clientOf('::ffff:192.168.1.7')).toBe('192.168.1.7');
    expect(clientOf('192.168.1.7')).toBe('192.168.1.7');
    expect(clientOf('2001:db8:1:2::1')).toBe(clientOf('2001:0db8:0001:0002:ffff:eeee:dddd:cccc'));
    expect(clientOf('2001:db8:1:2::1')).not.toBe(clientOf('2001:db8:1:3::1'));
    expect(clientOf('fe80::1%eth0')).toBe(clientOf('fe80::2'));
    expect(clientOf('::1')).toBe('0:0:0:0::/64');
    const attempts = new KeyAttempts({ freeFailures: 2 });
    attempts.failed('2001:db8:1:2::aaaa');
    attempts.failed('2001:db8:1:2::bbbb');
    expect(attempts.waitMs('2001:db8:1:2::cccc')).toBeGreaterThan(0);
  });
});
