import { describe, expect, it } from 'vitest';
import type { FitEstimate } from '../../../../../src/shared/contract';
import { pickVariant, type VariantFit } from '../../../../../src/main/services/models/model-advisor';

const fit = (verdict: FitEstimate['verdict'], gpuLayers: number): FitEstimate =>
  ({ verdict, gpuLayers, totalLayers: 25, maxContextSize: 32768 }) as FitEstimate;
const variant = (quant: string, sizeBytes: number, f: FitEstimate | null): VariantFit => ({
  quant,
  path: `model-${quant}.gguf`,
  sizeBytes,
  parts: 1,
  fit: f,
});

describe('pickVariant', () => {
  it("treats gpt-oss's native MXFP4 as full quality when it is the repo's only file", () => {
    const pick = pickVariant('ggml-org/gpt-oss-20b-GGUF', [variant('MXFP4', 12.1e9, fit('partial', 16))]);
    expect(pick?.variant.quant).toBe('MXFP4');
    expect(pick?.reason).toMatch(/MXFP4 balances quality and speed here: it runs 16 of 25 layers on the GPU/);
    expect(pick?.reason).not.toMatch(/Only smaller quants/);
  });

  it('still prefers Q4_K_M over MXFP4 when partly on the CPU', () => {
    const pick = pickVariant('unsloth/gpt-oss-20b-GGUF', [
      variant('MXFP4', 12.1e9, fit('partial', 16)),
      variant('Q4_K_M', 11.6e9, fit('partial', 17)),
    ]);
    expect(pick?.variant.quant).toBe('Q4_K_M');
  });
});
