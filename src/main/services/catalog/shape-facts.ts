import { quantInfo } from '../../../shared/domain/quants';
import type { ModelFacts } from '../estimator/model-facts';
import { fileQuant, type CatalogFileEntry } from './catalog-file';

/** Q4_K_M's average bits per weight: what badges assume when an entry lists no file. */
const q4kmBits = 4.85;

/** The file a badge is computed for: Q4_K_M when listed (what most people download), else the first. */
export function defaultQuant(entry: CatalogFileEntry): string {
  const quants = entry.files.map(fileQuant);
  return quants.find((q) => q === 'Q4_K_M') ?? quants[0] ?? 'Q4_K_M';
}

/** Bytes of the default quant when the catalog lists every part's size. */
export function listedBytes(entry: CatalogFileEntry, quant = defaultQuant(entry)): number | null {
  const parts = entry.files.filter((f) => fileQuant(f) === quant);
  if (parts.length === 0 || parts.some((f) => f.sizeBytes === undefined)) return null;
  return parts.reduce((sum, f) => sum + (f.sizeBytes ?? 0), 0);
}

/**
 * Share of a block's weights that are experts. With the active parameter count known it is
 * exact: active = dense + experts x used/count, solved for the expert share. Else the usual 90%.
 */
function expertShare(entry: CatalogFileEntry, layerParameters: number, embeddingParameters: number): number {
  const experts = entry.shape.experts;
  if (!experts) return 0;
  if (!entry.activeParametersB || layerParameters <= 0) return 0.9;
  const activeLayers = Math.max(0, entry.activeParametersB * 1e9 - embeddingParameters) / layerParameters;
  const share = (1 - activeLayers) / (1 - experts.used / experts.count);
  return Math.min(1, Math.max(0, share));
}

/**
 * Facts for a model not downloaded yet, from its shape: weights spread evenly over the layers.
 * MoE models are judged by their total size for memory and their active share for speed.
 */
export function factsFromShape(entry: CatalogFileEntry, quant = defaultQuant(entry)): ModelFacts {
  const s = entry.shape;
  const parameters = entry.parametersB * 1e9;
  const bitsPerWeight = quantInfo(quant)?.bitsPerWeight ?? q4kmBits;
  const embeddingParameters = 2 * s.vocab * s.embedding;
  const layerParameters = Math.max(0, parameters - embeddingParameters);
  const estimated = parameters * (bitsPerWeight / 8);
  // A listed size is the truth; the estimate is scaled onto it.
  const scale = (listedBytes(entry, quant) ?? estimated) / estimated;
  const bytesPerWeight = (bitsPerWeight / 8) * scale;
  const embeddingBytes = s.vocab * s.embedding * bytesPerWeight;
  const layerBytes = (layerParameters * bytesPerWeight) / s.layers;
  const experts = expertShare(entry, layerParameters, embeddingParameters);
  const headDim = s.headDim ?? s.embedding / s.heads;
  const pattern = s.slidingWindowPattern;
  return {
    name: entry.name,
    architecture: entry.family,
    layers: s.layers,
    embedding: s.embedding,
    heads: s.heads,
    kvHeads: Array.from({ length: s.layers }, () => s.kvHeads),
    keyLength: headDim,
    valueLength: headDim,
    trainContextSize: s.contextLength,
    slidingWindow: s.slidingWindow ?? null,
    swaLayers: Array.from(
      { length: s.layers },
      (_, i) => !!s.slidingWindow && pattern !== undefined && i % pattern < pattern - 1,
    ),
    experts: s.experts ?? null,
    vocabSize: s.vocab,
    feedForward: 4 * s.embedding,
    parameters,
    quant,
    bytes: {
      layers: Array.from({ length: s.layers }, () => layerBytes),
      expertLayers: Array.from({ length: s.layers }, () => layerBytes * experts),
      input: embeddingBytes,
      output: embeddingBytes,
      tiedCopy: 0,
      embeddingType: 'Q4_K',
      matrices: Array.from({ length: s.layers }, () => [{ type: 'Q4_K', rowMultiple: 8, bytes: layerBytes }]),
      outputMatrix: { type: 'Q4_K', rowMultiple: 8, bytes: embeddingBytes },
      total: embeddingBytes * 2 + layerBytes * s.layers,
    },
  };
}
