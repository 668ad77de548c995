/**
 * Server-side SVG from a Vega-Lite specification: compile with vega-lite, run a headless Vega view
 * (`renderer: 'none'`, no canvas; text is measured by Vega's built-in estimate) and serialise the
 * scenegraph as SVG. Data are inlined in the specification, so nothing is loaded from anywhere.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification (the top-level spec type of vega-lite). */
export type VegaLiteSpec = TopLevelSpec;

/** Shared look: Helvetica, quiet grid, white background. */
const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  background: '#ffffff',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const },
};

/** Renders a Vega-Lite specification to an SVG document. */
export async function renderVegaLiteSvg(spec: VegaLiteSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
