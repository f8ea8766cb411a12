import { fileURLToPath } from 'node:url';
import { forkLauncher } from '../../src/main/services/engine/fork-launcher';

/** Launches the engine process from its TypeScript source (no build needed), CPU only. */
export const sourceEngineLauncher = () =>
  forkLauncher({
    entry: fileURLToPath(new URL('../../src/main/engine-process/entry.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
    env: { HEARTH_ENGINE_GPU: 'false' },
  });
