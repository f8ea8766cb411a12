import { useQueryClient } from '@tanstack/react-query';
import { Cpu, HardDrive, MemoryStick, MonitorCog, RefreshCw } from 'lucide-react';
import type { HardwareProfile } from '../../../../shared/contract';
import { formatBytes } from '../../../../shared/domain/format';
import { tierFor } from '../../../../shared/domain/tiers';
import { Button, Page } from '../../components/ui';
import { useClient, useRoute } from '../../lib/hooks';
import { FitCheck } from './FitCheck';
import { QuantGuide } from './QuantGuide';

function Card({
  icon,
  title,
  children,
}: {
  icon: React.ReactNode;
  title: string;
  children: React.ReactNode;
}): React.JSX.Element {
  return (
    <section className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <h3 className="mb-2 flex items-center gap-2 text-sm font-semibold text-stone-500">
        {icon}
        {title}
      </h3>
      <div className="space-y-1 text-sm">{children}</div>
    </section>
  );
}

function UsageBar({ used, total, label }: { used: number; total: number; label: string }): React.JSX.Element {
  const share = total > 0 ? Math.min(1, used / total) : 0;
  return (
    <div
      className="h-2 overflow-hidden rounded bg-stone-200 dark:bg-stone-800"
      role="meter"
      aria-label={label}
      aria-valuenow={Math.round(share * 100)}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <div className="h-full bg-ember-500" style={{ width: `${share * 100}%` }} />
    </div>
  );
}

function Machine({ profile }: { profile: HardwareProfile }): React.JSX.Element {
  const flags = Object.entries(profile.cpu.flags)
    .filter(([, on]) => on)
    .map(([name]) => name.toUpperCase());
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Card icon={<Cpu className="size-4" aria-hidden />} title="Processor">
        <p className="font-medium" data-testid="hw-cpu">
          {profile.cpu.brand}
        </p>
        <p>
          {profile.cpu.physicalCores} cores, {profile.cpu.logicalCores} threads
          {profile.cpu.speedGHz ? ` at ${profile.cpu.speedGHz.toFixed(1)} GHz` : ''}
        </p>
        {flags.length > 0 && <p className="text-xs text-stone-500">{flags.join(' · ')}</p>}
      </Card>
      <Card icon={<MemoryStick className="size-4" aria-hidden />} title="Memory">
        <p className="font-medium" data-testid="hw-ram">
          {formatBytes(profile.ram.availableBytes)} free of {formatBytes(profile.ram.totalBytes)}
        </p>
        <UsageBar
          used={profile.ram.totalBytes - profile.ram.availableBytes}
          total={profile.ram.totalBytes}
          label="RAM in use"
        />
        <p className="text-xs text-stone-500">
          About {profile.ram.bandwidthGBs.toFixed(0)} GB/s ({profile.ram.bandwidthSource})
          {profile.unifiedMemory ? ' · shared with the GPU' : ''}
        </p>
      </Card>
      <Card
        icon={<MonitorCog className="size-4" aria-hidden />}
        title={profile.gpus.length > 1 ? `GPUs (${profile.gpus.length})` : 'GPU'}
      >
        {profile.gpus.length === 0 && (
          <p data-testid="hw-gpu-none">No GPU Hearth can use: models run on the processor.</p>
        )}
        {profile.gpus.map((gpu, i) => (
          <div key={`${gpu.bus ?? i}`} className="space-y-1" data-testid="hw-gpu">
            <p className="font-medium">{gpu.model}</p>
            <p>
              {formatBytes(gpu.vramTotalBytes)} VRAM
              {gpu.vramFreeBytes !== null ? `, ${formatBytes(gpu.vramFreeBytes)} free` : ''}
              {gpu.bandwidthGBs ? ` · ${gpu.bandwidthGBs} GB/s` : ''}
            </p>
            {gpu.vramUsedBytes !== null && (
              <UsageBar
                used={gpu.vramUsedBytes}
                total={gpu.vramTotalBytes}
                label={`${gpu.model} memory in use`}
              />
            )}
          </div>
        ))}
        <p className="text-xs text-stone-500">Backends: {profile.backends.join(', ')}</p>
      </Card>
      <Card icon={<HardDrive className="size-4" aria-hidden />} title="Storage for models">
        {profile.disk ? (
          <>
            <p className="font-medium">{formatBytes(profile.disk.freeBytes)} free</p>
            <UsageBar
              used={profile.disk.totalBytes - profile.disk.freeBytes}
              total={profile.disk.totalBytes}
              label="Disk in use"
            />
            <p className="break-all text-xs text-stone-500">
              {profile.disk.path}
              {profile.disk.type ? ` · ${profile.disk.type}` : ''}
            </p>
          </>
        ) : (
          <p>Unknown</p>
        )}
      </Card>
    </div>
  );
}

export function HardwareView(): React.JSX.Element {
  const hardware = useRoute('hardware.get');
  const client = useClient();
  const queryClient = useQueryClient();
  const refresh = async (): Promise<void> => {
    const profile = await client.invoke('hardware.get', { refresh: true });
    queryClient.setQueryData(['hardware.get', null], profile);
  };
  const profile = hardware.data;
  const tier = profile
    ? tierFor({
        bestVramBytes: Math.max(0, ...profile.gpus.map((g) => g.vramTotalBytes)),
        unifiedMemory: profile.unifiedMemory,
        ramBytes: profile.ram.totalBytes,
      })
    : undefined;
  return (
    <Page
      title="Your hardware"
      subtitle="What Hearth sees, and what it means for the models you can run."
      actions={
        <Button variant="secondary" onClick={() => void refresh()} className="flex items-center gap-1.5">
          <RefreshCw className="size-4" aria-hidden /> Refresh
        </Button>
      }
    >
      {hardware.isPending && <p className="text-sm text-stone-500">Reading your hardware…</p>}
      {hardware.isError && (
        <p role="alert" className="text-sm text-red-600">
          Could not read the hardware: {hardware.error.message}
        </p>
      )}
      {tier && (
        <section data-testid="hw-tier" className="rounded-xl border border-ember-500/40 bg-ember-500/5 p-5">
          <h2 className="text-lg font-semibold">{tier.title}</h2>
          <p className="mt-1 text-sm">{tier.why}</p>
          <p className="mt-2 text-sm text-stone-600 dark:text-stone-400">
            Good picks: {tier.examples.join(', ')} · typically {tier.expectedSpeed}
          </p>
        </section>
      )}
      {profile && <Machine profile={profile} />}
      <FitCheck />
      <QuantGuide />
    </Page>
  );
}
