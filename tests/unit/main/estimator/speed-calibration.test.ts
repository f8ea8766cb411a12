import { describe, expect, it } from 'vitest';
import { calibrate, evaluate, fitSpeedConstants, predictRow } from '../../../../bench/speed/fit';
import { isHeldOut, loadPublicRows, splitRows, type CalibrationRow } from '../../../../bench/speed/rows';
import checkedIn from '../../../../src/main/services/estimator/speed-calibration.json';
import { speedConstants } from '../../../../src/main/services/estimator/speed-model';

/** A synthetic public row: a current scoreboard result on an Ada card at a given efficiency. */
function row(id: string, efficiency: number, gpuBytes = 4e9): CalibrationRow {
  const bandwidthGBs = 1000;
  const fixedS = 0.0005;
  return {
    row: {
      id,
      device: 'test',
      backend: 'cuda',
      model: 'm',
      pp: 5000 * efficiency,
      ppTokens: 512,
      tg: 1 / (fixedS + gpuBytes / (bandwidthGBs * 1e9 * efficiency)),
      tgTokens: 128,
      flashAttention: false,
      build: null,
      source: 'https://github.com/ggml-org/llama.cpp/discussions/15013',
      via: null,
      note: null,
    },
    device: { backend: 'cuda', family: 'ada', bandwidthGBs, fp16Tflops: 300, int8Tops: 600 },
    work: { gpuBytes, cpuBytes: 0, activeParams: 7e9, gpuShare: 1, layers: 32, moe: false, quantized: true },
  };
}

/** Ids the hash puts on each side, found by counting up (the split is a pure function of the id). */
function ids(heldOut: boolean, count: number): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++) if (isHeldOut(`row-${i}`) === heldOut) found.push(`row-${i}`);
  return found;
}

describe('speed calibration', () => {
  it('splits public rows the same way every time, about 30 % held out', () => {
    const rows = loadPublicRows();
    expect(rows.length).toBeGreaterThanOrEqual(60);
    const a = splitRows(rows);
    const b = splitRows(loadPublicRows());
    expect(a.heldOut.map((r) => r.row.id)).toEqual(b.heldOut.map((r) => r.row.id));
    const share = a.heldOut.length / rows.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
    expect(new Set(rows.map((r) => r.row.id)).size).toBe(rows.length);
    for (const r of rows) expect(r.row.source).toMatch(/^https:\/\//);
  });

  it('never fits on held-out rows: a held-out set that would change the answer does not', () => {
    // Two model sizes so the fixed cost is identifiable; the fitted rows run at 80 % of bandwidth.
    const fitted = ids(false, 8).map((id, i) => row(id, 0.8, i % 2 ? 4e9 : 12e9));
    // The held-out rows claim 30 %: any use of them would drag the efficiency down.
    const heldOut = ids(true, 12).map((id, i) => row(id, 0.3, i % 2 ? 4e9 : 12e9));
    const all = [...fitted, ...heldOut];
    const k = calibrate(all, speedConstants);
    expect(k.generation.efficiency['cuda:ada']).toBeCloseTo(0.8, 2);
    expect(k.generation.fixedMs.cuda).toBeCloseTo(0.5, 1);
    expect(k.prompt.efficiency['cuda:ada']).toBeCloseTo((2 * 7e9 * 4000) / 600e12, 3);
    // Fitting everything would have given another answer: the test can fail.
    expect(fitSpeedConstants(all, speedConstants).generation.efficiency['cuda:ada']).toBeLessThan(0.7);
  });

  it('finds a power cap where several cards fall short in proportion to peak per watt', () => {
    // Three uncapped cards at 25 % of peak; two 300 W cards with 2x the TOPS per watt reach only
    // what 1.5 TOPS/W allows (at 25 % of that).
    const card = (id: string, int8Tops: number, boardPowerW: number): CalibrationRow => {
      const r = row(id, 1);
      const sustained = Math.min(int8Tops, boardPowerW * 1.5);
      return {
        row: {
          ...r.row,
          device: `card-${int8Tops}-${boardPowerW}`,
          pp: (sustained * 1e12 * 0.25) / (2 * 7e9),
        },
        device: { ...r.device, int8Tops, boardPowerW },
        work: r.work,
      };
    };
    const fitted = ids(false, 5);
    const rows = [
      card(fitted[0]!, 600, 450),
      card(fitted[1]!, 400, 320),
      card(fitted[2]!, 300, 285),
      card(fitted[3]!, 900, 300),
      card(fitted[4]!, 720, 240),
    ];
    const k = calibrate(rows, speedConstants);
    const perWatt = k.prompt.topsPerWatt?.['cuda:ada'];
    // The grid is 5 % apart: the fit lands within a step of the true 1.5.
    expect(perWatt).toBeGreaterThan(1.5 / 1.06);
    expect(perWatt).toBeLessThan(1.5 * 1.06);
    expect(k.prompt.efficiency['cuda:ada']).toBeCloseTo(0.25, 1);
    // One short card alone is not a family's power limit: no cap.
    const one = calibrate(rows.slice(0, 4), speedConstants);
    expect(one.prompt.topsPerWatt?.['cuda:ada']).toBeUndefined();
  });

  it('the checked-in constants are what the fitted part of the data gives today', () => {
    const fresh = calibrate(loadPublicRows(), speedConstants);
    expect(checkedIn.generation).toEqual(fresh.generation);
    expect(checkedIn.prompt).toEqual(fresh.prompt);
    expect(checkedIn.eraFactors).toEqual(fresh.eraFactors);
  });

  it('reports the error on any part with the checked-in constants', () => {
    const { heldOut } = splitRows(loadPublicRows());
    const result = evaluate(heldOut, predictRow(speedConstants, checkedIn.eraFactors));
    expect(result.generation.rows).toBeGreaterThan(10);
    expect(result.generation.within25).not.toBeNull();
    expect(result.worst.length).toBeGreaterThan(0);
  });
});
