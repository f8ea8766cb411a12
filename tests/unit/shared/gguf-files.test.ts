import { describe, expect, it } from 'vitest';
import { groupVariants, parseQuantLabel, parseShard } from '../../../src/shared/domain/gguf-files';

describe('GGUF file names', () => {
  it('reads quant labels as huggingface.js does (last match wins)', () => {
    expect(parseQuantLabel('Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf')).toBe('Q4_K_M');
    expect(parseQuantLabel('Codestral-22B-v0.1.gguf')).toBeUndefined();
    expect(parseQuantLabel('model-F32-Q2_K.gguf')).toBe('Q2_K');
    expect(parseQuantLabel('Qwen3-4B-UD-Q2_K_XL.gguf')).toBe('UD-Q2_K_XL');
    expect(parseQuantLabel('gpt-oss-20b-MXFP4.gguf')).toBe('MXFP4');
    expect(parseQuantLabel('gpt-oss-120b-MXFP4_MOE.gguf')).toBe('MXFP4_MOE');
    expect(parseQuantLabel('Llama-3.2-3B-Instruct-IQ4_XS.gguf')).toBe('IQ4_XS');
    expect(parseQuantLabel('qwen2.5-7b-instruct-q8_0.gguf')).toBe('Q8_0');
    expect(parseQuantLabel('model.BF16.gguf')).toBe('BF16');
    expect(parseQuantLabel('gemma-2-9b-it-Q6_K_L.gguf')).toBe('Q6_K');
    expect(parseQuantLabel('Q4_K_M/GLM-4.5-Air-Q4_K_M-00001-of-00002.gguf')).toBe('Q4_K_M');
  });

  it('reads split parts', () => {
    expect(parseShard('Q4_K_M/GLM-4.5-Air-Q4_K_M-00001-of-00002.gguf')).toEqual({
      prefix: 'Q4_K_M/GLM-4.5-Air-Q4_K_M',
      index: 1,
      total: 2,
    });
    expect(parseShard('model-Q4_K_M.gguf')).toBeUndefined();
  });

  it('groups a repo into variants: splits joined, auxiliary files skipped, largest first', () => {
    const variants = groupVariants([
      { path: 'README.md', size: 10 },
      { path: 'm-Q4_K_M.gguf', size: 400 },
      { path: 'm-Q8_0.gguf', size: 800 },
      { path: 'mmproj-m-f16.gguf', size: 50 },
      { path: 'big/m-F16-00002-of-00002.gguf', size: 700 },
      { path: 'big/m-F16-00001-of-00002.gguf', size: 900 },
      { path: 'part/m-Q2_K-00001-of-00003.gguf', size: 100 },
    ]);
    expect(variants.map((v) => v.quant)).toEqual(['F16', 'Q8_0', 'Q4_K_M', 'Q2_K']);
    expect(variants[0]).toMatchObject({
      path: 'big/m-F16-00001-of-00002.gguf',
      sizeBytes: 1600,
      complete: true,
    });
    expect(variants[0]?.files.map((f) => f.path)).toEqual([
      'big/m-F16-00001-of-00002.gguf',
      'big/m-F16-00002-of-00002.gguf',
    ]);
    expect(variants[3]?.complete).toBe(false);
  });
});
