/**
 * Checks Hearth's GPU readings and fit estimates against a real NVIDIA GPU: our hardware read vs
 * nvidia-smi, and the estimator's VRAM and speed vs llama-bench (CUDA) on generated models.
 * Usage (on the GPU machine): node gpu-check.mjs <work dir> <llama-bench path>
 * Bundle it first: npx esbuild scripts/gpu-check.ts --bundle --platform=node --format=esm --outfile=.gpu/check.mjs
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EstimatorService } from '../src/main/services/estimator/estimator-service';
import { HardwareService } from '../src/main/services/hardware/hardware-service';
import { shapes, writeLlamaModel } from '../tests/fixtures/gguf';

const [dir = '/tmp/gpu-check', llamaBench = 'llama-bench'] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
const report: Record<string, unknown> = {};
const smi = (query: string): string =>
  execFileSync('nvidia-smi', [`--query-gpu=${query}`, '--format=csv,noheader,nounits'], {
    encoding: 'utf8',
  }).trim();

const hardware = new HardwareService({ modelsDir: () => dir, gpuBackends: async () => ['cuda'] });
const hw = await hardware.get(true);
report.hearthGpus = hw.gpus;
report.nvidiaSmi = smi('name,memory.total,memory.used,memory.free,driver_version,pci.bus_id');
const estimator = new EstimatorService(hardware);

/** Peak memory a process holds on the GPU while it runs, from nvidia-smi every 50 ms. */
async function runWithPeak(cmd: string, args: string[]): Promise<{ out: string; peakMiB: number }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  let peak = 0;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    const apps = execFileSync(
      'nvidia-smi',
      ['--query-compute-apps=pid,used_memory', '--format=csv,noheader,nounits'],
      { encoding: 'utf8' },
    );
    for (const line of apps.trim().split('\n')) {
      const [pid, used] = line.split(',').map((s) => s.trim());
      if (Number(pid) === child.pid) peak = Math.max(peak, Number(used));
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { out, peakMiB: peak };
}

const models = [
  { name: 'llama32_1b-Q8_0', shape: shapes.llama32_1b, type: 'Q8_0' as const },
  {
    name: 'llama31_8b-Q4_K',
    // Llama-3.1-8B's hyperparameters; its weights left as zeros (a sparse file): same bytes, same speed.
    shape: {
      ...shapes.llama32_1b,
      name: 'Llama 8B shape',
      embedding: 4096,
      layers: 32,
      heads: 32,
      kvHeads: 8,
      feedForward: 14336,
      tiedEmbeddings: false,
    },
    type: 'Q4_K' as const,
    sparse: true,
  },
];
const runs: unknown[] = [];
for (const m of models) {
  const path = join(dir, `${m.name}.gguf`);
  const t = Date.now();
  writeLlamaModel(path, { shape: m.shape, weightType: m.type, sparse: 'sparse' in m });
  console.error(`wrote ${m.name} in ${Date.now() - t} ms`);
  for (const depth of [0, 7552]) {
    const contextSize = 512 + 128 + depth;
    const fit = await estimator.fit({ modelPath: path, contextSize });
    const args = [
      '-m',
      path,
      '-ngl',
      '99',
      '-p',
      '512',
      '-n',
      '128',
      '-d',
      String(depth),
      '-r',
      '2',
      '-o',
      'json',
    ];
    const { out, peakMiB } = await runWithPeak(llamaBench, args);
    let results: unknown = out.slice(-2000);
    try {
      results = (
        JSON.parse(out.slice(out.indexOf('['))) as { n_prompt: number; n_gen: number; avg_ts: number }[]
      ).map((r) => ({ n_prompt: r.n_prompt, n_gen: r.n_gen, avg_ts: r.avg_ts }));
    } catch {
      /* keep the raw tail */
    }
    runs.push({
      model: m.name,
      contextSize,
      estimate: {
        verdict: fit.verdict,
        gpuLayers: `${fit.gpuLayers}/${fit.totalLayers}`,
        gpuMiB: {
          weights: fit.gpu.weightsBytes / 2 ** 20,
          kv: fit.gpu.kvCacheBytes / 2 ** 20,
          compute: fit.gpu.computeBytes / 2 ** 20,
          total: (fit.gpu.totalBytes - fit.gpu.headroomBytes) / 2 ** 20,
          headroom: fit.gpu.headroomBytes / 2 ** 20,
        },
        generationTps: fit.speed.generationTps,
        promptTps: fit.speed.promptTps,
      },
      measured: { peakMiB, llamaBench: results },
    });
    console.error(JSON.stringify(runs.at(-1)));
  }
}
report.runs = runs;
writeFileSync(join(process.env.OUT ?? dir, 'gpu-check.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report, null, 2));
