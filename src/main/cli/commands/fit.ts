import { resolve } from 'node:path';
import type { FitEstimate, HubModelDetails, KvCacheType } from '../../../shared/contract';
import { formatBytes, formatParameters, parseMemorySize, verdictLabels } from '../../../shared/domain/format';
import { safeText } from '../../../shared/domain/safe-text';
import { EstimatorService } from '../../services/estimator/estimator-service';
import { call, openCliApp, type CliContext } from '../cli-app';
import { hardwareService } from './hw';
import { parseModelRef } from './models';

export interface FitCommandOptions {
  ctx?: number;
  gpu?: string;
  vram?: string;
  kv?: KvCacheType;
  flashAttention?: 'on' | 'off' | 'auto';
  batch?: number;
  parallel?: number;
  json?: boolean;
  dataDir?: string;
  context: CliContext;
}

const pad = (text: string, width: number): string => text.padStart(width);

export function describeFit(fit: FitEstimate, machine: string): string {
  const m = fit.model;
  const lines = [
    `${safeText(m.name)}  (${safeText(m.architecture)}, ${formatParameters(m.parameters)} parameters, ${m.quant}, ${formatBytes(m.fileBytes)})`,
    `Machine: ${machine}`,
    '',
    `Verdict: ${verdictLabels[fit.verdict]}: ${fit.gpuLayers} of ${fit.totalLayers} layers on the GPU, context ${fit.contextSize}` +
      (fit.maxContextSize ? ` (up to ${fit.maxContextSize})` : ''),
    ...fit.notes.map((n) => `  ${n}`),
    '',
    `${''.padEnd(12)}${pad('GPU', 10)}${pad('RAM', 10)}`,
  ];
  const row = (label: string, gpu: number, ram: number): string =>
    `  ${label.padEnd(10)}${pad(formatBytes(gpu), 10)}${pad(formatBytes(ram), 10)}`;
  lines.push(
    row('weights', fit.gpu.weightsBytes, fit.ram.weightsBytes),
    row('KV cache', fit.gpu.kvCacheBytes, fit.ram.kvCacheBytes),
    row('compute', fit.gpu.computeBytes, fit.ram.computeBytes),
    row('total', fit.gpu.totalBytes, fit.ram.totalBytes),
    row('headroom', fit.gpu.headroomBytes, fit.ram.headroomBytes),
    row('available', fit.gpu.availableBytes, fit.ram.availableBytes),
    '',
    // The mapped file's pages are page cache: in use for the weights read in place, reclaimable for the rest.
    `RAM in detail: ${formatBytes(fit.ram.residentBytes)} held by the process` +
      (fit.ram.repackedWeightsBytes > 0
        ? ` (of it ${formatBytes(fit.ram.repackedWeightsBytes)} weights the CPU repacks)`
        : '') +
      `, ${formatBytes(fit.ram.mappedWeightsBytes)} read from the mapped file, ` +
      `${formatBytes(fit.ram.reclaimableCacheBytes)} of file cache the OS can reclaim`,
    '',
  );
  const { generationTps, promptTps } = fit.speed;
  lines.push(
    generationTps !== null
      ? `Speed (predicted): ~${generationTps.toFixed(generationTps < 10 ? 1 : 0)} tokens/s writing, ~${Math.round(promptTps ?? 0)} tokens/s reading the prompt`
      : "Speed: unknown (GPU not in Hearth's table)",
    `Rule of thumb (P × Q/8 × 1.2): ${formatBytes(fit.ruleOfThumbBytes)}`,
  );
  return lines.join('\n');
}

/** Every quant of a Hugging Face repo against this machine (one header read remotely). */
async function fitRepo(
  ref: string,
  options: FitCommandOptions,
  vramBytes: number | undefined,
): Promise<void> {
  if (options.gpu || vramBytes)
    throw new Error('--gpu and --vram work with a .gguf file; for a repo, Hearth plans for this machine');
  const { repo, quant } = parseModelRef(ref);
  const app = openCliApp(options.context, options.dataDir);
  try {
    const details = await call<HubModelDetails>(app, 'hub.model', { repo });
    const variant = quant
      ? details.variants.find((v) => v.quant.toLowerCase() === quant.toLowerCase())
      : undefined;
    if (quant && !variant)
      throw new Error(
        `${repo} has no ${quant} (available: ${details.variants.map((v) => v.quant).join(', ')})`,
      );
    if (options.json) return console.log(JSON.stringify(variant ?? details, null, 2));
    if (variant?.fit) return console.log(describeFit(variant.fit, 'this computer'));
    console.log(`${repo}${details.architecture ? ` (${safeText(details.architecture, 64)})` : ''}\n`);
    const rows = details.variants.map((v) => [
      v.quant,
      formatBytes(v.sizeBytes),
      v.fit ? verdictLabels[v.fit.verdict] : '?',
      v.fit ? `${v.fit.gpuLayers}/${v.fit.totalLayers}` : '',
      v.fit?.speed.generationTps ? `~${v.fit.speed.generationTps.toFixed(1)} tok/s` : '',
    ]);
    const widths = [8, 10, 22, 8, 14];
    for (const row of [['QUANT', 'SIZE', 'FIT', 'LAYERS', 'SPEED'], ...rows])
      console.log(
        row
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join(' ')
          .trimEnd(),
      );
    if (details.recommended)
      console.log(`\nRecommended: ${details.recommended.variant.quant}. ${details.recommended.reason}`);
  } finally {
    await app.close();
  }
}

export async function fitCommand(model: string, options: FitCommandOptions): Promise<void> {
  const vramBytes = options.vram !== undefined ? parseMemorySize(options.vram) : undefined;
  if (options.vram !== undefined && vramBytes === undefined)
    throw new Error(`--vram ${options.vram}: give a size like 24GB or 8192MiB`);
  if (!/\.gguf$/i.test(model)) return fitRepo(model, options, vramBytes);
  const hardware = hardwareService(options.dataDir);
  const estimator = new EstimatorService(hardware);
  const fit = await estimator.fit({
    modelPath: resolve(model),
    contextSize: options.ctx,
    kvCacheType: options.kv,
    flashAttention: options.flashAttention,
    batchSize: options.batch,
    parallel: options.parallel,
    gpuName: options.gpu,
    vramBytes,
  });
  if (options.json) {
    console.log(JSON.stringify(fit, null, 2));
    return;
  }
  const machine = options.gpu ?? (vramBytes ? `a GPU with ${formatBytes(vramBytes)}` : 'this computer');
  console.log(describeFit(fit, machine));
}
