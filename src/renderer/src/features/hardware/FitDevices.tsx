import type { FitEstimate } from '../../../../shared/contract';
import { formatBytes } from '../../../../shared/domain/format';

/** Each GPU's share: its layers (llama.cpp splits them by free memory, the output on the last), its memory, its verdict. */
export function FitDevices({ fit }: { fit: FitEstimate }): React.JSX.Element | null {
  if (!fit.devices.some((d) => d.totalBytes > 0)) return null;
  return (
    <table className="w-full text-left text-xs" data-testid="fit-devices">
      <caption className="mb-1 text-left text-xs font-medium text-stone-600 dark:text-stone-400">
        Per GPU
      </caption>
      <thead className="text-stone-500">
        <tr>
          <th className="py-1 font-normal">GPU</th>
          <th className="font-normal">Layers</th>
          <th className="font-normal">Weights</th>
          <th className="font-normal">KV cache</th>
          <th className="font-normal">Compute</th>
          <th className="font-normal">Needs / free</th>
          <th className="font-normal">Fits</th>
        </tr>
      </thead>
      <tbody>
        {fit.devices.map((d) => (
          <tr
            key={d.index}
            data-testid="fit-device"
            data-fits={d.fits}
            className="border-t border-stone-200 dark:border-stone-800"
          >
            <td className="py-1">
              {d.index}: {d.name}
            </td>
            <td>
              {d.blocks > 0 ? `blocks ${d.firstBlock}–${d.firstBlock + d.blocks - 1}` : 'none'}
              {d.holdsOutput ? ' + output' : ''}
            </td>
            <td>{formatBytes(d.weightsBytes)}</td>
            <td>{formatBytes(d.kvCacheBytes)}</td>
            <td>{formatBytes(d.computeBytes)}</td>
            <td>
              {formatBytes(d.totalBytes)} / {formatBytes(Math.max(0, d.availableBytes - d.headroomBytes))}
            </td>
            <td className={d.fits ? 'text-emerald-600' : 'font-medium text-red-600'}>
              {d.fits ? 'yes' : 'no'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
