import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { EngineHost } from '../../../src/main/services/engine/engine-host';
import { EstimatorService } from '../../../src/main/services/estimator/estimator-service';
import type { HardwareService } from '../../../src/main/services/hardware/hardware-service';
import { LibraryService } from '../../../src/main/services/library/library-service';
import type { Budget, Footprint } from '../../../src/main/services/engine/engine-pool';
import { ModelLoader } from '../../../src/main/services/models/model-loader';
import { ModelSettingsStore } from '../../../src/main/services/models/model-settings-store';
import { openDatabase } from '../../../src/main/services/db/open-database';
import { cpuOnlyProfile, writeShaped } from '../../helpers/estimator';
import { makeTempDir } from '../../helpers/temp-dir';

const GiB = 1024 ** 3;

describe('model loader', () => {
  const dir = makeTempDir();
  afterAll(() => dir.cleanup());

  async function setup(ramGiB: number) {
    const models = join(dir.path, `models-${ramGiB}`);
    mkdirSync(join(models, 'bartowski', 'Llama-GGUF'), { recursive: true });
    await writeShaped(join(models, 'bartowski', 'Llama-GGUF'), 'llama31_70b', 'Q4_K_M');
    const profile = {
      ...cpuOnlyProfile,
      ram: { ...cpuOnlyProfile.ram, totalBytes: ramGiB * GiB, availableBytes: (ramGiB - 4) * GiB },
    };
    const hardware = { get: async () => profile } as unknown as HardwareService;
    const engine = {
      load: vi.fn(async (r: { modelPath: string }, _footprint?: Footprint, _budget?: Budget) => ({
        modelPath: r.modelPath,
        contextSize: 4096,
        gpuLayers: 0,
        loadMs: 1,
      })),
    };
    const library = new LibraryService({ modelsDir: () => models, externalRoots: null });
    const store = new ModelSettingsStore(openDatabase(join(models, 'hearth.db')));
    const loader = new ModelLoader(
      library,
      new EstimatorService(hardware),
      engine as unknown as EngineHost,
      async () => 6,
      store,
    );
    const [model] = await library.list();
    return { loader, engine, store, id: model!.id };
  }

  it('sizes what it asks the engine pool for with the parallel slots it loads with (the API passes its own)', async () => {
    const { loader, engine, id } = await setup(64);
    await loader.load({ modelId: id, parallel: 1 });
    const one = engine.load.mock.lastCall?.[1]?.ramBytes ?? 0;
    await loader.load({ modelId: id, parallel: 4 });
    const four = engine.load.mock.lastCall?.[1]?.ramBytes ?? 0;
    // Three more sequences of 4096 cells: 80 layers x 8 KV heads x (128 + 128) x 2 bytes each, and their logits.
    const kvPerSequence = 4096 * 80 * 8 * 256 * 2;
    expect(four - one).toBeGreaterThanOrEqual(3 * kvPerSequence);
    expect(four - one).toBeLessThan(3 * kvPerSequence + 10e6);
  });

  it('refuses up front a model that does not fit, saying how much it needs and how much is free', async () => {
    const { loader, engine, id } = await setup(16);
    await expect(loader.load({ modelId: id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/does not fit .*: it needs 4\d\.\d GB of RAM .* and 1\d\.\d GB is free/),
    });
    expect(engine.load).not.toHaveBeenCalled();
    // Unless the user insists: then it is tried with the estimator's best guess.
    await loader.load({ modelId: id, force: true });
    expect(engine.load.mock.lastCall?.[0]).toEqual(expect.objectContaining({ gpuLayers: 0, threads: 6 }));
  });

  it("loads with the estimator's layers and context and the physical cores, unless told otherwise", async () => {
    const { loader, engine, id } = await setup(96);
    await loader.load({ modelId: id });
    expect(engine.load.mock.lastCall?.[0]).toEqual(
      expect.objectContaining({ gpuLayers: 0, contextSize: 4096, threads: 6 }),
    );
    // What the model takes, and what is free beside other loaded models, go with it.
    const [, footprint, budget] = engine.load.mock.lastCall!;
    expect(footprint!.ramBytes).toBeGreaterThan(40e9);
    expect(budget!.ramBytes).toBeGreaterThan(footprint!.ramBytes);
    expect(budget!.ramBytes).toBeLessThan(92 * GiB);
    await loader.load({ modelId: id, gpuLayers: 3, contextSize: 1024, threads: 2 });
    expect(engine.load.mock.lastCall?.[0]).toEqual(
      expect.objectContaining({ gpuLayers: 3, contextSize: 1024, threads: 2 }),
    );
  });

  it("remembers a model's settings, and a load's own values still win", async () => {
    const { loader, engine, store, id } = await setup(128);
    store.set(id, { contextSize: 2048, kvCacheType: 'q8_0', threads: 3 });
    await loader.load({ modelId: id });
    expect(engine.load.mock.lastCall?.[0]).toEqual(
      expect.objectContaining({ contextSize: 2048, kvCacheType: 'q8_0', flashAttention: true, threads: 3 }),
    );
    await loader.load({ modelId: id, threads: 1 });
    expect(engine.load.mock.lastCall?.[0]).toEqual(
      expect.objectContaining({ contextSize: 2048, threads: 1 }),
    );
    store.set(id, {});
    await loader.load({ modelId: id });
    expect(engine.load.mock.lastCall?.[0]).toEqual(
      expect.objectContaining({ contextSize: 4096, threads: 6 }),
    );
  });
});
