/**
 * `npm run bench [-- suite ...]`: runs the benchmark suites and writes one JSON file per suite
 * under bench/results/ (with the machine it ran on). Progress goes to stderr.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiBench } from './api';
import { machineInfo, resultsDir, type BenchContext } from './common';
import { downloadThroughput } from './download-throughput';
import { engineBench } from './engine';
import { estimatorAccuracy } from './estimator-accuracy';
import { hardwareRead } from './hardware-read';
import { monitorBench } from './monitor';
import { uiBench } from './ui';

const suites: Record<string, (ctx: BenchContext) => Promise<Record<string, unknown>>> = {
  estimator: estimatorAccuracy,
  hardware: hardwareRead,
  download: downloadThroughput,
  engine: engineBench,
  ui: uiBench,
  monitor: monitorBench,
  api: apiBench,
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = requested.filter((name) => !suites[name]);
if (unknown.length) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Available: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
mkdirSync(resultsDir, { recursive: true });
for (const name of requested.length ? requested : Object.keys(suites)) {
  const started = Date.now();
  const ctx: BenchContext = {
    progress: (m) => console.error(`[${name} ${((Date.now() - started) / 1000).toFixed(0)}s] ${m}`),
  };
  const result = await suites[name]!(ctx);
  const record = {
    suite: name,
    date: new Date().toISOString(),
    machine: machineInfo(),
    seconds: (Date.now() - started) / 1000,
    ...result,
  };
  const file = join(resultsDir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`${name}: ${file}`);
}
