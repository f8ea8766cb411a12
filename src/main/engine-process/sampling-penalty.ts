import type { LLamaContextualRepeatPenalty } from 'node-llama-cpp';
import type { Sampling } from './protocol';

/**
 * The repeat, presence and frequency penalties as node-llama-cpp takes them; undefined keeps its
 * defaults, so a request without penalties samples exactly as before.
 */
export function samplingPenalty(s: Sampling): LLamaContextualRepeatPenalty | undefined {
  if (s.repeatPenalty === undefined && !s.presencePenalty && !s.frequencyPenalty) return undefined;
  return {
    penalty: s.repeatPenalty,
    presencePenalty: s.presencePenalty || undefined,
    frequencyPenalty: s.frequencyPenalty || undefined,
  };
}

/**
 * Hearth's sampling as node-llama-cpp's chat and completion calls both take it: the one place the
 * request's settings map to the library's.
 */
export function samplingOptions(s: Sampling) {
  return {
    temperature: s.temperature,
    topP: s.topP,
    topK: s.topK,
    minP: s.minP,
    seed: s.seed,
    repeatPenalty: samplingPenalty(s),
    customStopTriggers: s.stop.length ? s.stop : undefined,
  };
}
