import type { MachineInsight, MachineSample } from '../../../../shared/contract';
import { formatBytes } from '../../../../shared/domain/format';
import { ErrorText } from '../../components/ui';
import { bytes, Meter, pct, ratioOf } from '../monitor/meters';
import { MachineFitBadge } from './MachineFitBadge';
import { useLiveSample, useMachine } from './use-providers';

function Hardware({ machine }: { machine: MachineInsight }): React.JSX.Element {
  const hw = machine.hardware;
  if (!hw) return <ErrorText error={machine.hardwareError ?? 'No hardware reading'} />;
  return (
    <dl className="grid grid-cols-[5rem_1fr] gap-x-3 gap-y-1 text-sm" data-testid="machine-hardware">
      <dt className="text-stone-500">GPU</dt>
      <dd>
        {hw.gpus.length === 0
          ? hw.unifiedMemory
            ? 'Unified memory'
            : 'None'
          : hw.gpus.map((g, i) => (
              <span key={i} className="block" data-testid="machine-gpu">
                {g.model} · {formatBytes(g.vramTotalBytes)} VRAM
                {g.vramFreeBytes !== null ? ` (${formatBytes(g.vramFreeBytes)} free)` : ''}
              </span>
            ))}
      </dd>
      <dt className="text-stone-500">RAM</dt>
      <dd>
        {formatBytes(hw.ramTotalBytes)} ({formatBytes(hw.ramAvailableBytes)} free)
      </dd>
      <dt className="text-stone-500">CPU</dt>
      <dd className="truncate">
        {hw.cpu.brand} · {hw.cpu.cores} threads
      </dd>
      <dt className="text-stone-500">Runs on</dt>
      <dd>
        {hw.backends.join(', ') || 'cpu'} · {hw.platform}
      </dd>
    </dl>
  );
}

/** CPU, RAM and each GPU's load and VRAM, as bars in the monitor's colours. */
function Live({ sample, error }: { sample: MachineSample | null; error: string | null }): React.JSX.Element {
  if (error) return <ErrorText error={`Monitor: ${error}`} />;
  if (!sample) return <p className="text-xs text-stone-500">Waiting for its first reading…</p>;
  return (
    <div className="space-y-1.5" data-testid="machine-live">
      <Meter
        label="CPU"
        ratio={sample.cpuRatio}
        text={pct(sample.cpuRatio === null ? null : sample.cpuRatio * 100)}
      />
      <Meter
        label="RAM"
        ratio={ratioOf(sample.ramUsedBytes, sample.ramTotalBytes)}
        text={`${bytes(sample.ramUsedBytes)} / ${bytes(sample.ramTotalBytes)}`}
      />
      {sample.gpus.map((g) => (
        <div key={g.index} className="space-y-1">
          <Meter
            label={`GPU${sample.gpus.length > 1 ? g.index : ''}`}
            ratio={g.utilizationRatio}
            text={`${pct(g.utilizationRatio === null ? null : g.utilizationRatio * 100)}${g.temperatureC !== null ? ` · ${Math.round(g.temperatureC)} °C` : ''}`}
          />
          <Meter
            label="VRAM"
            ratio={ratioOf(g.memoryUsedBytes, g.memoryTotalBytes)}
            text={`${bytes(g.memoryUsedBytes)} / ${bytes(g.memoryTotalBytes)}`}
          />
        </div>
      ))}
      {sample.tokensPerSecond !== null && sample.tokensPerSecond > 0 && (
        <p className="text-xs text-stone-500">{sample.tokensPerSecond.toFixed(1)} tokens/s now</p>
      )}
    </div>
  );
}

function Models({ machine }: { machine: MachineInsight }): React.JSX.Element {
  if (machine.modelsError) return <ErrorText error={`Models: ${machine.modelsError}`} />;
  if (machine.models.length === 0) return <p className="text-xs text-stone-500">No models installed.</p>;
  return (
    <ul className="space-y-1" data-testid="machine-models">
      {machine.models.map((m) => (
        <li key={m.id} className="flex items-center justify-between gap-2 text-sm">
          <span className="min-w-0 truncate">
            {m.name}
            <span className="text-xs text-stone-500">
              {' '}
              {[m.quant, formatBytes(m.sizeBytes)].filter(Boolean).join(' · ')}
            </span>
          </span>
          {m.fit ? (
            <span className="flex shrink-0 items-center gap-2">
              {m.fit.generationTps !== null && (
                <span className="text-xs text-stone-500">~{Math.round(m.fit.generationTps)} tok/s</span>
              )}
              <MachineFitBadge fit={m.fit} />
            </span>
          ) : (
            <span className="shrink-0 text-xs text-stone-500" title={m.fitError ?? undefined}>
              {m.fitError ? 'unusable' : 'no fit data'}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** One side of "this machine vs that one": hardware, live numbers, models with their fit there. */
export function MachineColumn({ id, title }: { id: string; title: string }): React.JSX.Element {
  const machine = useMachine(id);
  const live = useLiveSample(id);
  const sample = live.data?.sample ?? machine.data?.sample ?? null;
  const sampleError = live.data ? live.data.error : (machine.data?.sampleError ?? null);
  return (
    <section className="min-w-0 space-y-4" aria-label={title} data-testid="machine-column">
      <h3 className="truncate text-sm font-semibold">{title}</h3>
      {machine.isLoading && <p className="text-xs text-stone-500">Reading…</p>}
      <ErrorText error={machine.error} />
      {machine.data && (
        <>
          <Hardware machine={machine.data} />
          <Live sample={sample} error={sampleError} />
          <div>
            <h4 className="mb-1 text-xs font-semibold tracking-wide text-stone-500 uppercase">Models</h4>
            <Models machine={machine.data} />
          </div>
        </>
      )}
    </section>
  );
}
