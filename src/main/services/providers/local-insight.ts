import type { FitEstimate, HardwareProfile, LibraryModel, MonitorSample } from '../../../shared/contract';
import type { MachineHardware, MachineModel, MachineSample } from '../../../shared/contract/provider-insight';
import { fitSummary, hardwareSummary, mapLimited, modelSummary, sampleSummary } from './machine-summary';
import type { MachineReader } from './remote-insight';

export interface LocalMachineDeps {
  hardware: () => Promise<HardwareProfile>;
  library: () => Promise<LibraryModel[]>;
  fit: (modelPath: string) => Promise<FitEstimate>;
  /** A fresh monitor sample (the monitor starts watching for a while if nobody was). */
  sample: () => Promise<MonitorSample | undefined>;
}

/** This machine, in the same three views as another Hearth: the left side of "this machine vs that one". */
export class LocalMachineReader implements MachineReader {
  constructor(private readonly deps: LocalMachineDeps) {}

  async hardware(): Promise<MachineHardware> {
    return hardwareSummary(await this.deps.hardware());
  }

  async models(): Promise<MachineModel[]> {
    const library = await this.deps.library();
    const fits = await mapLimited(library, 3, async (model) => {
      if (model.error !== null) return null;
      try {
        return { ok: true as const, value: fitSummary(await this.deps.fit(model.path)) };
      } catch (error) {
        return { ok: false as const, error: error instanceof Error ? error.message : String(error) };
      }
    });
    return library.map((model, i) => modelSummary(model, fits[i] ?? null));
  }

  async sample(): Promise<MachineSample | null> {
    const sample = await this.deps.sample();
    return sample ? sampleSummary(sample) : null;
  }
}
