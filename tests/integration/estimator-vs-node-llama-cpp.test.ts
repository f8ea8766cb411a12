import { getLlama, GgufInsights, LlamaLogLevel, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FitEstimate } from '../../src/shared/contract';
import { estimateFit } from '../../src/main/services/estimator/fit';
import type { ModelFacts } from '../../src/main/services/estimator/model-facts';
import { budgetFromProfile } from '../../src/main/services/estimator/machine-budget';
import {
  cpuOnlyProfile,
  gpuTable,
  modelTable,
  profileWith,
  writeShaped,
  type ShapedModel,
} from '../helpers/estimator';
import { makeTempDir } from '../helpers/temp-dir';

const GiB = 1024 ** 3;

/**
 * Where Hearth and node-llama-cpp's resolver differ by more than one layer, and why Hearth's
 * answer is the better one. Each is checked, so the test fails if either side changes.
 */
const documented: Record<
  string,
  { why: string; check: (ours: FitEstimate, theirs: Resolved, facts: ModelFacts) => void }
> = {
  'llama31_70b@rtx3060': {
    why:
      'node-llama-cpp scores layer counts together with how much context fits, and picks CPU-only for a 70B model on a 12 GB card. ' +
      'Offloading 21 of 81 layers (about 10.7 GiB) is a valid placement that llama.cpp runs (-ngl 21) with the rest in RAM, and ' +
      'every token reads a quarter of its weights from 360 GB/s VRAM instead of RAM, so it is faster.',
    check: (ours, theirs, facts) => {
      expect(theirs.gpuLayers).toBe(0);
      expect(ours.verdict).toBe('partial');
      expect(ours.gpuLayers).toBeGreaterThan(15);
      const cpuOnly = estimateFit(facts, budgetFromProfile(cpuOnlyProfile), { contextSize: 4096 });
      expect(ours.speed.generationTps!).toBeGreaterThan(cpuOnly.speed.generationTps!);
    },
  },
  'mixtral_8x7b@rtx3060': {
    why:
      "node-llama-cpp loads 14 layers whose VRAM it estimates above the card's size minus its own padding, leaving less than " +
      'the CUDA context and a desktop take on a 12 GB card; Hearth keeps ~1 GiB free and loads 12 (one layer is ~0.8 GiB).',
    check: (ours, theirs) => {
      expect(theirs.gpuLayers - ours.gpuLayers).toBe(2);
      expect(theirs.totalVramUsage).toBeGreaterThan(12 * GiB - theirs.padding);
    },
  },
};

interface Resolved {
  gpuLayers: number;
  totalVramUsage: number;
  padding: number;
}

describe("estimator vs node-llama-cpp's resolver (heuristic path)", () => {
  const dir = makeTempDir();
  const models = new Map<string, ShapedModel>();
  let llama: Llama;

  beforeAll(async () => {
    for (const { id, mix } of modelTable) models.set(id, await writeShaped(dir.path, id, mix));
    llama = await getLlama({
      gpu: false,
      build: 'never',
      logLevel: LlamaLogLevel.disabled,
      logger: () => {},
    });
  }, 120_000);
  afterAll(async () => {
    await llama?.dispose();
    dir.cleanup();
  });

  async function resolve(model: ShapedModel, vramTotal: number): Promise<Resolved & { modelSize: number }> {
    const info = await readGgufFileInfo(model.path);
    // Without a file source, node-llama-cpp cannot run its loader simulation and uses its heuristics.
    const insights = await GgufInsights.from({ ...info, source: undefined } as unknown as typeof info, llama);
    const padding = Math.floor(Math.min(vramTotal * 0.08, 1.6 * GiB));
    const result = await insights.configurationResolver.resolveAndScoreConfig(
      { targetContextSize: 4096 },
      {
        getVramState: async () => ({ total: vramTotal, free: vramTotal, unifiedSize: 0 }),
        getRamState: async () => ({
          total: cpuOnlyProfile.ram.totalBytes,
          free: cpuOnlyProfile.ram.availableBytes,
        }),
        getSwapState: async () => ({ total: 0, free: 0 }),
        llamaGpu: 'cuda',
        llamaSupportsGpuOffloading: true,
        llamaVramPaddingSize: padding,
      },
    );
    return {
      gpuLayers: result.resolvedValues.gpuLayers,
      totalVramUsage: result.resolvedValues.totalVramUsage,
      padding,
      modelSize: insights.modelSize,
    };
  }

  it('counts the same weight bytes as node-llama-cpp for every model', async () => {
    for (const { id } of modelTable) {
      const model = models.get(id)!;
      const theirs = await resolve(model, 24 * GiB);
      expect(model.facts.bytes.total).toBe(theirs.modelSize);
    }
  });

  for (const { id } of modelTable) {
    for (const gpu of gpuTable) {
      const key = `${id}@${gpu.id}`;
      it(`${key}: same verdict and GPU layers within one${documented[key] ? ' (documented difference)' : ''}`, async () => {
        const model = models.get(id)!;
        const ours = estimateFit(model.facts, budgetFromProfile(profileWith(gpu.query)), {
          contextSize: 4096,
        });
        const theirs = await resolve(model, gpu.vramGiB * gpu.count * GiB);
        const agrees =
          Math.abs(ours.gpuLayers - theirs.gpuLayers) <= 1 &&
          (ours.verdict === 'full-gpu') === (theirs.gpuLayers === ours.totalLayers);
        // node-llama-cpp's pick for some cases varies between runs (its scorer probes placements),
        // so a documented difference is checked only when the plain rule does not hold.
        const exception = documented[key];
        if (!agrees && exception) {
          expect(exception.why.length).toBeGreaterThan(50);
          exception.check(ours, theirs, model.facts);
          return;
        }
        expect(Math.abs(ours.gpuLayers - theirs.gpuLayers)).toBeLessThanOrEqual(1);
        expect(ours.verdict === 'full-gpu').toBe(theirs.gpuLayers === ours.totalLayers);
      });
    }
  }
});
