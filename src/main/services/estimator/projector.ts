import type { GgufHeader } from '../gguf/gguf-reader';
import { hyperparameterBounds, wholeNumber } from './header-values';

/** A vision projector (mmproj*.gguf, llama.cpp's clip model) as the estimator counts it. */
export interface ProjectorFacts {
  name: string;
  /** Its tensors: what goes to the GPU beside the model (the file less its header). */
  weightsBytes: number;
  /** The vision tower's shape, when its header says: it sizes the encoder's compute buffer. */
  vision: { patches: number; embedding: number; feedForward: number; heads: number } | null;
}

const f32 = 4;
/** The largest image side a header may claim: far beyond any real encoder (Qwen2-VL goes to ~3584). */
const imageSide = { min: 1, max: 16_384 };

/**
 * Reads a clip model's header (tools/mtmd/clip-impl.h keys): tensor bytes, and the vision tower's
 * width, heads and the patches of its largest image (image_size / patch_size, squared, plus the class token).
 */
export function projectorFacts(name: string, header: GgufHeader): ProjectorFacts {
  const meta = header.metadata;
  const b = hyperparameterBounds;
  const weightsBytes = header.tensors.reduce((sum, t) => sum + t.bytes, 0);
  const has = (key: string): boolean => meta.has(`clip.vision.${key}`);
  if (!has('embedding_length') || !has('image_size') || !has('patch_size'))
    return { name, weightsBytes, vision: null };
  const num = (key: string, bounds: { min: number; max: number }, fallback?: number): number =>
    wholeNumber(meta, `clip.vision.${key}`, bounds, fallback);
  const embedding = num('embedding_length', b.embedding);
  const side = Math.floor(num('image_size', imageSide) / num('patch_size', imageSide));
  return {
    name,
    weightsBytes,
    vision: {
      patches: side * side + 1,
      embedding,
      feedForward: num('feed_forward_length', b.feedForward, 4 * embedding),
      heads: Math.max(1, num('attention.head_count', b.heads, 1)),
    },
  };
}

/**
 * The encoder's compute buffer for one image of the largest size: the residual stream and
 * feed-forward activations of all patches, and without flash attention the attention scores
 * (patches² per head), the same peak the text graph has. Nothing when the header does not say.
 */
export function projectorComputeBytes(facts: ProjectorFacts, flashAttention: boolean): number {
  const v = facts.vision;
  if (!v) return 0;
  const streams = v.patches * f32 * (5 * v.embedding + 3 * v.feedForward);
  const scores = flashAttention ? 0 : v.patches * v.patches * v.heads * f32;
  return streams + scores;
}
