import type { GpuSample, MonitorSample, MonitorWarning, ProcessSample } from '../../../shared/contract';
import { formatBytes } from '../../../shared/domain/format';

export const thresholds = {
  vramRatio: 0.9,
  vramCriticalRatio: 0.97,
  gpuHotC: 85,
  contextRatio: 0.9,
  /** Swap that grew this much in the last minutes while a reply is generated means memory is short. */
  swapGrowthBytes: 64 * 1024 ** 2,
};

/** Throttle reasons that mean the card is slowing itself down against heat or power trouble. */
const troubleReasons: Record<string, string> = {
  'sw-thermal': 'it is too hot',
  'hw-thermal': 'it is too hot',
  'hw-slowdown': 'of heat or a power problem',
  'hw-power-brake': 'the power supply asked it to',
};

const gb = (bytes: number): string => formatBytes(bytes);

export const modelName = (path: string | null): string =>
  path ? (path.split(/[\\/]/).pop() ?? path).replace(/\.gguf$/i, '') : 'the model';

function gpuWarnings(gpu: GpuSample): MonitorWarning[] {
  const subject = gpu.id;
  if (gpu.state === 'gone')
    return [
      {
        kind: 'gpu-gone',
        subject,
        severity: 'critical',
        message: `${gpu.name} stopped answering: its driver may have reset, and a model on it cannot run.`,
        action:
          'Save your work and restart Hearth; if it happens again, restart the computer and check the driver and the card’s power.',
      },
    ];
  const warnings: MonitorWarning[] = [];
  const used = gpu.memoryUsedBytes;
  const total = gpu.memoryTotalBytes;
  // Unified memory (Apple) is the system's RAM: the host's RAM bar tells that story.
  if (used !== null && total && gpu.vendor !== 'Apple' && used / total > thresholds.vramRatio)
    warnings.push({
      kind: 'vram-high',
      subject,
      severity: used / total > thresholds.vramCriticalRatio ? 'critical' : 'warning',
      message: `${gpu.name} memory is ${Math.round((100 * used) / total)} % full (${gb(used)} of ${gb(total)}): a bigger context or another model will not fit, or will spill into system RAM.`,
      action: 'Close other programs using the GPU, or use a smaller quant or a shorter context.',
    });
  if (gpu.temperatureC !== null && gpu.temperatureC > thresholds.gpuHotC)
    warnings.push({
      kind: 'gpu-hot',
      subject,
      severity: 'warning',
      message: `${gpu.name} is at ${Math.round(gpu.temperatureC)} °C; it will slow itself down to cool off.`,
      action: 'Check its fans and the airflow around the computer, and clean out dust.',
    });
  const trouble = (gpu.throttle ?? []).filter((r) => troubleReasons[r]);
  if (trouble.length > 0)
    warnings.push({
      kind: 'gpu-throttled',
      subject,
      severity: 'warning',
      message: `${gpu.name} is running below its normal speed because ${troubleReasons[trouble[0]!]} (${trouble.join(', ')}).`,
      action: 'Give it more airflow; if it persists, check the power supply and its cables.',
    });
  return warnings;
}

function engineWarnings(
  engine: ProcessSample,
  gpuPresent: boolean,
  unifiedMemory: boolean,
): MonitorWarning[] {
  const warnings: MonitorWarning[] = [];
  const subject = String(engine.pid);
  const name = modelName(engine.modelPath);
  const { gpuLayers, totalLayers } = engine;
  if (gpuPresent && !unifiedMemory && gpuLayers !== null && totalLayers && gpuLayers < totalLayers)
    warnings.push({
      kind: 'spilled-to-ram',
      subject,
      severity: 'warning',
      message: `${name} spilled into system RAM: ${totalLayers - gpuLayers} of its ${totalLayers} layers run on the CPU, which makes replies several times slower.`,
      action:
        'Use a smaller quant or a shorter context so every layer fits in VRAM, or free VRAM and load it again.',
    });
  const { contextTokens, contextSize } = engine;
  if (contextTokens !== null && contextSize && contextTokens / contextSize > thresholds.contextRatio)
    warnings.push({
      kind: 'context-full',
      subject,
      severity: 'warning',
      message: `${name}'s context is ${Math.round((100 * contextTokens) / contextSize)} % full (${contextTokens} of ${contextSize} tokens): older turns will be dropped from what it sees.`,
      action: 'Start a new chat, or load the model with a bigger context.',
    });
  return warnings;
}

export interface WarningContext {
  /** The least swap in use over the recent history, to tell new swapping from old, idle pages. */
  swapBaselineBytes: number | null;
}

/** Every warning a sample calls for, each with a plain sentence and what to do. */
export function warningsFor(
  sample: Omit<MonitorSample, 'warnings'>,
  context: WarningContext,
): MonitorWarning[] {
  const gpuPresent = sample.gpus.some((g) => g.state !== 'gone');
  const warnings = sample.gpus.flatMap(gpuWarnings);
  const engines = sample.processes.filter((p) => p.role === 'engine');
  for (const engine of engines)
    warnings.push(...engineWarnings(engine, gpuPresent, sample.host.unifiedMemory));
  const swap = sample.host.swapUsedBytes;
  const baseline = context.swapBaselineBytes;
  if (
    engines.some((e) => e.generating) &&
    swap !== null &&
    baseline !== null &&
    swap - baseline >= thresholds.swapGrowthBytes
  )
    warnings.push({
      kind: 'swap-during-generation',
      subject: 'host',
      severity: 'critical',
      message: `The computer is swapping while a reply is generated (${gb(swap)} of swap in use, up ${gb(swap - baseline)}): memory is short, and replies slow to a crawl.`,
      action: 'Close other programs, or load a smaller model or a shorter context.',
    });
  return warnings;
}
