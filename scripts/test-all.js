#!/usr/bin/env node
// `npm test`: lint, format check, typecheck (node + web), build, then every Vitest project
// (unit, integration, e2e in Chromium). Runs every step, reports each, exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const report = 'node_modules/.cache/vitest-report.json';
mkdirSync('node_modules/.cache', { recursive: true });

const steps = [
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['build', 'npx', ['electron-vite', 'build']],
  ['tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]],
];

const results = [];
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '1' },
  });
  results.push({ name, ok: status === 0, seconds: (Date.now() - started) / 1000 });
  // Tests need a build; without one they would only repeat the build's failure.
  if (name === 'build' && status !== 0) break;
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
}
const stepFailures = results.filter((r) => !r.ok).length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(stepFailures > 0 || results.length < steps.length ? 1 : 0);
