import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fitCommand } from '../../../src/main/cli/commands/fit';
import { hardwareService } from '../../../src/main/cli/commands/hw';
import type { FitEstimate } from '../../../src/shared/contract';
import type { LoadResult } from '../../../src/main/engine-process/protocol';
import { EstimatorService } from '../../../src/main/services/estimator/estimator-service';
import { measuredClasses } from '../../../src/main/services/estimator/measurements/learned-memory';
import { LearnedSpeeds, speedKey } from '../../../src/main/services/estimator/measurements/learned-speeds';
import { MeasurementRecorder } from '../../../src/main/services/estimator/measurements/measurement-recorder';
import {
  MeasurementStore,
  measurementsFile,
} from '../../../src/main/services/estimator/measurements/measurement-store';
import type { HardwareService } from '../../../src/main/services/hardware/hardware-service';
import { cpuOnlyProfile, profileWith, writeShaped } from '../../helpers/estimator';
import { makeTempDir } from '../../helpers/temp-dir';

const rtx4090 = profileWith('RTX 4090', undefined, cpuOnlyProfile);
const hardware = { get: async () => rtx4090 } as unknown as HardwareService;
const MiB = 1024 * 1024;

/** What llama.cpp would report for a plan on the GPU, each class skewed (± a deterministic wobble). */
function buffersFor(
  fit: FitEstimate,
  skew: { weights?: number; kv?: number; compute?: number },
  i: number,
): NonNullable<LoadResult['buffers']> {
  const wobble = 1 + 0.02 * Math.sin(i * 1.7);
  return [
    { name: 'CUDA0', kind: 'model', bytes: fit.gpu.weightsBytes * (skew.weights ?? 1) },
    { name: 'CUDA0', kind: 'KV', bytes: fit.gpu.kvCacheBytes * (skew.kv ?? 1) },
    { name: 'CUDA0', kind: 'compute', bytes: fit.gpu.computeBytes * (skew.compute ?? 1) * wobble },
    // Host-side buffers are RAM and never count toward the GPU's classes.
    { name: 'CPU_Mapped', kind: 'model', bytes: 300 * MiB },
    { name: 'CUDA_Host', kind: 'compute', bytes: 40 * MiB },
    { name: 'CPU', kind: 'output', bytes: 2 * MiB },
  ];
}

describe("llama.cpp's buffers per class", () => {
  it('splits host and GPU buffers, counting the logits with compute', () => {
    const buffers = [
      { name: 'CUDA0', kind: 'model' as const, bytes: 100 },
      { name: 'CUDA1', kind: 'model' as const, bytes: 50 },
      { name: 'CUDA0', kind: 'KV' as const, bytes: 20 },
      { name: 'CUDA0', kind: 'compute' as const, bytes: 7 },
      { name: 'CUDA_Host', kind: 'compute' as const, bytes: 3 },
      { name: 'CPU_REPACK', kind: 'model' as const, bytes: 11 },
      { name: 'CPU', kind: 'output' as const, bytes: 1 },
    ];
    expect(measuredClasses(buffers, 'gpu')).toEqual({ weights: 150, kv: 20, compute: 7 });
    expect(measuredClasses(buffers, 'ram')).toEqual({ weights: 11, kv: 0, compute: 4 });
    expect(measuredClasses([], 'gpu')).toBeNull();
    expect(measuredClasses([{ name: 'CPU', kind: 'KV', bytes: 5 }], 'gpu')).toBeNull();
  });
});

describe('learning memory from this machine', () => {
  const outer = makeTempDir();
  const dataDir = join(outer.path, 'data');
  let modelPath = '';
  let store: MeasurementStore;
  let estimator: EstimatorService;
  let recorder: MeasurementRecorder;
  let raw: FitEstimate;

  beforeAll(async () => {
    mkdirSync(join(outer.path, 'models'));
    modelPath = (await writeShaped(join(outer.path, 'models'), 'llama31_8b', 'Q4_K_M')).path;
    store = MeasurementStore.open(measurementsFile(dataDir));
    estimator = new EstimatorService(hardware, new LearnedSpeeds(store));
    recorder = new MeasurementRecorder({ store, estimator, hardware, log: () => {} });
    raw = await estimator.fit({ modelPath, learned: false });
  }, 60_000);
  afterAll(() => {
    store.close();
    outer.cleanup();
  });

  /** One load through the recorder, as the engine pool reports it, llama.cpp's buffers skewed. */
  async function load(skew: { weights?: number; kv?: number; compute?: number }, i: number): Promise<void> {
    const result: LoadResult = {
      modelPath,
      contextSize: raw.contextSize,
      gpuLayers: raw.gpuLayers,
      loadMs: 900,
      buffers: buffersFor(raw, skew, i),
    };
    recorder.loaded(
      { modelPath, contextSize: raw.contextSize, gpuLayers: raw.gpuLayers, kvCacheType: 'f16' },
      result,
    );
    await recorder.settled();
  }

  it('converges on a compute buffer 1.2x the prediction, moves the plan, and says so', async () => {
    expect(raw.verdict).toBe('full-gpu');
    // Two loads change nothing: a load or two can be anything.
    for (let i = 0; i < 2; i++) await load({ compute: 1.2 }, i);
    const early = await estimator.fit({ modelPath });
    expect(early.gpu.computeBytes).toBeCloseTo(raw.gpu.computeBytes, 0);
    expect(early.measured?.memory?.note).toBe(
      '2 measured loads: GPU memory on this GPU is corrected from 3.',
    );
    for (let i = 2; i < 12; i++) await load({ compute: 1.2 }, i);
    const learned = await estimator.fit({ modelPath });
    // 12 loads, shrunk by 12/13 toward 1: 1.2^(12/13) = 1.183.
    const computeFactor = learned.gpu.computeBytes / raw.gpu.computeBytes;
    expect(computeFactor).toBeGreaterThan(1.17);
    expect(computeFactor).toBeLessThan(1.2);
    // The weights and KV cache were measured as predicted: untouched.
    expect(learned.gpu.weightsBytes).toBeCloseTo(raw.gpu.weightsBytes, 0);
    expect(learned.gpu.kvCacheBytes).toBeCloseTo(raw.gpu.kvCacheBytes, 0);
    const m = learned.measured?.memory;
    expect(m?.side).toBe('gpu');
    expect(m?.loads).toBe(12);
    expect(m?.factor).toBeCloseTo(learned.gpu.totalBytes / raw.gpu.totalBytes, 6);
    expect(m?.note).toBe(
      `GPU memory predictions on this GPU are scaled by ${m!.factor.toFixed(2)} ` +
        `(compute buffers by ${computeFactor.toFixed(2)}) from 12 measured loads.`,
    );
    // The per-GPU rows carry it too.
    expect(learned.devices[0]!.computeBytes / raw.devices[0]!.computeBytes).toBeCloseTo(computeFactor, 6);
    // Planning for another machine, or asking for the model's own prediction, ignores it.
    const named = await estimator.fit({ modelPath, gpuName: 'RTX 4090' });
    expect(named.gpu.computeBytes).toBeCloseTo(raw.gpu.computeBytes, 0);
    expect(named.measured).toBeUndefined();
    expect((await estimator.fit({ modelPath, learned: false })).gpu.totalBytes).toBe(raw.gpu.totalBytes);
  });

  it('one wild load (a 3x compute buffer) does not swing it', async () => {
    const before = (await estimator.fit({ modelPath })).measured!.memory!.computeFactor;
    await load({ compute: 3 }, 50);
    const after = (await estimator.fit({ modelPath })).measured!.memory!.computeFactor;
    expect(Math.abs(after / before - 1)).toBeLessThan(0.02);
  });

  it('never scales a class by more than 1.25 either way', async () => {
    // Another model family on the same GPU: its own correction, here wildly off.
    const other = (await writeShaped(join(outer.path, 'models'), 'qwen25_7b', 'Q4_K_M')).path;
    const otherRaw = await estimator.fit({ modelPath: other, learned: false });
    expect(otherRaw.model.architecture).not.toBe(raw.model.architecture);
    for (let i = 0; i < 8; i++) {
      recorder.loaded(
        { modelPath: other, contextSize: otherRaw.contextSize, gpuLayers: otherRaw.gpuLayers },
        {
          modelPath: other,
          contextSize: otherRaw.contextSize,
          gpuLayers: otherRaw.gpuLayers,
          loadMs: 900,
          buffers: buffersFor(otherRaw, { compute: 3, kv: 0.3 }, i),
        },
      );
      await recorder.settled();
    }
    const m = (await estimator.fit({ modelPath: other })).measured!.memory!;
    expect(m.computeFactor).toBeCloseTo(1.25, 6);
    expect(m.kvFactor).toBeCloseTo(0.8, 6);
    expect(m.weightsFactor).toBeCloseTo(1, 2);
    // The plan follows: with a KV cache 0.8x the prediction, more context fits on the GPU (16 API
    // slots, so the GPU's memory and not the trained length is the limit).
    const slots = { modelPath: other, parallel: 16 };
    const rawSlots = await estimator.fit({ ...slots, learned: false });
    expect(rawSlots.maxContextSize!).toBeLessThan(rawSlots.trainContextSize);
    expect((await estimator.fit(slots)).maxContextSize!).toBeGreaterThan(rawSlots.maxContextSize! * 1.1);
    // The first family's correction is its own.
    expect((await estimator.fit({ modelPath })).measured!.memory!.computeFactor).toBeLessThan(1.2);
  });

  it('a load without a buffer report, or with nonsense in it, records nothing', async () => {
    const before = store.memoryCorrection(
      { backend: 'cuda', device: rtx4090.gpus[0]!.model, family: raw.model.architecture },
      'gpu',
    ).loads;
    recorder.loaded(
      { modelPath, contextSize: raw.contextSize, gpuLayers: raw.gpuLayers },
      { modelPath, contextSize: raw.contextSize, gpuLayers: raw.gpuLayers, loadMs: 900 },
    );
    recorder.loaded(
      { modelPath, contextSize: raw.contextSize, gpuLayers: raw.gpuLayers },
      {
        modelPath,
        contextSize: raw.contextSize,
        gpuLayers: raw.gpuLayers,
        loadMs: 900,
        buffers: [{ name: 'CUDA0', kind: 'model', bytes: Number.NaN }],
      },
    );
    await recorder.settled();
    const after = store.memoryCorrection(
      { backend: 'cuda', device: rtx4090.gpus[0]!.model, family: raw.model.architecture },
      'gpu',
    ).loads;
    expect(after).toBe(before);
  });
});

describe('hearth fit shows the memory correction', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  afterAll(() => dir.cleanup());

  /** `hearth fit` as a user runs it, its printed answer captured. */
  async function fit(model: string, json = false): Promise<string> {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      await fitCommand(model, { dataDir, json, context: { version: 'test', outDir: '/nonexistent' } });
    } finally {
      log.mockRestore();
    }
    return lines.join('\n');
  }

  it('after a few loads on this machine, with the buffers already corrected', async () => {
    const model = (await writeShaped(dir.path, 'llama31_8b', 'Q4_K_M')).path;
    const raw = JSON.parse(await fit(model, true)) as FitEstimate;
    const profile = await hardwareService(dataDir).get();
    const key = speedKey(profile, raw.model.architecture, raw.gpuLayers);
    const side = key.backend === 'cpu' ? 'ram' : 'gpu';
    const bytes = side === 'gpu' ? raw.gpu : raw.ram;
    const store = MeasurementStore.open(measurementsFile(dataDir));
    try {
      for (let i = 0; i < 4; i++) {
        const predicted = {
          weights: bytes.weightsBytes,
          kv: bytes.kvCacheBytes,
          compute: bytes.computeBytes,
        };
        store.recordMemory({
          ...key,
          modelPath: model,
          side,
          predicted,
          measured: { ...predicted, weights: predicted.weights * 1.1 },
        });
      }
    } finally {
      store.close();
    }
    const after = await fit(model);
    expect(after).toMatch(
      /(GPU memory predictions on this GPU|RAM predictions on this CPU) are scaled by 1\.\d\d \(weights by 1\.08\) from 4 measured loads\./,
    );
    const learned = JSON.parse(await fit(model, true)) as FitEstimate;
    const learnedBytes = side === 'gpu' ? learned.gpu : learned.ram;
    // 1.1^(4/5) = 1.079.
    expect(learnedBytes.weightsBytes / bytes.weightsBytes).toBeCloseTo(1.1 ** 0.8, 6);
  }, 60_000);
});
