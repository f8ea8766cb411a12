import type { HardwareProfile } from '../../../shared/contract';
import { formatBytes } from '../../../shared/domain/format';
import { HardwareService } from '../../services/hardware/hardware-service';
import { appPaths, defaultDataDir } from '../../services/paths/data-dir';

export function hardwareService(dataDir = defaultDataDir()): HardwareService {
  return new HardwareService({ modelsDir: () => appPaths(dataDir).modelsDir });
}

export function describeHardware(p: HardwareProfile): string {
  const flags = Object.entries(p.cpu.flags)
    .filter(([, on]) => on)
    .map(([name]) => name.toUpperCase())
    .join(' ');
  const lines = [
    `CPU      ${p.cpu.brand}: ${p.cpu.physicalCores} cores / ${p.cpu.logicalCores} threads${p.cpu.speedGHz ? ` @ ${p.cpu.speedGHz.toFixed(1)} GHz` : ''}${flags ? ` (${flags})` : ''}`,
    `RAM      ${formatBytes(p.ram.totalBytes)} total, ${formatBytes(p.ram.availableBytes)} available${p.ram.speedMts ? `, ${p.ram.speedMts} MT/s` : ''}; ~${p.ram.bandwidthGBs.toFixed(0)} GB/s (${p.ram.bandwidthSource})`,
  ];
  if (p.gpus.length === 0) lines.push('GPU      none that can run models (Hearth will use the CPU)');
  p.gpus.forEach((g, i) => {
    const free = g.vramFreeBytes !== null ? `, ${formatBytes(g.vramFreeBytes)} free` : '';
    const speed = g.bandwidthGBs ? `, ${g.bandwidthGBs} GB/s` : '';
    lines.push(
      `GPU ${i}    ${g.model}: ${formatBytes(g.vramTotalBytes)} VRAM${free}${speed}${g.driver ? ` (driver ${g.driver})` : ''}`,
    );
  });
  if (p.unifiedMemory) lines.push('Memory   unified: the GPU uses system RAM');
  lines.push(`Backends ${p.backends.join(', ')}`);
  if (p.disk)
    lines.push(
      `Disk     ${formatBytes(p.disk.freeBytes)} free for models (${p.disk.path}${p.disk.type ? `, ${p.disk.type}` : ''})`,
    );
  lines.push(`OS       ${p.os.distro} ${p.os.release} (${p.os.platform}, ${p.os.arch})`);
  return lines.join('\n');
}

export async function hwCommand(options: { json?: boolean; dataDir?: string }): Promise<void> {
  const profile = await hardwareService(options.dataDir).get();
  console.log(options.json ? JSON.stringify(profile, null, 2) : describeHardware(profile));
}
