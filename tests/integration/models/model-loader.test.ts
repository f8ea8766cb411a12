import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { EngineHost } from '../../../src/main/services/engine/engine-host';
import { EstimatorService } from '../../../src/main/services/estimator/estimator-service';
import type { HardwareService } from '../../../src/main/services/hardware/hardware-service';
import { LibraryService } from '../../../src/main/services/library/library-service';
import { ModelLoader } from '../../../src/main/services/models/model-loader';
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
      load: vi.fn(async (r: { modelPath: string }) => ({
        modelPath: r.modelPath,
        contextSize: 4096,
        gpuLayers: 0,
        loadMs: 1,
      })),
    };
    const library = new LibraryService({ modelsDir: () => models, externalRoots: null });
    const loader = new ModelLoader(
      library,
      new EstimatorService(hardware),
      engine as unknown as EngineHost,
      async () => 6,
    );
    const [model] = await library.list();
    return { loader, engine, id: model!.id };
  }

  it('refuses up front a model that does not fit, saying how much it needs and how much is free', async () => {
    const { loader, engine, id } = await setup(16);
    await expect(loader.load({ modelId: id, gpuLayers: 'auto' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/does not fit: it needs 4\d\.\d GB of RAM .* and 1\d\.\d GB is free/),
    });
    expect(engine.load).not.toHaveBeenCalled();
  });

  it("loads with the estimator's layers and context and the physical cores, unless told otherwise", async () => {
    const { loader, engine, id } = await setup(96);
    await loader.load({ modelId: id, gpuLayers: 'auto' });
    expect(engine.load).toHaveBeenLastCalledWith(
      expect.objectContaining({ gpuLayers: 0, contextSize: 4096, threads: 6 }),
    );
    await loader.load({ modelId: id, gpuLayers: 3, contextSize: 1024, threads: 2 });
    expect(engine.load).toHaveBeenLastCalledWith(
      expect.objectContaining({ gpuLayers: 3, contextSize: 1024, threads: 2 }),
    );
  });
});
