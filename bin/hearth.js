#!/usr/bin/env node
// The `hearth` command: runs the built CLI (npm run build produces out/main/cli.js).
import { existsSync } from 'node:fs';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('hearth: the app is not built yet. Run `npm run build` (or `npm run serve`) first.');
  process.exit(1);
}
await import(cli.href);
