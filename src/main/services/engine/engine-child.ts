import type { EngineToHost, HostToEngine } from '../../engine-process/protocol';

/** A started engine process, whatever started it (utilityProcess or child_process.fork). */
export interface EngineChild {
  readonly pid: number | undefined;
  send(message: HostToEngine): void;
  onMessage(listener: (message: EngineToHost) => void): void;
  onExit(listener: (code: number | null) => void): void;
  /** Hard kill (SIGKILL where the platform has it). */
  kill(): void;
}

export type EngineLauncher = () => EngineChild;
