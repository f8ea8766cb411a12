/**
 * `node --import tsx bench/calibrate-speed.ts`: fits the speed model's constants to the fitted part
 * of bench/data/llama-bench-public.json (never the held-out part) and writes them to
 * src/main/services/estimator/speed-calibration.json, which the app reads. Run it after adding
 * rows or changing the model, then `npm run bench -- estimator` to see the error on both parts.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { speedConstants } from '../src/main/services/estimator/speed-model';
import { calibrate, evaluate, predictRow } from './speed/fit';
import { loadPublicRows, splitRows } from './speed/rows';

const rows = loadPublicRows();
const { fitted, heldOut } = splitRows(rows);
const constants = calibrate(rows, speedConstants);
const target = fileURLToPath(
  new URL('../src/main/services/estimator/speed-calibration.json', import.meta.url),
);
writeFileSync(
  target,
  `${JSON.stringify({ fittedRows: fitted.length, heldOutRows: heldOut.length, ...constants }, null, 2)}\n`,
);
const report = (name: string, part: typeof rows): void => {
  const { generation, prompt } = evaluate(part, predictRow(constants, constants.eraFactors));
  console.log(
    `${name}: generation within ±25% ${generation.within25} (median |error| ${generation.medianAbsError}), ` +
      `prompt within ±25% ${prompt.within25} (median |error| ${prompt.medianAbsError})`,
  );
};
console.log(`wrote ${target} from ${fitted.length} fitted rows (${heldOut.length} held out)`);
report('fitted', fitted);
report('held-out', heldOut);
