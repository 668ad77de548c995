/**
 * CONSORT 2010 flow diagram layout and SVG (pure): boxes with their text lines, stage bands
 * (Enrolment, Allocation, Follow-up, Analysis) and arrows, placed on a grid — one column with the
 * arms pooled (blinded) or one column per arm. Text is wrapped to the box width with a Helvetica
 * width estimate, so the SVG needs no font metrics at render time. Every line that carries a count
 * names its count's key (`data-key`), so a page can list the participants behind it on click.
 */
import type { ConsortCount, ConsortCounts } from './consort-model.js';

/** One text line of a box, with the key of the count it shows (if any). */
export interface LayoutLine {
  readonly text: string;
  readonly key: string | null;
  readonly bold: boolean;
  /** Indentation level (0 box title, 1 bullet, 2 reason). */
  readonly indent: number;
}

/** A placed box. */
export interface LayoutBox {
  readonly key: string;
  readonly kind: 'box' | 'stage';
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly lines: readonly LayoutLine[];
}

/** A placed arrow (straight segments, arrowhead at the end). */
export interface LayoutArrow {
  readonly points: readonly (readonly [number, number])[];
}

/** The laid-out diagram. */
export interface ConsortLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly LayoutBox[];
  readonly arrows: readonly LayoutArrow[];
}

const FONT_SIZE = 12;
const LINE = 16;
const PAD = 8;
/** Average Helvetica advance at 12 px (≈ 0.53 em), a little generous so text never overflows. */
const CHAR_WIDTH = 6.6;
const MARGIN = 20;
const STAGE_H = 24;
const GAP = 26;
const INDENT = 14;

/** The count, with no-break spaces so that wrapping never splits it. */
const n = (c: ConsortCount): string => `(n\u00a0=\u00a0${c.n})`;

/** Wraps a line to `width` pixels at its indentation; continuation lines keep the indentation. */
function wrap(line: LayoutLine, width: number): LayoutLine[] {
  const max = Math.max(10, Math.floor((width - 2 * PAD - line.indent * INDENT) / CHAR_WIDTH));
  if (line.text.length <= max) return [line];
  const out: LayoutLine[] = [];
  let rest = line.text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut <= max / 3) cut = max;
    out.push({ ...line, text: rest.slice(0, cut).trimEnd() });
    rest = `  ${rest.slice(cut).trimStart()}`;
  }
  out.push({ ...line, text: rest });
  return out;
}

const title = (text: string, key: string | null): LayoutLine => ({ text, key, bold: true, indent: 0 });
const bullet = (c: ConsortCount, label = c.label): LayoutLine => ({
  text: `• ${label} ${n(c)}`,
  key: c.key,
  bold: false,
  indent: 1,
});
const reasonLines = (c: ConsortCount): LayoutLine[] =>
  (c.parts ?? []).map((p) => ({ text: `– ${p.label} ${n(p)}`, key: p.key, bold: false, indent: 2 }));

function box(key: string, x: number, y: number, w: number, lines: readonly LayoutLine[]): LayoutBox {
  const wrapped = lines.flatMap((l) => wrap(l, w));
  return { key, kind: 'box', x, y, w, h: wrapped.length * LINE + 2 * PAD - (LINE - FONT_SIZE) + 4, lines: wrapped };
}

/** Lays the diagram out. */
export function layoutConsort(c: ConsortCounts): ConsortLayout {
  const columns = c.columns.length;
  const colW = columns > 1 ? 330 : 420;
  const colGap = 40;
  const flowW = columns * colW + (columns - 1) * colGap;
  const sideW = 400;
  const mainW = 260;
  // The enrolment stage: the main flow down the centre, excluded and pending to the right.
  const centre = MARGIN + Math.max(flowW / 2, mainW / 2);
  const sideX = centre + mainW / 2 + 50;
  const width = Math.max(MARGIN * 2 + flowW, sideX + sideW + MARGIN);
  const boxes: LayoutBox[] = [];
  const arrows: LayoutArrow[] = [];
  let y = MARGIN;
  const stage = (key: string, label: string): void => {
    boxes.push({
      key: `stage.${key}`,
      kind: 'stage',
      x: MARGIN,
      y,
      w: width - 2 * MARGIN,
      h: STAGE_H,
      lines: [title(label, null)],
    });
    y += STAGE_H + 14;
  };

  stage('enrolment', 'Enrolment');
  const assessed = box(c.assessed.key, centre - mainW / 2, y, mainW, [
    title(`${c.assessed.label} ${n(c.assessed)}`, c.assessed.key),
  ]);
  boxes.push(assessed);
  let sideY = assessed.y + assessed.h + GAP / 2;
  const excludedLines: LayoutLine[] = [title(`${c.excluded.label} ${n(c.excluded)}`, c.excluded.key)];
  for (const part of c.excluded.parts ?? []) excludedLines.push(bullet(part), ...reasonLines(part));
  const excluded = box(c.excluded.key, sideX, sideY, sideW, excludedLines);
  boxes.push(excluded);
  sideY += excluded.h + 12;
  const pendingLines: LayoutLine[] = [
    title(`${c.pending.label} ${n(c.pending)}`, c.pending.key),
    ...(c.pending.parts ?? []).map((p) => bullet(p)),
  ];
  const pending = box(c.pending.key, sideX, sideY, sideW, pendingLines);
  boxes.push(pending);
  sideY += pending.h;
  const randomizedY = sideY + GAP;
  const randomized = box(c.randomized.key, centre - mainW / 2, randomizedY, mainW, [
    title(`${c.randomized.label} ${n(c.randomized)}`, c.randomized.key),
  ]);
  boxes.push(randomized);
  // Arrow down the centre, with branches to the side boxes.
  arrows.push({
    points: [
      [centre, assessed.y + assessed.h],
      [centre, randomized.y],
    ],
  });
  arrows.push({
    points: [
      [centre, excluded.y + 16],
      [sideX, excluded.y + 16],
    ],
  });
  arrows.push({
    points: [
      [centre, pending.y + 16],
      [sideX, pending.y + 16],
    ],
  });
  y = randomized.y + randomized.h + GAP;

  const colX = (i: number): number => centre - flowW / 2 + i * (colW + colGap);
  const row = (
    stageKey: string,
    stageLabel: string,
    linesOf: (col: ConsortCounts['columns'][number]) => LayoutLine[],
    keyOf: (col: ConsortCounts['columns'][number]) => string,
  ): LayoutBox[] => {
    stage(stageKey, stageLabel);
    const placed = c.columns.map((col, i) => box(keyOf(col), colX(i), y, colW, linesOf(col)));
    const h = Math.max(...placed.map((b) => b.h));
    const even = placed.map((b) => ({ ...b, h }));
    boxes.push(...even);
    y += h + GAP;
    return even;
  };

  const allocation = row(
    'allocation',
    'Allocation',
    (col) => [
      title(`${col.label} ${n(col.allocated)}`, col.allocated.key),
      bullet(col.received),
      bullet(col.notReceived),
      ...reasonLines(col.notReceived),
      bullet(col.awaitingInjection),
    ],
    (col) => col.allocated.key,
  );
  // From "Randomized" to each column.
  for (const b of allocation) {
    const x = b.x + b.w / 2;
    arrows.push({
      points:
        columns > 1
          ? [
              [centre, randomized.y + randomized.h],
              [centre, randomized.y + randomized.h + 10],
              [x, randomized.y + randomized.h + 10],
              [x, b.y],
            ]
          : [
              [centre, randomized.y + randomized.h],
              [x, b.y],
            ],
    });
  }
  const followUp = row(
    'follow_up',
    'Follow-up',
    (col) => [
      title(`${col.lostToFollowUp.label} ${n(col.lostToFollowUp)}`, col.lostToFollowUp.key),
      title(`${col.discontinued.label} ${n(col.discontinued)}`, col.discontinued.key),
      ...reasonLines(col.discontinued),
      bullet(col.completed),
      bullet(col.inFollowUp),
    ],
    (col) => col.lostToFollowUp.key.replace(/\.lost$/, '.follow_up'),
  );
  const analysis = row(
    'analysis',
    'Analysis',
    (col) =>
      col.analysis.flatMap((a, i) => [
        {
          text: `${i === 0 ? 'Analysed, primary: ' : 'Analysed: '}${a.label} ${n(a.analysed)}`,
          key: a.analysed.key,
          bold: i === 0,
          indent: 0,
        },
        ...(a.excluded.n > 0
          ? [
              {
                text: `– excluded ${n(a.excluded)}: ${(a.excluded.parts ?? []).map((p) => `${p.label}\u00a0${p.n}`).join('; ')}`,
                key: a.excluded.key,
                bold: false,
                indent: 2,
              },
            ]
          : []),
      ]),
    (col) => `${col.arm ?? 'pooled'}.analysis`,
  );
  for (let i = 0; i < columns; i++) {
    for (const [from, to] of [
      [allocation[i]!, followUp[i]!],
      [followUp[i]!, analysis[i]!],
    ] as const) {
      const x = from.x + from.w / 2;
      arrows.push({
        points: [
          [x, from.y + from.h],
          [x, to.y],
        ],
      });
    }
  }
  return { width: Math.ceil(width), height: Math.ceil(y - GAP + MARGIN), boxes, arrows };
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Options of {@link renderConsortSvg}. */
export interface RenderOptions {
  /** A title above the diagram. */
  readonly title?: string;
  /** A small note under the diagram (provenance). */
  readonly footnote?: string;
}

/** Renders the diagram as a standalone SVG document. */
export function renderConsortSvg(c: ConsortCounts, options: RenderOptions = {}): string {
  const layout = layoutConsort(c);
  const top = options.title ? 34 : 0;
  const bottom = options.footnote ? 26 : 0;
  const width = layout.width;
  const height = layout.height + top + bottom;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(options.title ?? 'CONSORT flow diagram')}" font-family="Helvetica, Arial, sans-serif" font-size="${FONT_SIZE}">`,
    '<defs><marker id="consort-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );
  if (options.title) {
    parts.push(
      `<text x="${MARGIN}" y="24" font-size="16" font-weight="bold" fill="#111">${escapeXml(options.title)}</text>`,
    );
  }
  parts.push(`<g transform="translate(0 ${top})">`);
  for (const a of layout.arrows) {
    parts.push(
      `<polyline class="consort-arrow" points="${a.points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}" fill="none" stroke="#333" stroke-width="1.2" marker-end="url(#consort-arrow)"/>`,
    );
  }
  for (const b of layout.boxes) {
    if (b.kind === 'stage') {
      parts.push(
        `<g class="consort-stage" data-key="${escapeXml(b.key)}"><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="4" fill="#dbe8f6" stroke="#7fa6d4"/><text x="${b.x + b.w / 2}" y="${b.y + 16}" text-anchor="middle" font-weight="bold" fill="#1d3f6e">${escapeXml(b.lines[0]?.text ?? '')}</text></g>`,
      );
      continue;
    }
    parts.push(
      `<g class="consort-box" data-key="${escapeXml(b.key)}"><rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="3" fill="#ffffff" stroke="#222" stroke-width="1"/><text fill="#111">`,
    );
    b.lines.forEach((l, i) => {
      const attrs = [
        `x="${(b.x + PAD + l.indent * INDENT).toFixed(1)}"`,
        `y="${(b.y + PAD + FONT_SIZE + i * LINE).toFixed(1)}"`,
      ];
      if (l.key) attrs.push(`data-key="${escapeXml(l.key)}"`);
      if (l.bold) attrs.push('font-weight="bold"');
      parts.push(`<tspan ${attrs.join(' ')}>${escapeXml(l.text)}</tspan>`);
    });
    parts.push('</text></g>');
  }
  parts.push('</g>');
  if (options.footnote) {
    parts.push(
      `<text x="${MARGIN}" y="${height - 10}" font-size="10" fill="#555">${escapeXml(options.footnote)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
