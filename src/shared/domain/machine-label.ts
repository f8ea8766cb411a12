import { formatBytes } from './format';

/** The machine a fit answer is about, as the user named it (nothing named: this computer). */
export interface NamedMachine {
  gpus?: number[];
  gpuName?: string;
  vramBytes?: number;
  cpuName?: string;
}

/** "this computer", "RTX 3060 12 GB", "2 GPUs with 24 GB + 12 GB free", "Ryzen 9 7950X (CPU only)"… */
export function machineLabel(m: NamedMachine): string {
  const gpu = m.gpus
    ? `${m.gpus.length} GPU${m.gpus.length > 1 ? 's' : ''} with ${m.gpus.map(formatBytes).join(' + ')} free`
    : (m.gpuName ??
      (m.vramBytes ? `a GPU with ${formatBytes(m.vramBytes)}` : m.cpuName ? '' : 'this computer'));
  return [gpu, m.cpuName && `${m.cpuName}${gpu ? '' : ' (CPU only)'}`].filter(Boolean).join(' + ');
}
