import { safeText } from '../../../shared/domain/safe-text';
import { GgufFormatError, type GgufValue } from '../gguf/gguf-reader';

/**
 * Hyperparameters read from a header, each checked against bounds before it sizes anything: a
 * hostile file's block_count of 10^9 must not become a 10^9-item array, nor 1.5 or -1 a RangeError.
 * The bounds leave room for every real model (the largest today: 126 layers, 16384-wide
 * embeddings, 10M-token contexts, 512 experts, 262k-token vocabularies) and refuse the absurd.
 */
export interface Bounds {
  min: number;
  max: number;
}

export const hyperparameterBounds = {
  layers: { min: 1, max: 4096 },
  embedding: { min: 1, max: 1_048_576 },
  heads: { min: 0, max: 65_536 },
  headLength: { min: 1, max: 65_536 },
  contextLength: { min: 1, max: 16_777_216 },
  slidingWindow: { min: 0, max: 16_777_216 },
  experts: { min: 0, max: 4096 },
  vocab: { min: 0, max: 4_194_304 },
  feedForward: { min: 0, max: 4_194_304 },
} satisfies Record<string, Bounds>;

function describe(value: GgufValue): string {
  if (typeof value === 'object') return `an array of ${value.length}`;
  if (typeof value === 'string') return `"${safeText(value, 40)}"`;
  return safeText(String(value), 40);
}

function refuse(key: string, value: GgufValue, bounds: Bounds): never {
  throw new GgufFormatError(
    `${safeText(key, 100)} is ${describe(value)}, expected a whole number from ${bounds.min} to ${bounds.max}`,
  );
}

const inBounds = (value: unknown, bounds: Bounds): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= bounds.min && value <= bounds.max;

/** A whole number within bounds; `fallback` when the key is absent (undefined: it is required). */
export function wholeNumber(
  metadata: Map<string, GgufValue>,
  key: string,
  bounds: Bounds,
  fallback?: number,
): number {
  const value = metadata.get(key);
  if (value === undefined) {
    if (fallback === undefined) throw new GgufFormatError(`${safeText(key, 100)} is missing`);
    return fallback;
  }
  if (!inBounds(value, bounds)) refuse(key, value, bounds);
  return value;
}

/**
 * A per-layer value: one number for every layer, or an array with exactly one per layer (as
 * llama.cpp requires), each within bounds.
 */
export function perLayer(
  metadata: Map<string, GgufValue>,
  key: string,
  layers: number,
  bounds: Bounds,
  fallback: number,
): number[] {
  const value = metadata.get(key);
  if (value === undefined) return new Array<number>(layers).fill(fallback);
  if (typeof value !== 'object') {
    if (!inBounds(value, bounds)) refuse(key, value, bounds);
    return new Array<number>(layers).fill(value);
  }
  if (value.length !== layers || !value.values) {
    throw new GgufFormatError(`${safeText(key, 100)} has ${value.length} values for ${layers} layers`);
  }
  return value.values.map((item) => {
    if (!inBounds(item, bounds)) refuse(key, item, bounds);
    return item;
  });
}
