import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FitEstimate, HubModelDetails, KvCacheType } from '../../../shared/contract';
import { formatBytes, formatParameters, parseMemorySize, verdictLabels } from '../../../shared/domain/format';
import { machineLabel } from '../../../shared/domain/machine-label';
import { safeText } from '../../../shared/domain/safe-text';
import { EstimatorService, type FitSettings } from '../../services/estimator/estimator-service';
import { LearnedSpeeds } from '../../services/estimator/measurements/learned-speeds';
import { MeasurementStore, measurementsFile } from '../../services/estimator/measurements/measurement-store';
import { defaultDataDir } from '../../services/paths/data-dir';
import { call, openCliApp, type CliContext } from '../cli-app';
import { hardwareService } from './hw';
import { parseModelRef } from './models';

export interface FitCommandOptions {
  ctx?: number;
  gpu?: string;
  /** A named CPU and memory ("Ryzen 9 7950X, DDR5-6000 2ch"); alone, a CPU-only machine. */
  cpu?: string;
  vram?: string;
  kv?: KvCacheType;
  flashAttention?: 'on' | 'off' | 'auto';
  batch?: number;
  parallel?: number;
  gpuLayers?: number;
  /** Free bytes per GPU (--gpus "24GB,12GB"), already parsed. */
  gpus?: number[];
  /** False with --no-projector. */
  projector?: boolean;
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
    ...describeDevices(fit),
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
    ...describeMeasured(fit),
    `Rule of thumb (P × Q/8 × 1.2): ${formatBytes(fit.ruleOfThumbBytes)}`,
  );
  return lines.join('\n');
}

/** Per GPU, when any is used: its layers, what it holds, and whether that fits it. */
function describeDevices(fit: FitEstimate): string[] {
  if (fit.devices.every((d) => d.totalBytes === 0)) return [];
  const lines = [
    `${'Per GPU'.padEnd(36)}${pad('weights', 9)}${pad('KV', 9)}${pad('compute', 9)}${pad('total', 9)}${pad('free', 9)}`,
  ];
  for (const d of fit.devices) {
    const layers =
      (d.blocks > 0 ? `blocks ${d.firstBlock}-${d.firstBlock + d.blocks - 1}` : 'no blocks') +
      (d.holdsOutput ? ' + output' : '');
    const label = `${d.index} ${safeText(d.name, 12)}: ${layers}`;
    lines.push(
      `  ${label.slice(0, 34).padEnd(34)}${pad(formatBytes(d.weightsBytes), 9)}${pad(formatBytes(d.kvCacheBytes), 9)}` +
        `${pad(formatBytes(d.computeBytes), 9)}${pad(formatBytes(d.totalBytes), 9)}${pad(formatBytes(d.availableBytes), 9)}` +
        `  ${d.fits ? 'fits' : 'DOES NOT FIT'}`,
    );
  }
  return [...lines, ''];
}

/** "Measured here" beside the prediction, and how this machine's runs corrected it. */
function describeMeasured(fit: FitEstimate): string[] {
  const m = fit.measured;
  if (!m) return [];
  const here = [
    m.generationTps !== null
      ? `${m.generationTps.toFixed(m.generationTps < 10 ? 1 : 0)} tokens/s writing`
      : '',
    m.promptTps !== null ? `${Math.round(m.promptTps)} tokens/s reading` : '',
  ].filter(Boolean);
  const memory =
    m.ramBytes != null
      ? `Last load here: ${formatBytes(m.gpuBytes ?? 0)} GPU memory, ${formatBytes(m.ramBytes)} RAM (llama.cpp's buffers)`
      : null;
  return [
    ...(here.length ? [`Measured here: ${here.join(', ')} (median of ${m.modelRuns} replies)`] : []),
    ...(memory ? [memory] : []),
    `  ${m.note}`,
    // Memory learned from this machine's loads (the buffers above already include it).
    ...(m.memory && m.memory.note !== m.note ? [`  ${m.memory.note}`] : []),
  ];
}

/** Every quant of a Hugging Face repo against this machine (one header read remotely). */
async function fitRepo(
  ref: string,
  options: FitCommandOptions,
  vramBytes: number | undefined,
): Promise<void> {
  const { repo, quant } = parseModelRef(ref);
  const app = openCliApp(options.context, options.dataDir);
  try {
    const details = await call<HubModelDetails>(app, 'hub.model', {
      repo,
      fit: { ...fitSettings(options), vramBytes },
    });
    const variant = quant
      ? details.variants.find((v) => v.quant.toLowerCase() === quant.toLowerCase())
      : undefined;
    if (quant && !variant)
      throw new Error(
        `${repo} has no ${quant} (available: ${details.variants.map((v) => v.quant).join(', ')})`,
      );
    if (options.json) return console.log(JSON.stringify(variant ?? details, null, 2));
    const machine = machineLabel({ ...fitSettings(options), vramBytes });
    if (variant?.fit) return console.log(describeFit(variant.fit, machine));
    const context = details.variants.find((v) => v.fit)?.fit?.contextSize;
    console.log(`${repo}${details.architecture ? ` (${safeText(details.architecture, 64)})` : ''}`);
    console.log(`On ${machine}${context ? `, with a ${context}-token context` : ''}\n`);
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
  // Corrections this machine learned from its own runs (read only; nothing is written here).
  const file = measurementsFile(options.dataDir ?? defaultDataDir());
  const store = existsSync(file) ? MeasurementStore.open(file) : undefined;
  const estimator = new EstimatorService(hardware, store && new LearnedSpeeds(store));
  const fit = await estimator
    .fit({ ...fitSettings(options), vramBytes, modelPath: resolve(model), projector: options.projector })
    .finally(() => store?.close());
  if (options.json) {
    console.log(JSON.stringify(fit, null, 2));
    return;
  }
  console.log(describeFit(fit, machineLabel({ ...fitSettings(options), vramBytes })));
}

/** The options every answer depends on, for a file and a repo alike (the VRAM size parsed apart). */
function fitSettings(options: FitCommandOptions): Omit<FitSettings, 'vramBytes'> {
  return {
    contextSize: options.ctx,
    kvCacheType: options.kv,
    flashAttention: options.flashAttention,
    batchSize: options.batch,
    parallel: options.parallel,
    gpuLayers: options.gpuLayers,
    gpus: options.gpus,
    gpuName: options.gpu,
    cpuName: options.cpu,
  };
}
