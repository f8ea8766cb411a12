import { readPackageVersion } from '../app/version';
import { buildProgram } from './program';

const version = readPackageVersion(import.meta.url);
buildProgram(version)
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(`hearth: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
