/**
 * The quantization table people learn from (llama.cpp's figures for a 7B model, from the seeds),
 * and the rule of thumb M = P x Q/8 x 1.2 shown beside Hearth's own estimate.
 */
export interface QuantInfo {
  name: string;
  bitsPerWeight: number;
  /** The bits people put in the rule of thumb: 4 for any 4-bit quant (the seeds' Q). */
  nominalBits: number;
  /** Size of a 7B model at this quant, in GB (llama.cpp's table). */
  size7bGB: number | null;
  /** Perplexity increase over F16 on a 7B model. */
  pplDelta: number | null;
  quality: string;
  recommended: boolean;
}

export const quantTable: readonly QuantInfo[] = [
  {
    name: 'F32',
    nominalBits: 32,
    bitsPerWeight: 32,
    size7bGB: 26,
    pplDelta: null,
    quality: 'Lossless',
    recommended: false,
  },
  {
    name: 'F16',
    nominalBits: 16,
    bitsPerWeight: 16,
    size7bGB: 13,
    pplDelta: null,
    quality: 'Almost lossless',
    recommended: false,
  },
  {
    name: 'BF16',
    nominalBits: 16,
    bitsPerWeight: 16,
    size7bGB: 13,
    pplDelta: null,
    quality: 'Almost lossless',
    recommended: false,
  },
  {
    name: 'Q8_0',
    nominalBits: 8,
    bitsPerWeight: 8.5,
    size7bGB: 6.7,
    pplDelta: 0.0004,
    quality: 'Extremely low loss',
    recommended: false,
  },
  {
    name: 'Q6_K',
    nominalBits: 6,
    bitsPerWeight: 6.56,
    size7bGB: 5.15,
    pplDelta: 0.0044,
    quality: 'Extremely low loss',
    recommended: true,
  },
  {
    name: 'Q5_K_M',
    nominalBits: 5,
    bitsPerWeight: 5.67,
    size7bGB: 4.45,
    pplDelta: 0.0142,
    quality: 'Very low loss',
    recommended: true,
  },
  {
    name: 'Q5_K_S',
    nominalBits: 5,
    bitsPerWeight: 5.52,
    size7bGB: 4.33,
    pplDelta: 0.0353,
    quality: 'Low loss',
    recommended: true,
  },
  {
    name: 'Q5_1',
    nominalBits: 5,
    bitsPerWeight: 6,
    size7bGB: 4.7,
    pplDelta: 0.0415,
    quality: 'Low loss (legacy)',
    recommended: false,
  },
  {
    name: 'Q5_0',
    nominalBits: 5,
    bitsPerWeight: 5.5,
    size7bGB: 4.3,
    pplDelta: 0.0796,
    quality: 'Balanced (legacy)',
    recommended: false,
  },
  {
    name: 'Q4_K_M',
    nominalBits: 4,
    bitsPerWeight: 4.85,
    size7bGB: 3.8,
    pplDelta: 0.0535,
    quality: 'Balanced',
    recommended: true,
  },
  {
    name: 'Q4_K_S',
    nominalBits: 4,
    bitsPerWeight: 4.58,
    size7bGB: 3.56,
    pplDelta: 0.1149,
    quality: 'Significant loss',
    recommended: false,
  },
  {
    name: 'IQ4_XS',
    nominalBits: 4,
    bitsPerWeight: 4.25,
    size7bGB: null,
    pplDelta: null,
    quality: 'Balanced (i-quant)',
    recommended: false,
  },
  {
    name: 'Q4_1',
    nominalBits: 4,
    bitsPerWeight: 5,
    size7bGB: 3.9,
    pplDelta: 0.1846,
    quality: 'Substantial loss (legacy)',
    recommended: false,
  },
  {
    name: 'Q4_0',
    nominalBits: 4,
    bitsPerWeight: 4.5,
    size7bGB: 3.5,
    pplDelta: 0.2499,
    quality: 'Very high loss (legacy)',
    recommended: false,
  },
  {
    name: 'MXFP4',
    nominalBits: 4,
    bitsPerWeight: 4.25,
    size7bGB: null,
    pplDelta: null,
    quality: 'Native 4-bit (gpt-oss)',
    recommended: true,
  },
  {
    name: 'Q3_K_L',
    nominalBits: 3,
    bitsPerWeight: 4.27,
    size7bGB: 3.35,
    pplDelta: 0.1803,
    quality: 'Substantial loss',
    recommended: false,
  },
  {
    name: 'Q3_K_M',
    nominalBits: 3,
    bitsPerWeight: 3.91,
    size7bGB: 3.06,
    pplDelta: 0.2437,
    quality: 'Very high loss',
    recommended: false,
  },
  {
    name: 'Q3_K_S',
    nominalBits: 3,
    bitsPerWeight: 3.5,
    size7bGB: 2.75,
    pplDelta: 0.5505,
    quality: 'Very high loss',
    recommended: false,
  },
  {
    name: 'IQ3_XXS',
    nominalBits: 3,
    bitsPerWeight: 3.06,
    size7bGB: null,
    pplDelta: null,
    quality: 'High loss (i-quant)',
    recommended: false,
  },
  {
    name: 'Q2_K',
    nominalBits: 2,
    bitsPerWeight: 3.35,
    size7bGB: 2.67,
    pplDelta: 0.8698,
    quality: 'Extreme loss',
    recommended: false,
  },
  {
    name: 'IQ2_XS',
    nominalBits: 2,
    bitsPerWeight: 2.31,
    size7bGB: null,
    pplDelta: null,
    quality: 'Extreme loss (i-quant)',
    recommended: false,
  },
];

export function quantInfo(name: string): QuantInfo | undefined {
  const upper = name.toUpperCase();
  return quantTable.find((q) => q.name === upper);
}

/** M = P x (Q / 8) x 1.2, in bytes: parameters times bytes per weight plus a 20% margin. */
export function ruleOfThumbBytes(parameters: number, bitsPerWeight: number): number {
  return parameters * (bitsPerWeight / 8) * 1.2;
}
