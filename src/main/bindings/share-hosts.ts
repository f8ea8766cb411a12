import { hostname, networkInterfaces } from 'node:os';

const wildcard = new Set(['0.0.0.0', '::', '[::]']);

/** Where LAN clients can reach this server: its IPv4 addresses and mDNS name when it listens on all of them. */
export function shareHosts(host: string): string[] {
  if (!wildcard.has(host)) return [host.includes(':') ? `[${host}]` : host];
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((entry) => !entry.internal && entry.family === 'IPv4')
    .map((entry) => entry.address);
  return [...addresses, `${hostname().split('.')[0] ?? 'localhost'}.local`];
}
