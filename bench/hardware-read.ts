import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchContext } from './common';

const run = promisify(execFile);

const probe = `
import { HardwareService } from './src/main/services/hardware/hardware-service.ts';
const service = new HardwareService({ modelsDir: () => process.cwd() });
let t = performance.now();
const cold = await service.get();
const coldMs = performance.now() - t;
t = performance.now();
await service.get();
const cachedMs = performance.now() - t;
console.log(JSON.stringify({ coldMs, cachedMs, gpus: cold.gpus.length, backends: cold.backends }));
`;

/** Cold (first, in a fresh process) and cached reads of the hardware profile. Target: cold < 1.5 s. */
export async function hardwareRead(ctx: BenchContext): Promise<Record<string, unknown>> {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    ctx.progress(`fresh process ${i + 1}/5`);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe]);
    runs.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { coldMs: number; cachedMs: number });
  }
  const cold = runs.map((r) => r.coldMs).sort((a, b) => a - b);
  const median = cold[Math.floor(cold.length / 2)] ?? NaN;
  return {
    target: 'cold read < 1500 ms',
    coldMedianMs: Math.round(median),
    coldMaxMs: Math.round(cold.at(-1) ?? NaN),
    cachedMedianMs: runs.map((r) => r.cachedMs).sort((a, b) => a - b)[2],
    withinTarget: median < 1500,
    runs,
  };
}
