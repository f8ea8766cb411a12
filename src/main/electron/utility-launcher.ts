import { utilityProcess } from 'electron';
import type { EngineToHost } from '../engine-process/protocol';
import type { EngineChild, EngineLauncher } from '../services/engine/engine-child';

/** Starts the engine as an Electron utility process (its own OS process, sandbox-friendly). */
export function utilityLauncher(entry: string, env: NodeJS.ProcessEnv = {}): EngineLauncher {
  return () => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'Hearth Engine',
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    const adapter: EngineChild = {
      get pid() {
        return child.pid;
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: EngineToHost) => listener(message)),
      onExit: (listener) => child.on('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
    return adapter;
  };
}
