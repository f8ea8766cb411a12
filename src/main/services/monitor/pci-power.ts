import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PciDisplayDevice {
  /** "0000:01:00.0" */
  bus: string;
  /** Runtime PM: "suspended" when a laptop's switchable GPU is powered down. */
  runtimeStatus: string | null;
}

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

/**
 * Display controllers (PCI class 0x03xxxx) of one vendor under `<sysRoot>/bus/pci/devices`, with
 * their runtime power state. Reading these files never wakes the device, unlike asking its driver.
 */
export function pciDisplayDevices(sysRoot: string, vendorId: string): PciDisplayDevice[] {
  const dir = join(sysRoot, 'bus', 'pci', 'devices');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((bus) => {
      const device = join(dir, bus);
      return (
        readText(join(device, 'vendor'))?.toLowerCase() === vendorId &&
        (readText(join(device, 'class')) ?? '').startsWith('0x03')
      );
    })
    .map((bus) => ({ bus, runtimeStatus: readText(join(dir, bus, 'power', 'runtime_status')) }));
}

export const nvidiaVendorId = '0x10de';
export const amdVendorId = '0x1002';
