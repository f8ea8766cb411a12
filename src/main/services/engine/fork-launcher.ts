import { fork } from 'node:child_process';
import type { EngineToHost } from '../../engine-process/protocol';
import type { EngineChild, EngineLauncher } from './engine-child';

export interface ForkLauncherOptions {
  /** The engine entry script (out/main/engine.js once built). */
  entry: string;
  /** e.g. ['--import', 'tsx'] to run the TypeScript entry in tests. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Starts the engine with child_process.fork: used by `hearth serve`, the CLI and tests. */
export function forkLauncher(options: ForkLauncherOptions): EngineLauncher {
  return () => {
    const child = fork(options.entry, [], {
      execArgv: options.execArgv ?? [],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const adapter: EngineChild = {
      get pid() {
        return child.pid;
      },
      send(message) {
        if (child.connected) child.send(message);
      },
      onMessage(listener) {
        child.on('message', (message) => listener(message as EngineToHost));
      },
      onExit(listener) {
        child.on('exit', (code) => listener(code));
      },
      kill() {
        child.kill('SIGKILL');
      },
    };
    return adapter;
  };
}
