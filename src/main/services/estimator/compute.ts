import type { ModelFacts } from './model-facts';

/** What the compute graph is sized for: one micro-batch against `kvCells` cells of one stream. */
export interface GraphShape {
  ubatch: number;
  kvCells: number;
  flashAttention: boolean;
}

const f32 = 4;

/** The attention mask, an input alive for the whole graph: f16 with flash attention, else f32. */
export const maskBytes = (g: GraphShape): number => g.kvCells * g.ubatch * (g.flashAttention ? 2 : f32);

/**
 * The peak of one block on the CPU: the attention scores (n_kv x ubatch x heads, softmax in place)
 * without flash attention, beside the residual stream and Q/K/V; or the feed-forward activations
 * (gate, up and their product beside four rows of the residual stream). Fitted to llama.cpp's
 * "CPU compute buffer size" across contexts, micro-batches and flash attention on and off.
 */
export function blockPeak(facts: ModelFacts, g: GraphShape): number {
  const kvWidth = (facts.kvHeads[0] ?? facts.heads) * facts.keyLength;
  const streams = g.ubatch * f32 * (5 * facts.embedding + 2 * kvWidth);
  const scores = g.flashAttention ? 0 : g.kvCells * g.ubatch * facts.heads * f32;
  const activeFf = facts.experts ? facts.feedForward * facts.experts.used : facts.feedForward;
  const feedForward = g.ubatch * f32 * (4 * facts.embedding + 3 * activeFf);
  return Math.max(scores + streams, feedForward);
}

/** The output layer's peak: logits for every token of the micro-batch (llama.cpp reserves for that), and the normed rows. */
export const outputPeak = (facts: ModelFacts, g: GraphShape): number =>
  g.ubatch * f32 * (facts.vocabSize + 2 * facts.embedding);

/** Compute buffer of a backend that runs the whole graph (CPU only, or a GPU holding every layer). */
export function fullGraphBytes(facts: ModelFacts, g: GraphShape, holdsOutput = true): number {
  return Math.max(holdsOutput ? outputPeak(facts, g) : 0, maskBytes(g) + blockPeak(facts, g));
}

/**
 * Host compute buffer when a GPU runs the graph's big batches (layers offloaded, or op offload): the
 * scheduler sends the CPU layers' matrix products and attention to the GPU for a full micro-batch,
 * so the host keeps the graph's inputs: the mask and the embedded tokens (token_embd stays on the
 * CPU). Published CUDA loads show exactly that: 24.01 MiB for Llama 3.1 8B at 8192 cells, 512
 * tokens, f32 mask (16 + 8 MiB); 4.76 MiB for Mistral 7B at 768 cells, 256 tokens, f16 mask.
 */
export function hostBesideGpuBytes(facts: ModelFacts, g: GraphShape): number {
  return maskBytes(g) + g.ubatch * f32 * facts.embedding;
}
