import type { HubModelDetails } from '../../../../shared/contract';

type Variant = HubModelDetails['variants'][number];

/** What the fit check shows for `owner/repo[:QUANT]`: one quant, every quant, or what exists. */
export type HubFitAnswer =
  | { kind: 'variant'; variant: Variant }
  | { kind: 'table'; variants: Variant[] }
  | { kind: 'missing'; message: string };

export function answerHubFit(details: HubModelDetails, quant: string | undefined): HubFitAnswer {
  if (details.variants.length === 0) return { kind: 'missing', message: `${details.id} has no GGUF files` };
  if (!quant) return { kind: 'table', variants: details.variants };
  // Quant names are written in any case: q4_k_m is Q4_K_M.
  const variant = details.variants.find((v) => v.quant.toLowerCase() === quant.toLowerCase());
  if (variant) return { kind: 'variant', variant };
  const available = details.variants.map((v) => v.quant).join(', ');
  return { kind: 'missing', message: `${details.id} has no ${quant} (available: ${available})` };
}
