/**
 * Measures memory bandwidth with large buffer copies (each byte read once and written once).
 * One thread, so it is a floor: llama.cpp's threads together read faster, which the speed model's
 * efficiency factor accounts for.
 */
export function measureRamBandwidthGBs(bytes = 64 * 1024 * 1024, rounds = 4): number {
  const source = Buffer.alloc(bytes, 1);
  const target = Buffer.allocUnsafe(bytes);
  source.copy(target); // fault the pages in before timing
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    source.copy(target);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return (2 * bytes) / best / 1e9;
}

/** Bandwidth from the memory type and speed when it cannot be measured: MT/s x 8 bytes x 2 channels. */
export function estimatedRamBandwidthGBs(speedMts: number | null): number {
  return ((speedMts && speedMts > 0 ? speedMts : 3200) * 8 * 2) / 1000;
}
