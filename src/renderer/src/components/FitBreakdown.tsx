import type { FitEstimate, MemoryBreakdown } from '../../../shared/contract';
import { formatBytes } from '../../../shared/domain/format';

const parts = [
  ['weightsBytes', 'Weights', 'bg-ember-500'],
  ['kvCacheBytes', 'KV cache', 'bg-sky-500'],
  ['computeBytes', 'Compute', 'bg-violet-500'],
  ['headroomBytes', 'Headroom', 'bg-stone-400'],
] as const;

function MemoryBar({ label, memory }: { label: string; memory: MemoryBreakdown }): React.JSX.Element {
  const scale = Math.max(memory.availableBytes, memory.totalBytes + memory.headroomBytes, 1);
  return (
    <div>
      <div className="mb-1 flex justify-between text-xs text-stone-600 dark:text-stone-400">
        <span className="font-medium">{label}</span>
        <span>
          {formatBytes(memory.totalBytes)} of {formatBytes(memory.availableBytes)} available
        </span>
      </div>
      <div
        className="flex h-3 overflow-hidden rounded bg-stone-200 dark:bg-stone-800"
        role="img"
        aria-label={`${label}: ${formatBytes(memory.totalBytes)} needed`}
      >
        {parts.map(([key, name, color]) => (
          <div
            key={key}
            className={color}
            style={{ width: `${(memory[key] / scale) * 100}%` }}
            title={`${name}: ${formatBytes(memory[key])}`}
          />
        ))}
      </div>
    </div>
  );
}

/** Where the memory goes (weights / KV cache / compute / headroom, GPU vs RAM), and the predicted speed. */
export function FitBreakdown({ fit }: { fit: FitEstimate }): React.JSX.Element {
  return (
    <div className="space-y-3" data-testid="fit-breakdown">
      {fit.gpu.availableBytes > 0 && <MemoryBar label="GPU memory" memory={fit.gpu} />}
      <MemoryBar label="RAM" memory={fit.ram} />
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-stone-500">
        {parts.map(([key, name, color]) => (
          <li key={key} className="flex items-center gap-1.5">
            <span className={`size-2 rounded-sm ${color}`} aria-hidden /> {name}{' '}
            {formatBytes(fit.gpu[key] + (key === 'headroomBytes' ? 0 : fit.ram[key]))}
          </li>
        ))}
      </ul>
      <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
        <Stat label="GPU layers" value={`${fit.gpuLayers} / ${fit.totalLayers}`} />
        <Stat
          label="Context"
          value={`${fit.contextSize.toLocaleString()}${fit.maxContextSize ? ` (max ${fit.maxContextSize.toLocaleString()})` : ''}`}
        />
        <Stat
          label="Writing speed"
          value={
            fit.speed.generationTps !== null
              ? `~${fit.speed.generationTps.toFixed(fit.speed.generationTps < 10 ? 1 : 0)} tok/s`
              : '—'
          }
          hint={
            fit.speed.promptTps !== null
              ? `Reading the prompt: ~${Math.round(fit.speed.promptTps)} tok/s`
              : undefined
          }
        />
        <Stat
          label="Rule of thumb"
          value={formatBytes(fit.ruleOfThumbBytes)}
          hint="P × Q/8 × 1.2, the classic estimate"
        />
      </dl>
      {fit.measured && <Measured measured={fit.measured} />}
      <ul className="list-disc space-y-0.5 pl-5 text-sm text-stone-600 dark:text-stone-400">
        {fit.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </div>
  );
}

/** What this machine measured for the model, and how its runs corrected the prediction. */
function Measured({ measured }: { measured: NonNullable<FitEstimate['measured']> }): React.JSX.Element {
  const tps = (x: number): string => x.toFixed(x < 10 ? 1 : 0);
  const here = [
    measured.generationTps !== null ? `${tps(measured.generationTps)} tok/s writing` : null,
    measured.promptTps !== null ? `${Math.round(measured.promptTps)} tok/s reading` : null,
  ].filter(Boolean);
  return (
    <p className="text-sm text-stone-600 dark:text-stone-400" data-testid="fit-measured">
      {here.length > 0 && (
        <span className="font-medium text-stone-800 dark:text-stone-200">
          Measured here: {here.join(', ')}.{' '}
        </span>
      )}
      {measured.note}
      {measured.ramBytes != null && (
        <>
          {' '}
          Last load here: {formatBytes(measured.gpuBytes ?? 0)} GPU memory, {formatBytes(measured.ramBytes)}{' '}
          RAM.
        </>
      )}
      {measured.memory && measured.memory.note !== measured.note && (
        <span data-testid="fit-measured-memory"> {measured.memory.note}</span>
      )}
    </p>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }): React.JSX.Element {
  return (
    <div title={hint}>
      <dt className="text-xs text-stone-500">{label}</dt>
      <dd className="font-medium">{value}</dd>
    </div>
  );
}
