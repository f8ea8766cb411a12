import type { FitEstimate, HardwareProfile } from '../../../../shared/contract';
import type { MeasurementStore, SpeedCorrection, SpeedKey } from './measurement-store';

/**
 * What a run is measured and corrected under: the GPU backend node-llama-cpp uses here and the
 * first GPU when layers are offloaded, the CPU otherwise, and the model's architecture.
 */
export function speedKey(profile: HardwareProfile, architecture: string, gpuLayers: number): SpeedKey {
  const gpu = profile.gpus[0];
  const backend = profile.backends.find((b) => b !== 'cpu');
  if (gpuLayers > 0 && gpu && backend) return { backend, device: gpu.model, family: architecture };
  return { backend: 'cpu', device: profile.cpu.brand, family: architecture };
}

const two = (x: number): string => x.toFixed(2);

/** The sentence the fit answer shows beside its speeds. */
export function correctionNote(c: SpeedCorrection, key: SpeedKey): string {
  const where = key.backend === 'cpu' ? 'this CPU' : 'this GPU';
  const runs = Math.max(c.generation.runs, c.prompt.runs);
  if (runs === 0) return `Nothing measured yet for ${key.family} models on ${where}.`;
  const g = c.generation.factor;
  const p = c.prompt.factor;
  if (c.generation.runs < 3)
    return `${runs} measured run${runs === 1 ? '' : 's'} on ${where}: predictions are corrected from 3.`;
  if (Math.abs(g - 1) < 0.02 && Math.abs(p - 1) < 0.02)
    return `Predictions for ${where} match ${runs} measured runs.`;
  const prompt = c.prompt.runs >= 3 && Math.abs(p - g) >= 0.02 ? ` (prompt speed by ${two(p)})` : '';
  return `Predictions for ${where} are scaled by ${two(g)}${prompt} from ${runs} measured runs.`;
}

/** Applies this machine's measured corrections to a fit for this machine (never to a named one). */
export class LearnedSpeeds {
  constructor(private readonly store: Pick<MeasurementStore, 'correction'>) {}

  apply(estimate: FitEstimate, profile: HardwareProfile, modelPath: string): FitEstimate {
    if (estimate.verdict === 'does-not-fit') return estimate;
    const key = speedKey(profile, estimate.model.architecture, estimate.gpuLayers);
    const c = this.store.correction(key, modelPath);
    if (c.generation.runs === 0 && c.prompt.runs === 0 && c.measuredRuns === 0 && c.measuredRamBytes === null)
      return estimate;
    const scale = (tps: number | null, factor: number): number | null => (tps === null ? null : tps * factor);
    return {
      ...estimate,
      speed: {
        generationTps: scale(estimate.speed.generationTps, c.generation.factor),
        promptTps: scale(estimate.speed.promptTps, c.prompt.factor),
      },
      measured: {
        generationFactor: c.generation.factor,
        promptFactor: c.prompt.factor,
        runs: Math.max(c.generation.runs, c.prompt.runs),
        generationTps: c.measuredGenerationTps,
        promptTps: c.measuredPromptTps,
        modelRuns: c.measuredRuns,
        gpuBytes: c.measuredVramBytes,
        ramBytes: c.measuredRamBytes,
        note: correctionNote(c, key),
      },
    };
  }
}
