import type { Result } from './errors';

/** A message carrying one contract event. */
export interface EventMessage {
  name: string;
  payload: unknown;
}

/**
 * The only surface the renderer sees: the preload exposes it as `window.hearth` in Electron,
 * and the web transport implements it over HTTP + WebSocket.
 */
export interface HearthBridge {
  invoke(route: string, input: unknown): Promise<Result<unknown>>;
  on(listener: (message: EventMessage) => void): () => void;
}

/** IPC channel names shared by the preload and the ipcMain binding. */
export const ipcChannels = {
  invoke: 'hearth:invoke',
  event: 'hearth:event',
  /** Desktop only: the system's open dialog for one GGUF file (answers a path or null). */
  pickModelFile: 'hearth:pick-model-file',
} as const;
