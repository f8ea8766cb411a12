import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatResult } from '../../../src/main/engine-process/protocol';
import { EnginePool } from '../../../src/main/services/engine/engine-pool';
import { EstimatorService } from '../../../src/main/services/estimator/estimator-service';
import { LearnedSpeeds } from '../../../src/main/services/estimator/measurements/learned-speeds';
import { MeasurementRecorder } from '../../../src/main/services/estimator/measurements/measurement-recorder';
import {
  MeasurementStore,
  measurementsFile,
  type MeasuredRun,
} from '../../../src/main/services/estimator/measurements/measurement-store';
import type { HardwareService } from '../../../src/main/services/hardware/hardware-service';
import { engineHosts } from '../../helpers/engine';
import { cpuOnlyProfile, profileWith, writeShaped } from '../../helpers/estimator';
import { makeTempDir } from '../../helpers/temp-dir';
import { writeTinyModel } from '../../helpers/tiny-model';

const rtx4090 = profileWith('RTX 4090', undefined, cpuOnlyProfile);
const hardware = { get: async () => rtx4090 } as unknown as HardwareService;

describe('learning from this machine', () => {
  const outer = makeTempDir();
  const dataDir = join(outer.path, 'data');
  const modelsDir = join(outer.path, 'models');
  let modelPath = '';
  let store: MeasurementStore;
  let estimator: EstimatorService;

  beforeAll(async () => {
    mkdirSync(modelsDir);
    modelPath = (await writeShaped(modelsDir, 'llama31_8b', 'Q4_K_M')).path;
    store = MeasurementStore.open(measurementsFile(dataDir));
    estimator = new EstimatorService(hardware, new LearnedSpeeds(store));
  }, 60_000);
  afterAll(() => {
    store.close();
    outer.cleanup();
  });

  /** A reply on this machine that ran at `skew` times the model's own prediction (± a little noise). */
  async function reply(skew: number, i: number): Promise<void> {
    const raw = await estimator.fit({ modelPath, learned: false });
    const noise = 1 + 0.03 * Math.sin(i * 2.1); // deterministic scatter within ±3 %
    const run: MeasuredRun = {
      kind: 'reply',
      backend: 'cuda',
      device: rtx4090.gpus[0]!.model,
      family: raw.model.architecture,
      modelPath,
      contextSize: raw.contextSize,
      gpuLayers: raw.gpuLayers,
      settings: {},
      predictedGenerationTps: raw.speed.generationTps,
      measuredGenerationTps: raw.speed.generationTps! * skew * noise,
      predictedPromptTps: raw.speed.promptTps,
      measuredPromptTps: raw.speed.promptTps! * skew * noise,
      promptTokens: 600,
      generatedTokens: 200,
      predictedVramBytes: raw.gpu.totalBytes,
      measuredVramBytes: null,
      predictedRamBytes: raw.ram.totalBytes,
      measuredRamBytes: null,
      loadMs: 1000,
    };
    store.record(run);
  }

  it('converges on a machine 0.7x as fast as predicted, and says so in the fit answer', async () => {
    const raw = await estimator.fit({ modelPath, learned: false });
    expect(raw.measured).toBeUndefined();
    // Two runs are not enough to move anything.
    for (let i = 0; i < 2; i++) await reply(0.7, i);
    expect((await estimator.fit({ modelPath })).speed.generationTps).toBeCloseTo(raw.speed.generationTps!, 6);
    for (let i = 2; i < 14; i++) await reply(0.7, i);
    const learned = await estimator.fit({ modelPath });
    const measured = raw.speed.generationTps! * 0.7;
    expect(Math.abs(learned.speed.generationTps! / measured - 1)).toBeLessThan(0.05);
    expect(Math.abs(learned.speed.promptTps! / (raw.speed.promptTps! * 0.7) - 1)).toBeLessThan(0.05);
    expect(learned.measured?.runs).toBe(14);
    expect(learned.measured?.note).toMatch(
      /^Predictions for this GPU are scaled by 0\.7\d from 14 measured runs\.$/,
    );
    expect(learned.measured?.generationTps).toBeCloseTo(measured, -1);
    // Planning for another machine ignores what this one measured.
    expect((await estimator.fit({ modelPath, gpuName: 'RTX 4090' })).measured).toBeUndefined();
  });

  it('a single 5x outlier does not swing the factor', async () => {
    const before = (await estimator.fit({ modelPath })).measured!.generationFactor;
    await reply(5, 99);
    const after = (await estimator.fit({ modelPath })).measured!.generationFactor;
    expect(Math.abs(after / before - 1)).toBeLessThan(0.03);
  });

  it('keeps what it learned across a restart, and resets on request', async () => {
    const before = (await estimator.fit({ modelPath })).speed.generationTps;
    store.close();
    store = MeasurementStore.open(measurementsFile(dataDir));
    estimator = new EstimatorService(hardware, new LearnedSpeeds(store));
    expect((await estimator.fit({ modelPath })).speed.generationTps).toBeCloseTo(before!, 6);
    // Nothing written outside the data folder: only the measurements file (and SQLite's WAL) there.
    expect(readdirSync(outer.path).sort()).toEqual(['data', 'models']);
    expect(readdirSync(dataDir).every((f) => f.startsWith('measurements.sqlite'))).toBe(true);
    store.reset();
    expect(store.count()).toBe(0);
    expect((await estimator.fit({ modelPath })).measured).toBeUndefined();
  });

  it('a damaged measurements file is moved aside, never blocking the start', () => {
    const damaged = join(outer.path, 'damaged');
    mkdirSync(damaged);
    writeFileSync(measurementsFile(damaged), 'not a database at all '.repeat(100));
    const fresh = MeasurementStore.open(measurementsFile(damaged), { now: () => 1234 });
    try {
      expect(fresh.count()).toBe(0);
      expect(readdirSync(damaged)).toContain('measurements.sqlite.corrupt-1234');
    } finally {
      fresh.close();
    }
  });
});

describe('recording real loads and replies', () => {
  const dir = makeTempDir();
  const { newHost, stopAll } = engineHosts();
  let store: MeasurementStore;

  beforeAll(() => {
    store = MeasurementStore.open(measurementsFile(join(dir.path, 'data')));
  });
  afterAll(async () => {
    await stopAll();
    store.close();
    dir.cleanup();
  });

  it('writes a record after a load and after each reply long enough to measure', async () => {
    const modelPath = writeTinyModel(dir.path);
    const pool = new EnginePool(
      () => newHost(),
      () => 1,
    );
    const estimator = new EstimatorService({ get: async () => cpuOnlyProfile } as unknown as HardwareService);
    const logs: string[] = [];
    const recorder = new MeasurementRecorder({
      store,
      estimator,
      hardware: { get: async () => cpuOnlyProfile },
      log: (m) => logs.push(m),
    });
    const stop = pool.observe(recorder);
    await pool.load({ modelPath, gpuLayers: 0, contextSize: 1024, threads: 1 });
    const ask = (maxTokens: number): Promise<ChatResult> =>
      pool.chat({
        messages: [{ role: 'user', content: 'Tell me a story.' }],
        sampling: { temperature: 0, maxTokens, stop: [] },
        ignoreEos: true,
      });
    await ask(32);
    await ask(4); // too short to say anything about speed
    await recorder.settled();
    stop();
    expect(logs).toEqual([]);
    const runs = store.runs({ backend: 'cpu', device: 'Test CPU', family: 'llama' });
    expect(runs.map((r) => r.kind)).toEqual(['reply', 'load']);
    const [replyRun, loadRun] = runs;
    expect(loadRun).toMatchObject({ modelPath, gpuLayers: 0, contextSize: 1024 });
    expect(loadRun!.predictedRamBytes).toBeGreaterThan(0);
    // llama.cpp's own buffer report: a CPU-only load holds everything in RAM, the weights at least.
    expect(loadRun!.measuredVramBytes).toBe(0);
    const weights = statSync(modelPath).size;
    expect(loadRun!.measuredRamBytes).toBeGreaterThan(weights * 0.8);
    expect(loadRun!.measuredRamBytes).toBeLessThan(weights + 256 * 1024 ** 2);
    expect(loadRun!.settings.buffers).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'CPU_Mapped', kind: 'model' })]),
    );
    expect(replyRun!.generatedTokens).toBe(32);
    expect(replyRun!.measuredGenerationTps).toBeGreaterThan(0);
    expect(replyRun!.predictedGenerationTps).toBeGreaterThan(0);
    // A short prompt says nothing reliable about prompt speed: not recorded as one.
    expect(replyRun!.measuredPromptTps).toBeNull();
    // The fit answer shows what was measured here, and does not correct from one run.
    const learned = new EstimatorService(
      { get: async () => cpuOnlyProfile } as unknown as HardwareService,
      new LearnedSpeeds(store),
    );
    const answer = await learned.fit({ modelPath, contextSize: 1024 });
    expect(answer.measured).toMatchObject({
      generationTps: replyRun!.measuredGenerationTps,
      ramBytes: loadRun!.measuredRamBytes,
      generationFactor: 1,
      note: '1 measured run on this CPU: predictions are corrected from 3.',
    });
  }, 60_000);
});
