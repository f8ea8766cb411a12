/**
 * `npm run bench -- monitor`: what watching costs. The sampler's own CPU at 1 Hz over 60 s (as a
 * share of one core, target < 1 %), without and with fake GPUs (nvidia-smi in loop mode); the
 * generation speed with the monitor watched against not, paired in one run (target >= 0.99); and
 * the window's main-thread busy share while a reply streams, with the strip and full view updating.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HardwareService } from '../src/main/services/hardware/hardware-service';
import { createMonitor } from '../src/main/services/monitor/create-monitor';
import { installFakeGpuTools } from '../tests/fixtures/gpu/fake-tools';
import { fakeGpuProfiles } from '../tests/fixtures/gpu/gpu-profiles';
import { writeLlamaModel } from '../tests/fixtures/gguf';
import { benchApp, benchCacheDir, type BenchContext } from './common';
import { cachedFile } from './cached-file';
import { monitorUiBench } from './monitor-ui';

const samplerSeconds = Number(process.env.HEARTH_BENCH_MONITOR_SECONDS ?? 60);
const pairs = 8;
const generate = 1024;
// One of the two cores of the bench machine: both would make any other work, ours or not, stall it.
const threads = 1;
const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) of processes started from `bin`, from /proc (Linux only). */
function toolCpuSeconds(bin: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(bin)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // It ended meanwhile.
    }
  }
  return ticks / 100;
}

/** This process's CPU while the monitor samples at 1 Hz (or, for the baseline, does not). */
async function samplerCpu(ctx: BenchContext, label: string, watch: boolean, seconds: number, bin?: string) {
  const hardware = new HardwareService({
    modelsDir: () => benchCacheDir,
    ramBandwidthGBs: () => Number.NaN,
    gpuBackends: () => Promise.resolve([]),
  });
  const profile = await hardware.get();
  let samples = 0;
  const monitor = createMonitor({
    hardware,
    intervalMs: () => 1000,
    engines: () => [],
    emit: () => samples++,
  });
  ctx.progress(`${label}: ${seconds} s${watch ? ' watched' : ' not watched'}`);
  if (watch) monitor.watch('bench', 10 * 60_000);
  // The sampler starts its tools first; their start is not the steady cost.
  await wait(2000);
  const tool0 = bin ? toolCpuSeconds(bin) : 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const samples0 = samples;
  await wait(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const wallS = (performance.now() - t0) / 1000;
  const tool = bin ? toolCpuSeconds(bin) - tool0 : 0;
  monitor.close();
  return {
    gpus: profile.gpus.map((g) => g.model),
    seconds: round(wallS, 1),
    samples: samples - samples0,
    cpuShareOfOneCorePct: round(((cpu.user + cpu.system) / 1e6 / wallS) * 100),
    ...(bin ? { fakeNvidiaSmiCpuShareOfOneCorePct: round((tool / wallS) * 100) } : {}),
  };
}

/** The app with its engine from source, as `hearth serve` runs it, on the CPU. */
async function generationWatchedVsNot(ctx: BenchContext, dir: string) {
  const modelPath = join(dir, 'medium-Q4_0.gguf');
  if (!existsSync(modelPath)) {
    ctx.progress('writing a ~100M-parameter Q4_0 model');
    cachedFile(modelPath, (temp) =>
      writeLlamaModel(temp, {
        weightType: 'Q4_0',
        seed: 11,
        shape: {
          name: 'Bench Medium',
          embedding: 1024,
          layers: 8,
          heads: 16,
          kvHeads: 4,
          feedForward: 2816,
          vocab: 0,
          contextLength: 4096,
          ropeFreqBase: 10000,
          tiedEmbeddings: false,
        },
      }),
    );
  }
  const dataDir = join(dir, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  const app = benchApp(dataDir);
  try {
    await app.engine.load({ modelPath, contextSize: 2048, gpuLayers: 0, threads });
    let n = 0;
    const run = async (): Promise<number> => {
      const result = await app.router.invoke('engine.chat', {
        requestId: `bench-${n}`,
        messages: [{ role: 'user', content: `story number ${n++}, please` }],
        sampling: { temperature: 0, maxTokens: generate },
        ignoreEos: true,
      });
      if (!result.ok) throw new Error(result.error.message);
      return (result.value as { stats: { generationTokensPerSecond: number } }).stats
        .generationTokensPerSecond;
    };
    const setWatched = async (on: boolean): Promise<void> => {
      if (on) app.monitor.watch('bench', 10 * 60_000);
      else app.monitor.unwatch('bench');
      // Let nvidia-smi start (or stop) before the measured reply.
      await wait(1500);
    };
    await run();
    const watched: number[] = [];
    const unwatched: number[] = [];
    for (let pair = 0; pair < pairs; pair++) {
      // ABBA: which goes first alternates, so drift on a shared machine hits both alike.
      for (const on of pair % 2 === 0 ? [false, true] : [true, false]) {
        await setWatched(on);
        (on ? watched : unwatched).push(await run());
      }
      ctx.progress(
        `pair ${pair + 1}/${pairs}: watched ${watched.at(-1)!.toFixed(1)} tok/s, not ${unwatched.at(-1)!.toFixed(1)} tok/s`,
      );
    }
    await setWatched(false);
    return {
      model: `~100M parameters (8 layers, 1024 wide), Q4_0, CPU, ${threads} thread(s)`,
      generatedTokens: generate,
      gpus: 'fake RTX 4090 (nvidia-smi in loop mode while watched)',
      watchedTps: round(median(watched), 2),
      unwatchedTps: round(median(unwatched), 2),
      ratio: round(median(watched) / median(unwatched)),
      pairedRatios: watched.map((w, i) => round(w / unwatched[i]!)),
      target: 0.99,
    };
  } finally {
    await app.close();
  }
}

export async function monitorBench(ctx: BenchContext): Promise<Record<string, unknown>> {
  const dir = join(benchCacheDir, 'monitor');
  mkdirSync(dir, { recursive: true });
  const bin = installFakeGpuTools(join(dir, 'bin'), fakeGpuProfiles.rtx4090);
  const path = process.env.PATH;
  const idle = await samplerCpu(ctx, 'idle baseline', false, 20);
  const withoutGpus = await samplerCpu(ctx, 'this machine', true, samplerSeconds);
  process.env.PATH = `${bin}:${path}`;
  try {
    const withGpus = await samplerCpu(ctx, 'fake RTX 4090', true, samplerSeconds, bin);
    ctx.progress('generation speed, watched against not');
    const generation = await generationWatchedVsNot(ctx, dir);
    ctx.progress('the window while a reply streams');
    const ui = await monitorUiBench(ctx);
    return {
      sampler: {
        intervalMs: 1000,
        note: 'the sampling process alone; the fake nvidia-smi is a Node script, so its own cost says nothing of the real one',
        idle,
        withoutGpus,
        withGpus,
        target: { cpuShareOfOneCorePct: 1 },
      },
      generation,
      ui,
    };
  } finally {
    process.env.PATH = path;
  }
}
