import { AppError, type FitEstimate } from '../../../shared/contract';
import { groupVariants, type ModelVariant } from '../../../shared/domain/gguf-files';
import type { EstimatorService, FitSettings } from '../estimator/estimator-service';
import { modelFacts, type ModelFacts } from '../estimator/model-facts';
import { readGgufHeader } from '../gguf/gguf-reader';
import { httpByteSource } from '../gguf/http-byte-source';
import type { HubClient, HubModelInfo } from '../hub/hub-client';

export interface VariantFit {
  quant: string;
  path: string;
  sizeBytes: number;
  parts: number;
  fit: FitEstimate | null;
}

export interface Recommendation {
  repo: string;
  variant: VariantFit;
  reason: string;
}

/**
 * The quants Hearth prefers, best quality first: below Q4 quality drops fast, above Q6 the gain is
 * tiny. MXFP4 is gpt-oss's native format (its experts were trained in it), so it counts as full quality.
 */
const preferred = ['Q6_K', 'Q5_K_M', 'Q5_K_S', 'Q4_K_M', 'Q4_K_S', 'MXFP4', 'MXFP4_MOE'];

/** Scales a variant's weights from the facts of another quant of the same model (same shapes, other types). */
function scaleFacts(facts: ModelFacts, probeBytes: number, variant: ModelVariant): ModelFacts {
  const k = variant.sizeBytes / probeBytes;
  const b = facts.bytes;
  return {
    ...facts,
    quant: variant.quant,
    bytes: {
      ...b,
      layers: b.layers.map((x) => x * k),
      expertLayers: b.expertLayers.map((x) => x * k),
      input: b.input * k,
      output: b.output * k,
      tiedCopy: b.tiedCopy * k,
      total: b.total * k,
    },
  };
}

/** Picks the variant to install with one click, and says why. */
export function pickVariant(repo: string, variants: VariantFit[]): Recommendation | null {
  const fits = variants.filter((v) => v.fit && v.fit.verdict !== 'does-not-fit');
  const good = fits.filter((v) => preferred.includes(v.quant));
  const full = good.filter((v) => v.fit?.verdict === 'full-gpu').sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
  if (full) {
    return {
      repo,
      variant: full,
      reason: `${full.quant} is the best quality that runs fully on your GPU, with up to ${full.fit?.maxContextSize?.toLocaleString('en-US')} tokens of context.`,
    };
  }
  // Partly on the CPU, smaller is faster: Q4_K_M is the sweet spot (MXFP4 where it is the native one).
  const partial =
    good.find((v) => v.quant === 'Q4_K_M') ??
    good.find((v) => v.quant.startsWith('MXFP4')) ??
    good.sort((a, b) => a.sizeBytes - b.sizeBytes)[0];
  if (partial?.fit) {
    const where =
      partial.fit.verdict === 'partial'
        ? `${partial.fit.gpuLayers} of ${partial.fit.totalLayers} layers on the GPU, the rest on the CPU`
        : 'on the CPU';
    return {
      repo,
      variant: partial,
      reason: `${partial.quant} balances quality and speed here: it runs ${where}.`,
    };
  }
  const smaller = fits.sort((a, b) => b.sizeBytes - a.sizeBytes)[0];
  if (smaller)
    return {
      repo,
      variant: smaller,
      reason: `Only smaller quants fit this machine; ${smaller.quant} is the largest that does.`,
    };
  return null;
}

export class ModelAdvisor {
  constructor(
    private readonly hub: HubClient,
    /** The same estimator as for files here: same machine, same settings, same learned corrections. */
    private readonly estimator: Pick<EstimatorService, 'fitFacts'>,
  ) {}

  /**
   * Every quant of a repo with its fit, from one header read remotely (HTTP Range), checked with the
   * given settings (context 8,192 or the model's own when smaller, unless one is given).
   */
  async variants(
    repo: string,
    settings: FitSettings = {},
  ): Promise<{ info: HubModelInfo; variants: VariantFit[]; architecture: string | null }> {
    const info = await this.hub.modelInfo(repo);
    const variants = groupVariants(info.files).filter((v) => v.complete);
    if (variants.length === 0) return { info, variants: [], architecture: null };
    const probe = variants.find((v) => v.quant === 'Q4_K_M') ?? variants[Math.floor(variants.length / 2)]!;
    let facts: ModelFacts | undefined;
    try {
      const location = (await this.hub.fileMetadata(repo, info.sha, probe.path)).location;
      facts = modelFacts(await readGgufHeader(httpByteSource(location)));
    } catch (error) {
      if (error instanceof AppError && error.code === 'FORBIDDEN') throw error;
      facts = undefined;
    }
    // A const the closures below can narrow.
    const read = facts;
    const checked = read && {
      ...settings,
      contextSize: settings.contextSize ?? Math.min(8192, read.trainContextSize),
    };
    return {
      info,
      architecture: read?.architecture ?? info.gguf?.architecture ?? null,
      variants: await Promise.all(
        variants.map(async (v) => ({
          quant: v.quant,
          path: v.path,
          sizeBytes: v.sizeBytes,
          parts: v.files.length,
          fit:
            read && checked
              ? await this.estimator.fitFacts(
                  scaleFacts(read, probe.sizeBytes, v),
                  checked,
                  `hf:${repo}/${v.path}`,
                )
              : null,
        })),
      ),
    };
  }

  async recommend(repo: string): Promise<Recommendation> {
    const { variants } = await this.variants(repo);
    const pick = pickVariant(repo, variants);
    if (!pick) throw new AppError('NOT_FOUND', `No quant of ${repo} fits this machine`);
    return pick;
  }
}
