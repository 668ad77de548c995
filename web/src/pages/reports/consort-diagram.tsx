/**
 * The server's CONSORT SVG inlined into the page, with every count in it selectable. The SVG is
 * our own (drawn by `src/core/consort/consort-layout.ts`), but it is still parsed as XML and
 * stripped of anything active (scripts, foreign content, event attributes, external links) before
 * it is put into the document, and React never sees it as HTML. Every element that names a count
 * (`data-key`) becomes a button: focusable with Tab, activated by click, Enter or Space. A box
 * whose only line is its count (Assessed, Randomized) is one button, its line.
 */
import { useEffect, useRef } from 'react';
import type { ConsortCount } from '../../api/reports-api.js';

/** Props of ConsortDiagram. */
export interface ConsortDiagramProps {
  svg: string;
  counts: ReadonlyMap<string, ConsortCount>;
  selectedKey: string | null;
  onSelect: (key: string) => void;
  /** The diagram's accessible name. */
  label: string;
  /** The accessible name of one count's button. */
  countLabel: (count: ConsortCount) => string;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const ACTIVE_ELEMENTS = new Set(['script', 'foreignobject', 'iframe', 'object', 'embed', 'image', 'a']);

/** Parses `text` as SVG and removes everything active; null when it is not an SVG document. */
export function sanitizeSvg(text: string): SVGSVGElement | null {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.namespaceURI !== SVG_NS || root.localName !== 'svg' || doc.querySelector('parsererror')) return null;
  for (const el of [...root.querySelectorAll('*')]) {
    if (ACTIVE_ELEMENTS.has(el.localName.toLowerCase())) {
      el.remove();
      continue;
    }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const isLink = name === 'href' || name.endsWith(':href');
      if (name.startsWith('on') || (isLink && !attr.value.startsWith('#'))) el.removeAttribute(attr.name);
    }
  }
  return document.importNode(root, true) as unknown as SVGSVGElement;
}

/** The key of the count an event's target belongs to, if any. */
function countKeyOf(target: EventTarget | null, counts: ReadonlyMap<string, ConsortCount>): string | null {
  let el = target instanceof Element ? target.closest('[data-key]') : null;
  while (el) {
    const key = el.getAttribute('data-key');
    if (key !== null && counts.has(key)) return key;
    el = el.parentElement?.closest('[data-key]') ?? null;
  }
  return null;
}

/** The inlined, selectable diagram. */
export function ConsortDiagram({ svg, counts, selectedKey, onSelect, label, countLabel }: ConsortDiagramProps) {
  const host = useRef<HTMLDivElement>(null);
  const select = useRef(onSelect);
  select.current = onSelect;

  // Put the SVG in and make its counts buttons.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const root = sanitizeSvg(svg);
    el.replaceChildren(...(root ? [root] : []));
    if (!root) return;
    root.setAttribute('role', 'group');
    root.setAttribute('aria-label', label);
    for (const node of root.querySelectorAll('[data-key]')) {
      const key = node.getAttribute('data-key') ?? '';
      const count = counts.get(key);
      if (!count) continue;
      const sameKeyLine = [...node.querySelectorAll('tspan[data-key]')].some((t) => t.getAttribute('data-key') === key);
      if (sameKeyLine) continue;
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'button');
      node.setAttribute('aria-label', countLabel(count));
      node.setAttribute('aria-pressed', 'false');
      node.classList.add('rp-selectable');
    }
  }, [svg, counts, label, countLabel]);

  // Mark the selected count.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    for (const node of el.querySelectorAll('.rp-selectable')) {
      const on = node.getAttribute('data-key') === selectedKey;
      node.setAttribute('aria-pressed', String(on));
      node.classList.toggle('rp-selected', on);
    }
  }, [selectedKey, svg, counts, label, countLabel]);

  // Click, Enter and Space select the count under the pointer or the focus.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const onClick = (e: MouseEvent): void => {
      const key = countKeyOf(e.target, counts);
      if (key !== null) select.current(key);
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const key = countKeyOf(e.target, counts);
      if (key === null) return;
      e.preventDefault();
      select.current(key);
    };
    el.addEventListener('click', onClick);
    el.addEventListener('keydown', onKey);
    return () => {
      el.removeEventListener('click', onClick);
      el.removeEventListener('keydown', onKey);
    };
  }, [counts]);

  return <div ref={host} className="rp-consort" data-testid="consort-diagram" />;
}
