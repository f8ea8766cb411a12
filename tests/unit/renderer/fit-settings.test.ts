import { describe, expect, it } from 'vitest';
import {
  defaultFitSettings,
  fitSettingsInput,
} from '../../../src/renderer/src/features/hardware/fit-settings';

const GiB = 1024 ** 3;

describe("the fit check's settings", () => {
  it('become the route input: empty fields are left to the estimator', () => {
    expect(fitSettingsInput(defaultFitSettings)).toEqual({
      input: {
        gpus: undefined,
        gpuLayers: undefined,
        kvCacheType: 'f16',
        flashAttention: 'auto',
        batchSize: undefined,
        parallel: 1,
        projector: true,
      },
    });
    const set = fitSettingsInput({
      gpus: '24GB, 12GB',
      gpuLayers: '0',
      kvCacheType: 'q8_0',
      flashAttention: 'off',
      batchSize: '256',
      parallel: '4',
      projector: false,
    });
    expect(set).toEqual({
      input: {
        gpus: [24 * GiB, 12 * GiB],
        gpuLayers: 0,
        kvCacheType: 'q8_0',
        flashAttention: 'off',
        batchSize: 256,
        parallel: 4,
        projector: false,
      },
    });
  });

  it('names what is wrong before asking', () => {
    const bad = (change: Partial<typeof defaultFitSettings>) =>
      fitSettingsInput({ ...defaultFitSettings, ...change });
    expect(bad({ gpus: '24GB,big' })).toEqual({
      error: 'Free memory per GPU: GPU 1: "big" is not a memory size (write it like 24GB or 8192MiB)',
    });
    expect(bad({ gpuLayers: '-1' })).toEqual({ error: 'GPU layers: a whole number from 0 to 100000' });
    expect(bad({ parallel: '2.5' })).toEqual({ error: 'Parallel sequences: a whole number from 1 to 64' });
    expect(bad({ batchSize: '0' })).toEqual({ error: 'Micro-batch: a whole number from 1 to 65536' });
  });
});
