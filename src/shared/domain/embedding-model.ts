/**
 * Whether a GGUF model is an embedding model, from its header: the library (to label it) and the
 * engine (to give it an embedding context instead of a chat one) read the same two facts.
 */

/** llama.cpp's LLAMA_POOLING_TYPE: none (0) is a generative model's; rank (4) is a reranker's. */
export const poolingTypes = { none: 0, mean: 1, cls: 2, last: 3, rank: 4 } as const;

/** Encoders llama.cpp runs without causal attention: they have no way to write a reply. */
const encoderArchitectures = new Set([
  'bert',
  'nomic-bert',
  'nomic-bert-moe',
  'jina-bert-v2',
  'jina-bert-v3',
  'neo-bert',
  'modern-bert',
  'eurobert',
  't5encoder',
  'gemma-embedding',
]);

/**
 * An embedding model pools its tokens into one vector: mean, cls or last pooling in the header
 * (`<arch>.pooling_type`), or an encoder architecture, which pools however its header says.
 * A reranker (rank pooling) scores pairs instead and is not one.
 */
export function isEmbeddingModel(architecture: string | null, poolingType: unknown): boolean {
  if (poolingType === poolingTypes.rank) return false;
  if (
    poolingType === poolingTypes.mean ||
    poolingType === poolingTypes.cls ||
    poolingType === poolingTypes.last
  )
    return true;
  return architecture !== null && encoderArchitectures.has(architecture);
}
