import { describe, expect, it } from 'vitest';
import { catalogEntrySchema } from '../../../../../src/shared/contract/models';
import type { CatalogEntry, HardwareProfile } from '../../../../../src/shared/contract';
import { CatalogService } from '../../../../../src/main/services/catalog/catalog-service';
import { comfortableTps, pickFirstRun } from '../../../../../src/main/services/catalog/first-run-pick';
import { tiers } from './tier-profiles';

/** What the shipped catalog proposes on first run for a machine. */
const catalog = new CatalogService();
const pickFor = (profile: HardwareProfile): CatalogEntry => catalog.firstRunPick(profile);
const entry = (profile: HardwareProfile, id: string): CatalogEntry => {
  const found = catalog.list(profile).find((e) => e.id === id);
  if (!found) throw new Error(`no ${id} in the catalog`);
  return found;
};
const tps = (e: CatalogEntry): number => e.fit.speed.generationTps ?? 0;

describe('first-run recommendation by hardware tier (shipped catalog)', () => {
  it('12 GB GPU + 32 GB RAM: a 30B-A3B MoE split over GPU and RAM, still fluent', () => {
    const pick = pickFor(tiers.gpu12);
    expect(pick.parametersB).toBeGreaterThanOrEqual(30);
    expect(pick.activeParametersB).toBeLessThan(4);
    expect(pick.fit.verdict).toBe('partial');
    expect(tps(pick)).toBeGreaterThanOrEqual(comfortableTps);
    // A dense model of the same size also fits GPU+RAM, but reads every weight per token: too slow.
    const dense = entry(tiers.gpu12, 'qwen3-32b');
    expect(dense.fit.verdict).not.toBe('does-not-fit');
    expect(tps(dense)).toBeLessThan(comfortableTps);
    expect(tps(pick)).toBeGreaterThan(5 * tps(dense));
  });

  it('judges an MoE by its total size for memory: no 30B-A3B on an 8 GB laptop with 16 GB RAM', () => {
    expect(entry(tiers.laptop8, 'qwen3-30b-a3b-instruct-2507').fit.verdict).toBe('does-not-fit');
    const pick = pickFor(tiers.laptop8);
    // gpt-oss-20b: 21B total fits 8 GB VRAM + RAM, 3.6B active keeps it fast.
    expect(pick.id).toBe('gpt-oss-20b');
    expect(tps(pick)).toBeGreaterThanOrEqual(comfortableTps);
  });

  it('24 GB GPU: a model of 27B or more, entirely on the GPU with 8k of context', () => {
    const pick = pickFor(tiers.gpu24);
    expect(pick.parametersB).toBeGreaterThanOrEqual(27);
    expect(pick.fit.verdict).toBe('full-gpu');
    expect(pick.fit.maxContextSize).toBeGreaterThanOrEqual(8192);
  });

  it('24 GB GPU + 64 GB RAM: gpt-oss-120b, experts spilling into RAM', () => {
    const pick = pickFor(tiers.gpu24ram64);
    expect(pick.id).toBe('gpt-oss-120b');
    expect(pick.fit.verdict).toBe('partial');
    expect(tps(pick)).toBeGreaterThanOrEqual(comfortableTps);
  });

  it('Apple M-series: 16 GB gets a 7-14B on the GPU, 36 GB a 30B-A3B, 64 GB 30B or more', () => {
    const mac16 = pickFor(tiers.mac16);
    expect(mac16.fit.verdict).toBe('full-gpu');
    expect(mac16.parametersB).toBeGreaterThanOrEqual(7);
    expect(mac16.parametersB).toBeLessThanOrEqual(14);
    const mac36 = pickFor(tiers.mac36);
    expect(mac36.fit.verdict).toBe('full-gpu');
    expect(mac36.activeParametersB).toBeLessThan(4);
    expect(mac36.parametersB).toBeGreaterThanOrEqual(30);
    const mac64 = pickFor(tiers.mac64);
    expect(mac64.fit.verdict).toBe('full-gpu');
    expect(mac64.parametersB).toBeGreaterThanOrEqual(30);
    for (const pick of [mac16, mac36, mac64]) expect(tps(pick)).toBeGreaterThanOrEqual(comfortableTps);
  });

  it('CPU only with 8 GB: a small model that still writes fluently', () => {
    const pick = pickFor(tiers.cpuOnly8);
    expect(pick.fit.verdict).toBe('cpu-only');
    expect(pick.parametersB).toBeLessThanOrEqual(2);
    expect(tps(pick)).toBeGreaterThanOrEqual(comfortableTps);
  });

  it('never proposes an older model, an embedding model or a code-only model while a current chat model fits', () => {
    for (const profile of Object.values(tiers)) {
      const pick = pickFor(profile);
      expect(pick.legacy, profile.label).toBe(false);
      expect(pick.uses, profile.label).toContain('chat');
      expect(pick.capabilities.embeddings, profile.label).toBe(false);
    }
  });
});

describe('catalog.list', () => {
  it('returns what the contract promises the Discover page, for every tier', () => {
    for (const profile of Object.values(tiers)) {
      expect(() => catalogEntrySchema.array().parse(catalog.list(profile))).not.toThrow();
    }
  });
});

describe('pickFirstRun rules', () => {
  const list = catalog.list(tiers.gpu12);

  it('prefers a current model over a bigger older one', () => {
    // Were Llama 3.3 70B fluent here, the current 30B-A3B would still win.
    const fastOld = list.map((e) =>
      e.id === 'llama-3.3-70b'
        ? {
            ...e,
            fit: {
              ...e.fit,
              verdict: 'full-gpu' as const,
              maxContextSize: 131072,
              speed: { generationTps: 50, promptTps: 500 },
            },
          }
        : e,
    );
    expect(pickFirstRun(fastOld)?.id).toBe('qwen3-30b-a3b-instruct-2507');
  });

  it('falls back to an older model when no current one qualifies', () => {
    const onlyLegacy = list.filter((e) => e.legacy);
    const pick = pickFirstRun(onlyLegacy);
    expect(pick?.legacy).toBe(true);
    expect(tps(pick!)).toBeGreaterThanOrEqual(comfortableTps);
  });

  it('without any fluent model, proposes the fastest one that fits', () => {
    const slow = list.map((e) => ({
      ...e,
      fit: { ...e.fit, speed: { ...e.fit.speed, generationTps: (e.fit.speed.generationTps ?? 0) / 100 } },
    }));
    const pick = pickFirstRun(slow);
    const fastest = Math.max(
      ...slow.filter((e) => e.uses.includes('chat') && e.fit.verdict !== 'does-not-fit').map(tps),
    );
    expect(tps(pick!)).toBe(fastest);
  });
});
