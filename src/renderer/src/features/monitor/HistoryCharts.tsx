import { useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import type { MonitorSample } from '../../../../shared/contract';
import { TimeChart, type ChartSeries } from './TimeChart';

const palette = ['#f97316', '#0ea5e9', '#a855f7', '#10b981', '#e11d48', '#eab308'];

/** Follows the .dark class useTheme sets on <html>. */
function useDark(): boolean {
  const [dark, setDark] = useState(() => document.documentElement.classList.contains('dark'));
  useEffect(() => {
    const observer = new MutationObserver(() => setDark(document.documentElement.classList.contains('dark')));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return dark;
}

const share = (used: number | null, total: number | null): number | null =>
  used === null || !total ? null : (100 * used) / total;

/** The last 10 minutes, three charts: GPU load and memory, CPU and RAM, tokens/s. */
export function HistoryCharts({ history }: { history: readonly MonitorSample[] }): React.JSX.Element {
  const dark = useDark();
  const charts = useMemo(() => {
    const xs = history.map((s) => s.at / 1000);
    const gpuIds = [...new Set(history.flatMap((s) => s.gpus.map((g) => g.id)))];
    const gpuName = (id: string): string => {
      const g = history.findLast((s) => s.gpus.some((x) => x.id === id))?.gpus.find((x) => x.id === id);
      return g ? `GPU ${g.index}` : id;
    };
    const gpuSeries: ChartSeries[] = [];
    const gpuData: (number | null)[][] = [];
    gpuIds.forEach((id, i) => {
      const of = (s: MonitorSample) => s.gpus.find((g) => g.id === id);
      gpuSeries.push({ label: `${gpuName(id)} util`, color: palette[(2 * i) % palette.length]! });
      gpuData.push(history.map((s) => of(s)?.utilizationPct ?? null));
      gpuSeries.push({ label: `${gpuName(id)} VRAM`, color: palette[(2 * i + 1) % palette.length]! });
      gpuData.push(
        history.map((s) => share(of(s)?.memoryUsedBytes ?? null, of(s)?.memoryTotalBytes ?? null)),
      );
    });
    return {
      gpu: { series: gpuSeries, data: [xs, ...gpuData] as uPlot.AlignedData },
      host: {
        series: [
          { label: 'CPU', color: palette[0]! },
          { label: 'RAM', color: palette[1]! },
          { label: 'Swap', color: palette[4]! },
        ],
        data: [
          xs,
          history.map((s) => s.host.cpuPct),
          history.map((s) => share(s.host.ramUsedBytes, s.host.ramTotalBytes)),
          history.map((s) => share(s.host.swapUsedBytes, s.host.swapTotalBytes)),
        ] as uPlot.AlignedData,
      },
      speed: {
        series: [{ label: 'tokens/s', color: palette[3]! }],
        data: [xs, history.map((s) => s.tokensPerSecond)] as uPlot.AlignedData,
      },
    };
  }, [history]);
  return (
    <div className="space-y-3" data-testid="monitor-history">
      {charts.gpu.series.length > 0 && (
        <TimeChart title="GPU load and memory (%)" unit="%" range={[0, 100]} dark={dark} {...charts.gpu} />
      )}
      <TimeChart title="CPU, RAM and swap (%)" unit="%" range={[0, 100]} dark={dark} {...charts.host} />
      <TimeChart title="Generation speed (tokens/s)" unit="" dark={dark} {...charts.speed} />
    </div>
  );
}
