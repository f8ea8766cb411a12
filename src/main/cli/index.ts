import { fileURLToPath } from 'node:url';
import { readPackageVersion } from '../app/version';
import { buildProgram } from './program';

const version = readPackageVersion(import.meta.url);
// This entry is out/main/cli.js once built: the engine entry is beside it.
buildProgram({ version, outDir: fileURLToPath(new URL('.', import.meta.url)) })
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`hearth: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
