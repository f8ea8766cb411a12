import type { HardwareProfile } from '../../../shared/contract';

/** A desktop or workstation CPU people run models on without a GPU, with its source. */
export interface CpuSpec {
  name: string;
  physicalCores: number;
  logicalCores: number;
  /** All-core sustained clock (GHz), what matrix work runs at. */
  speedGHz: number;
  avx512: boolean;
  /** Memory channels and speed the platform ships with (used when the query names none). */
  channels: number;
  ddr: 4 | 5;
  defaultMts: number;
  source: string;
}

const amd = 'https://www.amd.com/en/products/specifications/processors.html';
const intel = 'https://www.intel.com/content/www/us/en/products/details/processors.html';

function cpu(
  name: string,
  physicalCores: number,
  logicalCores: number,
  speedGHz: number,
  avx512: boolean,
  channels: number,
  ddr: 4 | 5,
  defaultMts: number,
  source: string,
): CpuSpec {
  return { name, physicalCores, logicalCores, speedGHz, avx512, channels, ddr, defaultMts, source };
}

/** Ordered so a longer name ("7950X3D") is tried before its prefix ("7950X"). */
// name, cores, threads, all-core GHz, AVX-512, memory channels, DDR generation, usual MT/s, source
export const cpuSpecs: CpuSpec[] = [
  cpu('Ryzen 9 9950X3D', 16, 32, 5.0, true, 2, 5, 5600, amd),
  cpu('Ryzen 9 9950X', 16, 32, 5.0, true, 2, 5, 5600, amd),
  cpu('Ryzen 9 9900X', 12, 24, 5.0, true, 2, 5, 5600, amd),
  cpu('Ryzen 7 9800X3D', 8, 16, 5.0, true, 2, 5, 5600, amd),
  cpu('Ryzen 7 9700X', 8, 16, 5.0, true, 2, 5, 5600, amd),
  cpu('Ryzen 9 7950X3D', 16, 32, 4.8, true, 2, 5, 5200, amd),
  cpu('Ryzen 9 7950X', 16, 32, 5.0, true, 2, 5, 5200, amd),
  cpu('Ryzen 9 7900X', 12, 24, 5.0, true, 2, 5, 5200, amd),
  cpu('Ryzen 7 7800X3D', 8, 16, 4.8, true, 2, 5, 5200, amd),
  cpu('Ryzen 7 7700X', 8, 16, 5.0, true, 2, 5, 5200, amd),
  cpu('Ryzen 9 5950X', 16, 32, 4.3, false, 2, 4, 3200, amd),
  cpu('Ryzen 9 5900X', 12, 24, 4.3, false, 2, 4, 3200, amd),
  cpu('Ryzen 7 5800X3D', 8, 16, 4.2, false, 2, 4, 3200, amd),
  cpu('Ryzen 7 5800X', 8, 16, 4.4, false, 2, 4, 3200, amd),
  cpu('Ryzen 5 5600X', 6, 12, 4.4, false, 2, 4, 3200, amd),
  cpu('Threadripper PRO 7995WX', 96, 192, 3.5, true, 8, 5, 5200, amd),
  cpu('Threadripper 7980X', 64, 128, 3.8, true, 4, 5, 5200, amd),
  cpu('EPYC 9654', 96, 192, 3.1, true, 12, 5, 4800, amd),
  cpu('EPYC 9554', 64, 128, 3.4, true, 12, 5, 4800, amd),
  cpu('Core Ultra 9 285K', 24, 24, 4.6, false, 2, 5, 6400, intel),
  cpu('Core Ultra 7 265K', 20, 20, 4.6, false, 2, 5, 6400, intel),
  cpu('Core i9-14900K', 24, 32, 4.7, false, 2, 5, 5600, intel),
  cpu('Core i9-13900K', 24, 32, 4.6, false, 2, 5, 5600, intel),
  cpu('Core i7-14700K', 20, 28, 4.6, false, 2, 5, 5600, intel),
  cpu('Core i7-13700K', 16, 24, 4.5, false, 2, 5, 5600, intel),
  cpu('Core i5-14600K', 14, 20, 4.6, false, 2, 5, 5600, intel),
  cpu('Core i5-13600K', 14, 20, 4.6, false, 2, 5, 5600, intel),
  cpu('Xeon w9-3495X', 56, 112, 3.5, true, 8, 5, 4800, intel),
];

const tokens = (s: string): string =>
  ` ${s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

/** The named CPU ("ryzen 9 7950x", "i9-14900K", "7950X") or undefined. */
export function findCpuSpec(text: string): CpuSpec | undefined {
  const have = tokens(text);
  // Match on the model number, ignoring brand words people leave out; X3D parts come first in the table.
  return cpuSpecs.find((c) =>
    have.includes(
      tokens(c.name.replace(/^(ryzen \d|core (ultra \d|i\d)|threadripper( pro)?|epyc|xeon)\s*/i, '')),
    ),
  );
}

/** Memory as a query writes it: "DDR5-6000 2ch", "DDR4 3200, 4 channels", "LPDDR5X-8000 256-bit". */
export interface MemoryQuery {
  ddr: number | null;
  mts: number | null;
  channels: number | null;
}

export function parseMemoryQuery(text: string): MemoryQuery {
  const ddr = /\b(?:lp)?ddr(\d)x?\s*[- ]?\s*(\d{3,5})?\b/i.exec(text);
  const mts = ddr?.[2] ? Number(ddr[2]) : Number(/\b(\d{4,5})\s*(?:mt\/?s|mhz)\b/i.exec(text)?.[1] ?? NaN);
  const channels = /\b(\d{1,2})\s*(?:ch|chan|channels?)\b/i.exec(text)?.[1];
  // A 64-bit channel each: "256-bit" is four channels' worth.
  const bus = /\b(\d{2,4})\s*-?\s*bit\b/i.exec(text)?.[1];
  return {
    ddr: ddr?.[1] ? Number(ddr[1]) : null,
    mts: Number.isFinite(mts) && mts >= 800 && mts <= 20_000 ? mts : null,
    channels: channels ? Number(channels) : bus ? Number(bus) / 64 : null,
  };
}

/** Peak bandwidth: transfers per second x 8 bytes x channels. */
export const memoryBandwidthGBs = (mts: number, channels: number): number => (mts * 8 * channels) / 1000;

/**
 * A CPU-only machine the user names: `"Ryzen 9 7950X, DDR5-6000 2ch"`. The CPU comes from the
 * table (or stays this machine's when unknown); the memory from what the text says, else the
 * CPU's usual platform; RAM size from "64GB" in the text, else this machine's.
 */
export function namedCpu(
  base: HardwareProfile,
  query: string,
): { cpu: HardwareProfile['cpu']; ram: HardwareProfile['ram']; label: string; known: boolean } {
  const spec = findCpuSpec(query);
  const memory = parseMemoryQuery(query);
  const channels = Math.min(24, Math.max(1, memory.channels ?? spec?.channels ?? 2));
  const mts = memory.mts ?? spec?.defaultMts ?? base.ram.speedMts ?? 3200;
  const sizeGiB = /(\d+(?:\.\d+)?)\s*(?:gb|gib)\b/i.exec(query)?.[1];
  const total = sizeGiB ? Number(sizeGiB) * 1024 ** 3 : base.ram.totalBytes;
  const cpu: HardwareProfile['cpu'] = spec
    ? {
        brand: spec.name,
        physicalCores: spec.physicalCores,
        logicalCores: spec.logicalCores,
        speedGHz: spec.speedGHz,
        flags: { avx: true, avx2: true, avx512: spec.avx512, f16c: true, fma: true, neon: false },
      }
    : base.cpu;
  const known = spec !== undefined || memory.mts !== null;
  const ddr = memory.ddr ?? spec?.ddr ?? null;
  return {
    cpu,
    ram: {
      totalBytes: total,
      availableBytes: total * 0.85,
      speedMts: mts,
      bandwidthGBs: memoryBandwidthGBs(mts, channels),
      bandwidthSource: 'estimated',
    },
    label: `${spec?.name ?? cpu.brand}, ${ddr ? `DDR${ddr}-` : ''}${mts} ${channels}ch`,
    known,
  };
}
