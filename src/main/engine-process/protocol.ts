/**
 * The one message protocol between the engine host (app) and the engine process, used over
 * Electron's utilityProcess port and Node's fork IPC alike. Plain JSON-safe objects only.
 */
export interface LoadRequest {
  modelPath: string;
  /** Layers to offload to the GPU; 'auto' lets node-llama-cpp decide (the estimator will pick later). */
  gpuLayers: number | 'auto';
  contextSize: number;
  threads: number;
}

export interface PromptRequest {
  text: string;
  maxTokens: number;
  temperature?: number;
  seed?: number;
}

export type HostToEngine =
  | ({ type: 'load'; id: number } & LoadRequest)
  | ({ type: 'prompt'; id: number } & PromptRequest)
  | { type: 'abort'; id: number; target: number }
  | { type: 'unload'; id: number }
  | { type: 'shutdown' };

export interface LoadResult {
  modelPath: string;
  contextSize: number;
  gpuLayers: number;
  loadMs: number;
}

export interface PromptResult {
  text: string;
  tokens: number;
  stopReason: 'eos' | 'maxTokens' | 'abort';
}

export type EngineToHost =
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; code: string; message: string }
  | { type: 'chunk'; id: number; text: string }
  | { type: 'progress'; id: number; progress: number };

export type RequestType = Exclude<HostToEngine['type'], 'abort' | 'shutdown'>;
