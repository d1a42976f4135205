import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface SparklineProps {
  readonly values: readonly number[];
  /** What the chart shows in words (screen readers, and the tooltip). */
  readonly label: string;
  readonly tone: 'throughput' | 'failures';
  readonly width?: number;
  readonly height?: number;
}

const STROKE = { throughput: '#2563eb', failures: '#c2410c' } as const;

/**
 * A small uPlot chart: no axes, legend or cursor, one line. The chart is made once per mount and
 * only fed new data after that (setData redraws the canvas; creating 40 charts per update would
 * not keep a frame). uPlot styles through the CSSOM, which the strict CSP allows.
 */
export function Sparkline({ values, label, tone, width = 120, height = 28 }: SparklineProps) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const made = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        axes: [{ show: false }, { show: false }],
        scales: { x: { time: false }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max)] } },
        series: [
          {},
          { stroke: STROKE[tone], width: 1.5, fill: `${STROKE[tone]}22`, points: { show: false } },
        ],
      },
      [[], []],
      element,
    );
    chart.current = made;
    return () => {
      made.destroy();
      chart.current = null;
    };
  }, [tone, width, height]);

  useEffect(() => {
    chart.current?.setData([values.map((_, index) => index), [...values]]);
  }, [values]);

  return (
    <div ref={host} className={`sparkline sparkline-${tone}`} role="img" aria-label={label} title={label} />
  );
}
