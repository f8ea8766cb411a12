/**
 * Which device holds which layers, as llama.cpp assigns them by default (LLAMA_SPLIT_MODE_LAYER,
 * no tensor_split): llama_model_base::load_tensors in src/llama-model.cpp of the llama.cpp that
 * node-llama-cpp 3.21.1 bundles. The offloaded layers are the last `gpuLayers` of blocks + output;
 * each goes to the first device whose running share of free memory exceeds its position.
 */
export interface DeviceLayers {
  /** Blocks [from, to) on this device (from === to: none). */
  from: number;
  to: number;
  /** The output layer (head and final norm) is here. */
  output: boolean;
}

/** llama.cpp computes the split points in float (32-bit): rounding there decides the edge layers. */
const f32 = Math.fround;

/**
 * Split points: the running sum of each device's free memory over the total, in float. Free memory
 * is what the device reports at load time; with none reported (all 0) the devices share equally.
 */
export function splitPoints(freeBytes: readonly number[]): number[] {
  const weights = freeBytes.every((b) => !(b > 0))
    ? freeBytes.map(() => 1)
    : freeBytes.map((b) => Math.max(0, b));
  const points: number[] = [];
  let sum = f32(0);
  for (const w of weights) {
    sum = f32(sum + f32(w));
    points.push(sum);
  }
  return points.map((p) => f32(p / sum));
}

/**
 * Blocks and output per device for `gpuLayers` offloaded layers (blocks + output, as llama.cpp
 * counts). Layer `start + k` goes to the first device whose split point exceeds float(k) / active
 * (std::upper_bound); as that is monotone in k, each device's range is found from its boundary,
 * in O(devices) however many layers a header claims.
 */
export function splitLayers(layers: number, gpuLayers: number, freeBytes: readonly number[]): DeviceLayers[] {
  const active = freeBytes.length === 0 ? 0 : Math.max(0, Math.min(gpuLayers, layers + 1));
  if (active === 0) return freeBytes.map(() => ({ from: layers, to: layers, output: false }));
  const points = splitPoints(freeBytes);
  const start = layers + 1 - active;
  const position = (k: number): number => f32(f32(k) / active);
  /** The first offset k whose position reaches p (active when none does). */
  const boundary = (p: number): number => {
    let k = Math.min(active, Math.max(0, Math.ceil(p * active) - 2));
    while (k < active && position(k) < p) k++;
    while (k > 0 && position(k - 1) >= p) k--;
    return k;
  };
  let low = 0;
  return points.map((p, d) => {
    const high = d === points.length - 1 ? active : Math.max(low, boundary(p));
    const from = Math.min(layers, start + low);
    const to = Math.min(layers, start + high);
    const output = low <= active - 1 && active - 1 < high;
    low = high;
    return to > from ? { from, to, output } : { from: layers, to: layers, output };
  });
}
