import { fileURLToPath } from 'node:url';
import { EngineHost, type EngineHostOptions } from '../../src/main/services/engine/engine-host';
import { forkLauncher } from '../../src/main/services/engine/fork-launcher';

/** Launches the engine process from its TypeScript source (no build needed), CPU only. */
export const sourceEngineLauncher = () =>
  forkLauncher({
    entry: fileURLToPath(new URL('../../src/main/engine-process/entry.ts', import.meta.url)),
    execArgv: ['--import', 'tsx'],
    env: { HEARTH_ENGINE_GPU: 'false' },
  });

/** Engine hosts for a test file, all stopped by `stopAll` (in afterAll). */
export function engineHosts(): {
  newHost: (options?: Partial<EngineHostOptions>) => EngineHost;
  stopAll: () => Promise<void>;
} {
  const hosts: EngineHost[] = [];
  return {
    newHost: (options = {}) => {
      const host = new EngineHost({ launch: sourceEngineLauncher(), defaultThreads: 1, ...options });
      hosts.push(host);
      return host;
    },
    stopAll: async () => {
      await Promise.all(hosts.map((h) => h.stop()));
    },
  };
}
