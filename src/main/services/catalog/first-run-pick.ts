import type { CatalogEntry } from '../../../shared/contract';

/** Tokens per second that read as fluent: a little faster than people read. */
export const comfortableTps = 10;
/** Context the proposed model must hold: a real conversation, not a toy. */
const minContext = 8192;

const runs = (e: CatalogEntry): boolean =>
  e.fit.verdict !== 'does-not-fit' && (e.fit.maxContextSize ?? 0) >= Math.min(minContext, e.contextLength);

/** Fast enough to chat with; a GPU without a known bandwidth is trusted when the model fits on it. */
const fluent = (e: CatalogEntry): boolean => {
  const tps = e.fit.speed.generationTps;
  if (tps === null) return e.fit.verdict === 'full-gpu';
  return tps >= comfortableTps;
};

/** Bigger (by total parameters) is better; between equals the faster one. */
const strongerFirst = (a: CatalogEntry, b: CatalogEntry): number =>
  b.parametersB - a.parametersB || (b.fit.speed.generationTps ?? 0) - (a.fit.speed.generationTps ?? 0);

/**
 * The chat model to propose on first run: the strongest current model that fits this machine's
 * GPU and RAM together with 8k of context and still writes fluently. Memory is judged by total
 * size (every expert must be loaded), speed by what a token reads (a 30B-A3B MoE reads ~3B), so a
 * 30B-A3B split over a 12 GB GPU and 32 GB of RAM beats a dense 14B. Older models are proposed
 * only when no current one qualifies; without any fluent model, the fastest one that fits.
 */
export function pickFirstRun(entries: readonly CatalogEntry[]): CatalogEntry | undefined {
  const chat = entries.filter((e) => e.uses.includes('chat') && !e.capabilities.embeddings);
  const good = chat.filter((e) => runs(e) && fluent(e));
  const current = good.filter((e) => !e.legacy).sort(strongerFirst)[0];
  if (current) return current;
  const any = good.sort(strongerFirst)[0];
  if (any) return any;
  const fastest = chat
    .filter((e) => e.fit.verdict !== 'does-not-fit')
    .sort((a, b) => (b.fit.speed.generationTps ?? 0) - (a.fit.speed.generationTps ?? 0))[0];
  return fastest ?? [...chat].sort((a, b) => a.parametersB - b.parametersB)[0];
}
