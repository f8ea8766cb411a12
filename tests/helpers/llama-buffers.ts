import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

/** Buffer sizes llama.cpp logs while loading a model and creating a context, in bytes, by buffer name. */
export interface MeasuredBuffers {
  /** "<name> model buffer size": CPU_Mapped, CPU_REPACK, CPU (without mmap)… */
  model: Record<string, number>;
  /** "<name> KV buffer size" (and the SWA cache's, summed per name). */
  kv: Record<string, number>;
  /** "<name> compute buffer size". */
  compute: Record<string, number>;
  /** "<name> output buffer size": the logits of the outputs a batch keeps. */
  output: Record<string, number>;
}

const MiB = 1024 * 1024;
const bufferLine = /\b([A-Za-z0-9_]+)\s+(model|KV|compute|output) buffer size =\s+([\d.]+) MiB/;

/** Parses llama.cpp's log lines; sizes are printed in MiB with two decimals (±5 KiB). */
export function parseBufferLines(lines: readonly string[]): MeasuredBuffers {
  const measured: MeasuredBuffers = { model: {}, kv: {}, compute: {}, output: {} };
  for (const line of lines) {
    const m = bufferLine.exec(line);
    if (!m) continue;
    const [, name = '', kind = '', size = '0'] = m;
    const table = kind === 'KV' ? measured.kv : measured[kind as 'model' | 'compute' | 'output'];
    table[name] = (table[name] ?? 0) + Number(size) * MiB;
  }
  return measured;
}

export interface LoadOptions {
  modelPath: string;
  contextSize: number;
  useMmap?: boolean;
  flashAttention?: boolean;
  batchSize?: number;
  sequences?: number;
}

/** A CPU-only llama whose info-level log lines are kept, so a test can read the buffers it allocated. */
export async function loggingLlama(): Promise<{ llama: Llama; lines: string[] }> {
  const lines: string[] = [];
  const llama = await getLlama({
    gpu: false,
    build: 'never',
    logLevel: LlamaLogLevel.info,
    logger: (_level, message) => lines.push(message),
  });
  return { llama, lines };
}

/** Loads a model and one context, and returns the buffers llama.cpp logged for them. */
export async function measureBuffers(
  { llama, lines }: { llama: Llama; lines: string[] },
  options: LoadOptions,
): Promise<MeasuredBuffers> {
  lines.length = 0;
  const model = await llama.loadModel({
    modelPath: options.modelPath,
    gpuLayers: 0,
    useMmap: options.useMmap ?? true,
  });
  try {
    const context = await model.createContext({
      contextSize: options.contextSize,
      flashAttention: options.flashAttention ?? false,
      batchSize: options.batchSize,
      sequences: options.sequences ?? 1,
      threads: 1,
    });
    await context.dispose();
  } finally {
    await model.dispose();
  }
  return parseBufferLines(lines);
}
