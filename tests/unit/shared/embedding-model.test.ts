import { describe, expect, it } from 'vitest';
import { isEmbeddingModel, poolingTypes } from '../../../src/shared/domain/embedding-model';

describe('isEmbeddingModel', () => {
  it('a pooling type of mean, cls or last makes any architecture an embedding model', () => {
    for (const pooling of [poolingTypes.mean, poolingTypes.cls, poolingTypes.last])
      expect(isEmbeddingModel('qwen3', pooling)).toBe(true);
  });

  it('encoders are embedding models even without a pooling type; a reranker is not one', () => {
    expect(isEmbeddingModel('bert', undefined)).toBe(true);
    expect(isEmbeddingModel('nomic-bert', undefined)).toBe(true);
    expect(isEmbeddingModel('bert', poolingTypes.rank)).toBe(false);
  });

  it('a chat model (no pooling, or none) is not, nor a header that says nothing readable', () => {
    expect(isEmbeddingModel('llama', undefined)).toBe(false);
    expect(isEmbeddingModel('llama', poolingTypes.none)).toBe(false);
    expect(isEmbeddingModel('llama', 'mean')).toBe(false);
    expect(isEmbeddingModel(null, undefined)).toBe(false);
  });
});
