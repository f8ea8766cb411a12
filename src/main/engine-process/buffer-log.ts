import { LlamaLogLevel } from 'node-llama-cpp';

/** One buffer llama.cpp allocated: "CUDA0 model buffer size = 4403.49 MiB" -> CUDA0, model, bytes. */
export interface BufferReport {
  /** The backend buffer type: CPU_Mapped, CPU_REPACK, CPU, CUDA0, Vulkan0, Metal… */
  name: string;
  kind: 'model' | 'KV' | 'compute' | 'output';
  bytes: number;
}

const MiB = 1024 * 1024;
const bufferLine = /\b([A-Za-z0-9_]+)\s+(model|KV|compute|output) buffer size =\s+([\d.]+) MiB/;
/** No load reports more than a few dozen buffers; a flood of lines is not kept. */
const maxReports = 256;

/**
 * llama.cpp's own report of the buffers a load allocates, read from its log (info level) while
 * everything else in the log is dropped but errors, which go to stderr as before.
 */
export class BufferLog {
  private reports: BufferReport[] = [];

  readonly logger = (level: LlamaLogLevel, message: string): void => {
    const m = bufferLine.exec(message);
    if (m) {
      if (this.reports.length < maxReports)
        this.reports.push({
          name: m[1] ?? '',
          kind: m[2] as BufferReport['kind'],
          bytes: Number(m[3]) * MiB,
        });
      return;
    }
    if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) console.error(message);
  };

  /** Forgets what earlier loads reported. */
  start(): void {
    this.reports = [];
  }

  /** What was reported since `start`. */
  take(): BufferReport[] {
    const taken = this.reports;
    this.reports = [];
    return taken;
  }
}
