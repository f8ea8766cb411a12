import { readFileSync } from 'node:fs';
import bundledCatalog from '../../../../resources/catalog.json';
import { AppError, type CatalogEntry, type HardwareProfile } from '../../../shared/contract';
import { estimateFit } from '../estimator/fit';
import { budgetFromProfile } from '../estimator/machine-budget';
import type { ModelFacts } from '../estimator/model-facts';

interface Shape {
  layers: number;
  embedding: number;
  heads: number;
  kvHeads: number;
  contextLength: number;
  vocab: number;
  headDim?: number;
  slidingWindow?: number;
  experts?: { count: number; used: number };
}

export interface CatalogFileEntry extends Omit<CatalogEntry, 'fit' | 'approxSizeBytes'> {
  shape: Shape;
}

/** Q4_K_M's average bits per weight: what catalog badges assume until a file is chosen. */
const q4kmBits = 4.85;

/** Facts for a model not downloaded yet, from its shape: weights spread evenly over the layers. */
export function factsFromShape(entry: CatalogFileEntry, bitsPerWeight = q4kmBits): ModelFacts {
  const s = entry.shape;
  const parameters = entry.parametersB * 1e9;
  const bytesPerWeight = bitsPerWeight / 8;
  const embeddingBytes = s.vocab * s.embedding * bytesPerWeight;
  const layerBytes = Math.max(0, (parameters - 2 * s.vocab * s.embedding) * bytesPerWeight) / s.layers;
  const headDim = s.headDim ?? s.embedding / s.heads;
  const swaPattern = entry.family === 'gpt-oss' || entry.family === 'Gemma 2' ? 2 : 0;
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
      (_, i) => !!s.slidingWindow && swaPattern > 0 && i % swaPattern === 0,
    ),
    experts: s.experts ?? null,
    vocabSize: s.vocab,
    feedForward: 4 * s.embedding,
    parameters,
    quant: 'Q4_K_M',
    bytes: {
      layers: Array.from({ length: s.layers }, () => layerBytes),
      // In MoE models nearly all of a block is its experts.
      expertLayers: Array.from({ length: s.layers }, () => (s.experts ? layerBytes * 0.9 : 0)),
      input: embeddingBytes,
      output: embeddingBytes,
      tiedCopy: 0,
      embeddingType: 'Q4_K',
      total: embeddingBytes * 2 + layerBytes * s.layers,
    },
  };
}

/** The curated models (resources/catalog.json) with a fit badge for this machine. */
export class CatalogService {
  private entries: CatalogFileEntry[] | undefined;

  /** The catalog shipped in resources/, or another file (tests point it at the fake Hub's repos). */
  constructor(private readonly catalogPath?: string) {}

  raw(): CatalogFileEntry[] {
    const source = this.catalogPath
      ? (JSON.parse(readFileSync(this.catalogPath, 'utf8')) as { models: unknown[] })
      : bundledCatalog;
    this.entries ??= source.models as CatalogFileEntry[];
    return this.entries;
  }

  list(profile: HardwareProfile): CatalogEntry[] {
    const budget = budgetFromProfile(profile);
    return this.raw().map(({ shape: _shape, ...entry }, i) => {
      const facts = factsFromShape(this.raw()[i]!);
      return {
        ...entry,
        fit: estimateFit(facts, budget, { contextSize: Math.min(8192, facts.trainContextSize) }),
        approxSizeBytes: facts.bytes.total,
      };
    });
  }

  /**
   * The chat model to propose on first run: the largest that runs fully on the GPU with room for
   * 8k tokens, or, without such a GPU, the largest that still writes at a comfortable pace.
   */
  firstRunPick(profile: HardwareProfile): CatalogEntry {
    const chat = this.list(profile)
      .filter((e) => e.uses.includes('chat'))
      .sort((a, b) => b.parametersB - a.parametersB);
    const onGpu = chat.find((e) => e.fit.verdict === 'full-gpu' && (e.fit.maxContextSize ?? 0) >= 8192);
    const comfortable = chat.find(
      (e) => e.fit.verdict !== 'does-not-fit' && (e.fit.speed.generationTps ?? 0) >= 8,
    );
    const pick = onGpu ?? comfortable ?? chat.at(-1);
    if (!pick) throw new AppError('NOT_FOUND', 'The catalog has no chat model');
    return pick;
  }
}
