import { AppError, type CatalogEntry, type HardwareProfile } from '../../../shared/contract';
import { estimateFit } from '../estimator/fit';
import { budgetFromProfile } from '../estimator/machine-budget';
import { fileQuant, loadCatalog, type CatalogFileEntry } from './catalog-file';
import { pickFirstRun } from './first-run-pick';
import { defaultQuant, factsFromShape } from './shape-facts';

export type { CatalogFileEntry } from './catalog-file';
export { factsFromShape } from './shape-facts';

/** The curated models (resources/catalog.json) with a fit badge for this machine. */
export class CatalogService {
  private entries: CatalogFileEntry[] | undefined;

  /** The catalog shipped in resources/, or another file (tests point it at the fake Hub's repos). */
  constructor(private readonly catalogPath?: string) {}

  raw(): CatalogFileEntry[] {
    this.entries ??= loadCatalog(this.catalogPath).models;
    return this.entries;
  }

  list(profile: HardwareProfile): CatalogEntry[] {
    const budget = budgetFromProfile(profile);
    return this.raw().map((entry) => {
      const { shape, files, activeParametersB, ...rest } = entry;
      const quant = defaultQuant(entry);
      const facts = factsFromShape(entry, quant);
      return {
        ...rest,
        activeParametersB: activeParametersB ?? null,
        contextLength: shape.contextLength,
        files: files.map((f) => ({
          path: f.path,
          quant: fileQuant(f),
          sizeBytes: f.sizeBytes ?? null,
          sha256: f.sha256 ?? null,
        })),
        fit: estimateFit(facts, budget, { contextSize: Math.min(8192, facts.trainContextSize) }),
        approxSizeBytes: facts.bytes.total,
        approxQuant: quant,
      };
    });
  }

  /** The chat model to propose on first run (see pickFirstRun for the rule). */
  firstRunPick(profile: HardwareProfile): CatalogEntry {
    const pick = pickFirstRun(this.list(profile));
    if (!pick) throw new AppError('NOT_FOUND', 'The catalog has no chat model');
    return pick;
  }
}
