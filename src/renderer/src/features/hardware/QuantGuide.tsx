import { quantTable } from '../../../../shared/domain/quants';

/** The seeds' quantization table: what Q4_K_M and friends mean, for people learning. */
export function QuantGuide(): React.JSX.Element {
  return (
    <details className="rounded-xl border border-stone-200 bg-white p-5 shadow-sm dark:border-stone-800 dark:bg-stone-900">
      <summary className="cursor-pointer text-lg font-semibold">Quantization guide</summary>
      <p className="mt-2 text-sm text-stone-500">
        Smaller quants fit more model in less memory, at some cost in quality. Sizes are for a 7B model
        (llama.cpp&apos;s figures). The rule of thumb: memory ≈ parameters × bits / 8 × 1.2.
      </p>
      <table className="mt-3 w-full text-left text-sm">
        <thead className="text-xs text-stone-500">
          <tr>
            <th className="py-1">Quant</th>
            <th>Bits / weight</th>
            <th>7B size</th>
            <th>Quality</th>
          </tr>
        </thead>
        <tbody>
          {quantTable.map((q) => (
            <tr key={q.name} className="border-t border-stone-100 dark:border-stone-800">
              <td className="py-1 font-mono">
                {q.name}
                {q.recommended && <span className="ml-1.5 text-xs text-emerald-600">recommended</span>}
              </td>
              <td>{q.bitsPerWeight}</td>
              <td>{q.size7bGB ? `${q.size7bGB} GB` : '—'}</td>
              <td>{q.quality}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
