import { describe, expect, it } from 'vitest';
import type { FitEstimate, HubModelDetails } from '../../../src/shared/contract';
import { parseModelRef } from '../../../src/shared/domain/model-ref';
import { answerHubFit } from '../../../src/renderer/src/features/hardware/hub-fit';

const fit = { verdict: 'full-gpu' } as FitEstimate;
const variant = (quant: string) => ({ quant, path: `m-${quant}.gguf`, sizeBytes: 1e9, parts: 1, fit });
const details = (...quants: string[]): HubModelDetails => ({
  id: 'Qwen/Qwen3-8B-GGUF',
  author: 'Qwen',
  downloads: 1,
  likes: 1,
  gated: false,
  license: 'apache-2.0',
  lastModified: null,
  variants: quants.map(variant),
  recommended: null,
  architecture: 'qwen3',
});

describe('the fit check for a Hugging Face repo', () => {
  it('reads owner/repo, owner/repo:QUANT and hf.co links as the CLI does', () => {
    expect(parseModelRef(' Qwen/Qwen3-8B-GGUF:Q4_K_M ')).toEqual({
      repo: 'Qwen/Qwen3-8B-GGUF',
      quant: 'Q4_K_M',
    });
    expect(parseModelRef('Qwen/Qwen3-8B-GGUF')).toEqual({ repo: 'Qwen/Qwen3-8B-GGUF', quant: undefined });
    expect(parseModelRef('https://huggingface.co/Qwen/Qwen3-8B-GGUF')).toEqual({
      repo: 'Qwen/Qwen3-8B-GGUF',
      quant: undefined,
    });
    expect(parseModelRef('hf.co/Qwen/Qwen3-8B-GGUF:q8_0').quant).toBe('q8_0');
  });

  it('shows the quant asked for, in any case', () => {
    expect(answerHubFit(details('Q8_0', 'Q4_K_M'), 'q4_k_m')).toEqual({
      kind: 'variant',
      variant: variant('Q4_K_M'),
    });
  });

  it('shows every quant when none is given', () => {
    const answer = answerHubFit(details('Q8_0', 'Q4_K_M'), undefined);
    expect(answer.kind === 'table' && answer.variants.map((v) => v.quant)).toEqual(['Q8_0', 'Q4_K_M']);
  });

  it('names the quants that exist when the one asked for does not', () => {
    expect(answerHubFit(details('Q8_0', 'Q4_K_M'), 'Q3_K_S')).toEqual({
      kind: 'missing',
      message: 'Qwen/Qwen3-8B-GGUF has no Q3_K_S (available: Q8_0, Q4_K_M)',
    });
    expect(answerHubFit(details(), 'Q4_K_M')).toEqual({
      kind: 'missing',
      message: 'Qwen/Qwen3-8B-GGUF has no GGUF files',
    });
  });
});
