import type { FitEstimate, RouteOutput } from '../../../../shared/contract';

type Conversation = RouteOutput<'chats.list'>[number];
type LibraryModel = RouteOutput<'library.list'>[number];

const verdictRank: Record<FitEstimate['verdict'], number> = {
  'full-gpu': 0,
  partial: 1,
  'cpu-only': 2,
  'does-not-fit': 3,
};

/** Best first: the estimator's verdict, a chat template, then (like the advisor) the largest that runs fully on the GPU, or else the smallest, which is the fastest. */
function compare(a: LibraryModel, b: LibraryModel, fits: Map<string, FitEstimate | null>): number {
  const fa = fits.get(a.path);
  const fb = fits.get(b.path);
  const ra = fa ? verdictRank[fa.verdict] : 4;
  const rb = fb ? verdictRank[fb.verdict] : 4;
  if (ra !== rb) return ra - rb;
  if (a.hasChatTemplate !== b.hasChatTemplate) return a.hasChatTemplate ? -1 : 1;
  return ra === 0 ? b.sizeBytes - a.sizeBytes : a.sizeBytes - b.sizeBytes;
}

/**
 * The model a new chat starts on: the one of the most recent conversation while it is still
 * installed, else the installed model the estimator rates best on this machine. Null while that is
 * not known yet: conversations still loading, or (with no conversation to go by) fits still being
 * estimated (`fits` has an entry per model once its estimate settled, null when it failed).
 */
export function pickDefaultModel(
  conversations: Conversation[] | undefined,
  usable: LibraryModel[],
  fits: Map<string, FitEstimate | null>,
): string | null {
  if (!conversations || usable.length === 0) return null;
  const installed = new Set(usable.map((m) => m.id));
  const last = conversations.find((c) => c.modelId !== null && installed.has(c.modelId))?.modelId;
  if (last) return last;
  if (usable.length === 1) return usable[0]!.id;
  if (usable.some((m) => !fits.has(m.path))) return null;
  return [...usable].sort((a, b) => compare(a, b, fits))[0]!.id;
}
