#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .cache/electron-native/, beside (never over) the
// Node build in node_modules that tests and `hearth serve` use. Run by `npm start`, `npm run dev`
// and `npm run package`; never by postinstall, so `npm install` works where Electron cannot be fetched.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;
const cacheDir = join(root, '.cache', 'electron-native');
const target = join(cacheDir, `electron-${electronVersion}`, 'better_sqlite3.node');
const current = join(cacheDir, 'current', 'better_sqlite3.node');

function publish() {
  mkdirSync(join(cacheDir, 'current'), { recursive: true });
  cpSync(target, current);
}

if (existsSync(target)) {
  publish();
  process.exit(0);
}

console.log(`Preparing SQLite for Electron ${electronVersion} (one time)…`);
const work = join(cacheDir, `build-${electronVersion}`);
rmSync(work, { recursive: true, force: true });
cpSync(join(root, 'node_modules/better-sqlite3'), work, {
  recursive: true,
  filter: (src) => !src.includes(join('better-sqlite3', 'build')),
});

const run = (command, args) =>
  spawnSync(command, args, { cwd: work, stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;
const prebuilt =
  run('npx', [
    '--yes',
    'prebuild-install',
    '--runtime',
    'electron',
    '--target',
    electronVersion,
    '--arch',
    process.arch,
  ]) ||
  run('npx', [
    '--yes',
    'node-gyp',
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    '--dist-url=https://electronjs.org/headers',
  ]);
if (!prebuilt) {
  console.error(
    'Could not build better-sqlite3 for Electron: check your network and C++ toolchain, then run `npm start` again.',
  );
  process.exit(1);
}
mkdirSync(join(cacheDir, `electron-${electronVersion}`), { recursive: true });
cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
rmSync(work, { recursive: true, force: true });
publish();
console.log(`SQLite for Electron ready: ${target}`);
