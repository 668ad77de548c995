/**
 * Cumulative enrolment by month against the target line, as an inline SVG line chart (no chart
 * library in the bundle, no canvas). The two series differ by line style and markers as well as
 * colour, and the figure carries a text summary; the page shows the same numbers as a table.
 */
import { useId } from 'react';
import type { EnrolmentMonth } from '../../api/reports-api.js';

/** Props of EnrolmentChart. */
export interface EnrolmentChartProps {
  months: readonly EnrolmentMonth[];
  target: number;
  /** The figure's text alternative. */
  label: string;
  /** Legend texts of the two series. */
  enrolledLabel: string;
  targetLabel: string;
}

const WIDTH = 720;
const HEIGHT = 280;
const PAD = { left: 44, right: 16, top: 14, bottom: 40 };

/** A "nice" step for about five y-axis ticks. */
function tickStep(max: number): number {
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, raw)));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? magnitude * 10;
}

/** The chart. */
export function EnrolmentChart({ months, target, label, enrolledLabel, targetLabel }: EnrolmentChartProps) {
  const titleId = useId();
  const last = months.at(-1);
  const maxY = Math.max(target, last?.cumulativeEnrolled ?? 0, 1);
  const step = tickStep(maxY);
  const top = Math.ceil(maxY / step) * step;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number): number => PAD.left + (months.length <= 1 ? plotW / 2 : (i * plotW) / (months.length - 1));
  const y = (v: number): number => PAD.top + plotH - (v / top) * plotH;
  const line = (pick: (m: EnrolmentMonth) => number): string =>
    months.map((m, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(pick(m)).toFixed(1)}`).join(' ');
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  // At most about eight month labels, always the first and the last.
  const every = Math.max(1, Math.ceil(months.length / 8));
  const lastIndex = months.length - 1;
  const labelled = months
    .map((m, i) => ({ m, i }))
    .filter(({ i }) => i === lastIndex || (i % every === 0 && lastIndex - i >= every));

  return (
    <figure className="rp-chart">
      <svg
        className="rp-chart__svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>{label}</title>
        {ticks.map((v) => (
          <g key={v} className="rp-chart__tick">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} className="rp-chart__grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        {labelled.map(({ m, i }) => (
          <text key={m.month} className="rp-chart__tick" x={x(i)} y={HEIGHT - PAD.bottom + 18} textAnchor="middle">
            {m.month}
          </text>
        ))}
        <line
          x1={PAD.left}
          x2={WIDTH - PAD.right}
          y1={PAD.top + plotH}
          y2={PAD.top + plotH}
          className="rp-chart__axis"
        />
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} className="rp-chart__axis" />
        {months.length > 0 ? (
          <>
            <path d={line((m) => m.cumulativeTarget)} className="rp-chart__target" data-series="target" />
            <path d={line((m) => m.cumulativeEnrolled)} className="rp-chart__enrolled" data-series="enrolled" />
            {months.map((m, i) => (
              <circle key={m.month} cx={x(i)} cy={y(m.cumulativeEnrolled)} r={3} className="rp-chart__point" />
            ))}
          </>
        ) : null}
      </svg>
      <figcaption className="rp-chart__legend">
        <span className="rp-chart__key">
          <svg width="32" height="10" aria-hidden="true">
            <line x1="0" x2="32" y1="5" y2="5" className="rp-chart__enrolled" />
            <circle cx="16" cy="5" r="3" className="rp-chart__point" />
          </svg>
          {enrolledLabel}
        </span>
        <span className="rp-chart__key">
          <svg width="32" height="10" aria-hidden="true">
            <line x1="0" x2="32" y1="5" y2="5" className="rp-chart__target" />
          </svg>
          {targetLabel}
        </span>
      </figcaption>
    </figure>
  );
}
