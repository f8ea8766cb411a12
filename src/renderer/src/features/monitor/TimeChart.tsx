import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const pad = (n: number): string => String(n).padStart(2, '0');
/** "14:05:10" on the time axis: the window is 10 minutes, dates would only take room. */
const clockTime = (seconds: number): string => {
  const d = new Date(seconds * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};
const height = 130;

export interface ChartSeries {
  label: string;
  color: string;
}

/**
 * A streaming line chart over uPlot: created once, then fed with setData each sample (no React
 * re-render of the canvas, no DOM per point), sized to its container, recreated on a theme change.
 */
export function TimeChart({
  title,
  series,
  data,
  range,
  unit,
  dark,
}: {
  title: string;
  series: readonly ChartSeries[];
  /** Seconds since the epoch, then one array per series (null where unknown). */
  data: uPlot.AlignedData;
  /** A fixed y range (percentages), or automatic from 0. */
  range?: [number, number];
  unit: string;
  dark: boolean;
}): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;
  const key = `${dark}:${series.map((s) => s.label).join('|')}`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ink = dark ? '#a8a29e' : '#57534e';
    const grid = dark ? '#292524' : '#e7e5e4';
    const axis = { stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const chart = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          y: range ? { range } : { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [
          { ...axis, space: 70, values: (_u, ticks) => ticks.map(clockTime) },
          { ...axis, size: 52, space: 20, values: (_u, ticks) => ticks.map((t) => `${t}${unit}`) },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            spanGaps: false,
            points: { show: false },
          })),
        ],
      },
      latest.current,
      el,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Recreated only when the series or the theme change; data flows through setData below.
  }, [key]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return (
    <figure className="space-y-1">
      <figcaption className="text-xs font-medium text-stone-500">{title}</figcaption>
      <div ref={box} className="w-full text-xs" />
    </figure>
  );
}
