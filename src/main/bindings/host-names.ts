import { hostname, networkInterfaces } from 'node:os';

/** Where the machine's own names come from; tests pass fake ones. */
export interface MachineNames {
  addresses: () => string[];
  hostname: () => string;
}

export const systemMachineNames: MachineNames = {
  addresses: () =>
    Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address)),
  hostname,
};

/**
 * The names LAN clients reach this machine by, as a Host header writes them: each interface
 * address (IPv6 in brackets), the host name, and its mDNS `.local` name.
 */
export function ownHostNames(names: MachineNames): string[] {
  const found: string[] = [];
  for (const address of names.addresses()) {
    // Browsers never send an IPv6 zone (%eth0) in Host.
    const bare = address.split('%')[0] ?? address;
    found.push(bare.includes(':') ? `[${bare}]` : bare);
  }
  const host = names.hostname().trim().toLowerCase().replace(/\.$/, '');
  if (host) {
    const short = host.split('.')[0] ?? host;
    found.push(host, short, `${short}.local`);
  }
  return found.map((name) => name.toLowerCase());
}
