/**
 * The CONSORT diagram looked at in real Chromium: the SVG the API serves for a simulated trial is
 * rendered, screenshotted (test-output/consort-*.png), and the text of its boxes read back from
 * the rendered page — the numbers are the report's, every line fits inside its box as the browser
 * lays it out, no box overlaps another, and every count line names the key of the participant list
 * behind it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsortReport, type ConsortReport } from '../../src/services/reports/consort.js';
import { systemActor } from '../../src/services/context.js';
import { setDatabaseLock } from '../../src/services/study.js';
import { buildSimulatedStudy, type SimulatedStudy } from '../analysis-fixtures.js';
import { launchBrowser, openPage, saveScreenshot } from '../support/browser.js';

const nbsp = (s: string): string => s.replace(/\u00a0/g, ' ');

interface RenderedBox {
  key: string;
  rect: { x: number; y: number; width: number; height: number };
  lines: { text: string; key: string | null; right: number; bottom: number }[];
}

async function render(browser: Browser, report: ConsortReport, name: string): Promise<RenderedBox[]> {
  const { page, problems, context } = await openPage(browser, { baseURL: 'http://127.0.0.1' });
  try {
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"><title>CONSORT</title></head><body style="margin:0">${report.svg}</body></html>`,
    );
    const path = await saveScreenshot(page, name);
    expect(path).toMatch(/consort-.*\.png$/);
    const boxes = await page.$$eval('g.consort-box', (groups) =>
      groups.map((g) => {
        const rect = g.querySelector('rect')!.getBoundingClientRect();
        return {
          key: g.getAttribute('data-key') ?? '',
          rect: { x: rect.x, y: rect.y, width: rect.width, height: rect.height },
          lines: [...g.querySelectorAll('tspan')].map((t) => {
            const r = t.getBoundingClientRect();
            return { text: t.textContent ?? '', key: t.getAttribute('data-key'), right: r.right, bottom: r.bottom };
          }),
        };
      }),
    );
    expect(problems).toEqual([]);
    return boxes;
  } finally {
    await context.close();
  }
}

function expectWellLaidOut(boxes: RenderedBox[]): void {
  for (const b of boxes) {
    for (const l of b.lines) {
      expect(l.right, `"${l.text}" overflows ${b.key}`).toBeLessThanOrEqual(b.rect.x + b.rect.width + 0.5);
      expect(l.bottom, `"${l.text}" below ${b.key}`).toBeLessThanOrEqual(b.rect.y + b.rect.height + 0.5);
    }
    for (const o of boxes) {
      if (o === b) continue;
      const overlap =
        b.rect.x < o.rect.x + o.rect.width &&
        o.rect.x < b.rect.x + b.rect.width &&
        b.rect.y < o.rect.y + o.rect.height &&
        o.rect.y < b.rect.y + b.rect.height;
      expect(overlap, `${b.key} overlaps ${o.key}`).toBe(false);
    }
  }
}

describe('CONSORT diagram in Chromium', () => {
  let study: SimulatedStudy;
  let browser: Browser;

  beforeAll(async () => {
    study = await buildSimulatedStudy('sqlite', { participants: 14, seed: 8 });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await study?.close();
  });

  it('blinded: one pooled column; the boxes say what the counts say', async () => {
    const report = await buildConsortReport(study.ctx, systemActor('test'), { byArm: false });
    const boxes = await render(browser, report, 'consort-blinded');
    expectWellLaidOut(boxes);
    // A box's text as one string per logical line (wrapped continuation lines start with two spaces).
    const text = (key: string): string =>
      nbsp(
        boxes
          .find((b) => b.key === key)!
          .lines.map((l) => l.text)
          .join('\n'),
      ).replace(/\n {2}/g, ' ');
    const c = report.counts;
    expect(text('assessed')).toBe(`Assessed for eligibility (n = ${c.assessed.n})`);
    expect(text('randomized')).toBe(`Randomized (n = ${c.randomized.n})`);
    expect(text('excluded')).toContain(`Excluded (n = ${c.excluded.n})`);
    expect(text('excluded')).toContain(
      `• Declined to participate (n = ${c.excluded.parts!.find((p) => p.key === 'excluded.declined')!.n})`,
    );
    expect(text('pooled.allocated')).toContain(`Allocated (arms pooled, blinded) (n = ${c.randomized.n})`);
    expect(text('pooled.allocated')).toContain(`• Received allocated intervention (n = ${c.columns[0]!.received.n})`);
    expect(text('pooled.follow_up')).toContain(`Lost to follow-up (n = ${c.columns[0]!.lostToFollowUp.n})`);
    expect(text('pooled.analysis')).toContain(
      `Analysed, primary: KOOS Symptoms, change from baseline (n = ${c.columns[0]!.analysis[0]!.analysed.n})`,
    );
    const all = boxes.flatMap((b) => b.lines.map((l) => l.text)).join(' ');
    expect(all).not.toMatch(/ADMSC|SALINE|AD-MSC|Saline/);
    // Every "(n = …)" line can be traced to the participants behind it.
    const keyed = boxes.flatMap((b) => b.lines.filter((l) => /\(n = \d+\)/.test(nbsp(l.text))));
    expect(keyed.length).toBeGreaterThan(10);
    for (const l of keyed) expect(l.key, l.text).not.toBeNull();
  });

  it('by arm after lock: two columns whose allocations add up to the randomized', async () => {
    await setDatabaseLock(study.ctx, systemActor('test'), true, 'final analysis');
    const report = await buildConsortReport(study.ctx, systemActor('test'), { byArm: true });
    const boxes = await render(browser, report, 'consort-by-arm');
    expectWellLaidOut(boxes);
    const allocated = boxes.filter((b) => /\.allocated$/.test(b.key));
    expect(allocated.map((b) => nbsp(b.lines[0]!.text).replace(/ \(n = \d+\)/, ''))).toEqual([
      'Allocated to AD-MSC',
      'Allocated to Saline',
    ]);
    const total = allocated
      .map((b) => Number(/\(n = (\d+)\)/.exec(nbsp(b.lines[0]!.text))![1]))
      .reduce((a, b) => a + b, 0);
    expect(total).toBe(report.counts.randomized.n);
  });
});
