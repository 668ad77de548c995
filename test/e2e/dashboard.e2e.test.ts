/**
 * The trial dashboard and the CONSORT page in real Chromium against a real server over a simulated
 * trial. A data manager (blinded) opens the dashboard: every panel is there, the enrolment chart is
 * an inline SVG, the completion matrix says each status in text, and no arm appears anywhere on the
 * page. On the CONSORT page, clicking "Randomized" lists exactly the study ids the API gives for
 * that box (linked to the participants), and a box reached with Tab and activated with Enter lists
 * its own. A statistician asking for the by-arm diagram before lock sees the server's refusal.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/context.js';
import { loadSimulatedTrial } from '../../src/services/simulate-trial.js';
import { createUser } from '../../src/services/users.js';
import type { StaffRole } from '../../src/core/roles.js';
import { launchBrowser, openPage, saveScreenshot as saveFullPage, type TestPage } from '../support/browser.js';
import { ApiClient, startTestServer, type TestServer } from '../support/server.js';

const PASSWORD = 'dashboard-password-1';
/** Arm codes and labels, and the word itself, that a blinded page must never show. */
const ARM_TEXT = /ADMSC|SALINE|AD-MSC|Saline|\barms?\b/i;
const PANELS = [
  'Enrolment over time',
  'Visits due and overdue by site',
  'Visit completion',
  'Diary compliance',
  'Open queries by age',
  'SAE reporting clocks',
  'Data-entry backlog',
];

interface Count {
  key: string;
  n: number;
  ids: string[];
  parts?: Count[];
}
interface ConsortBody {
  counts: { assessed: Count; excluded: Count; pending: Count; randomized: Count; columns: Record<string, unknown>[] };
}

const visible = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible', timeout: 15_000 });
const h1 = (page: Page, name: string): Locator => page.getByRole('heading', { level: 1, name, exact: true });

async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveFullPage(page, name);
}

/** Every count of the API's diagram by key. */
function countsByKey(body: ConsortBody): Map<string, Count> {
  const out = new Map<string, Count>();
  const add = (c: unknown): void => {
    if (typeof c !== 'object' || c === null || !('key' in c) || !('ids' in c)) return;
    const count = c as Count;
    out.set(count.key, count);
    for (const p of count.parts ?? []) add(p);
  };
  const { assessed, excluded, pending, randomized, columns } = body.counts;
  [assessed, excluded, pending, randomized].forEach(add);
  for (const col of columns) {
    for (const v of Object.values(col)) {
      if (Array.isArray(v)) {
        for (const a of v as Record<string, unknown>[]) Object.values(a).forEach(add);
      } else add(v);
    }
  }
  return out;
}

/** The ids listed in the selection panel for `key`. */
async function listedIds(page: Page, key: string): Promise<string[]> {
  const panel = page.locator(`[data-selected-key="${key}"]`);
  await visible(panel);
  return panel.locator('li[data-id]').evaluateAll((items) => items.map((li) => li.getAttribute('data-id') ?? ''));
}

describe('trial dashboard and CONSORT page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const opened: TestPage[] = [];

  async function signedIn(email: string, path: string): Promise<TestPage> {
    const p = await openPage(browser, { baseURL: server.url });
    p.page.setDefaultTimeout(15_000);
    opened.push(p);
    await p.page.goto(path);
    await p.page.getByLabel('E-mail address', { exact: true }).fill(email);
    await p.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await p.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    return p;
  }

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    browser = await launchBrowser();
    await loadSimulatedTrial(server.ctx, { participants: 16, seed: 5, password: PASSWORD });
    const accounts: [string, StaffRole][] = [
      ['dm@dashboard.test', 'data_manager'],
      ['stat@dashboard.test', 'statistician'],
    ];
    for (const [email, role] of accounts) {
      await createUser(server.ctx, systemActor('test'), {
        email,
        displayName: role,
        password: PASSWORD,
        grants: [{ role, siteId: null }],
      });
    }
  }, 600_000);
  afterAll(async () => {
    for (const p of opened) await p.context.close();
    await browser?.close();
    await server?.close();
  });

  it('the data manager sees every dashboard panel, in text, with no arm anywhere', async () => {
    const { page, problems } = await signedIn('dm@dashboard.test', '/dashboard');
    await visible(h1(page, 'Trial dashboard'));
    for (const title of PANELS) await visible(page.getByRole('heading', { level: 2, name: title, exact: true }));
    // The dashboard is in the main navigation.
    await visible(page.getByRole('navigation').first().getByRole('link', { name: 'Trial dashboard' }));

    // Enrolment: an inline SVG line chart (no canvas) with both series and a text alternative.
    const chart = page.locator('[data-panel="enrolment"] svg[role="img"]');
    await visible(chart);
    expect(await chart.locator('path[data-series="enrolled"]').count()).toBe(1);
    expect(await chart.locator('path[data-series="target"]').count()).toBe(1);
    expect(await chart.locator('title').textContent()).toMatch(/enrolled of 80/);
    expect(await page.locator('canvas').count()).toBe(0);

    // Completion matrix: every cell states its status in text (not colour alone), with a legend.
    const cells = page.locator('[data-panel="completion"] .rp-heatmap td.rp-cell');
    expect(await cells.count()).toBeGreaterThan(0);
    const cellTexts = await cells.evaluateAll((tds) => tds.map((td) => td.textContent ?? ''));
    for (const t of cellTexts.slice(0, 40)) {
      expect(t).toMatch(/Done in window|Done out of window|Missed|Overdue|Due now|Not yet due|Not applicable/);
    }
    await visible(page.locator('[data-panel="completion"] .rp-legend'));

    // The figures are the API's.
    const dm = new ApiClient(server.url);
    expect((await dm.login('dm@dashboard.test', PASSWORD)).status).toBe(200);
    const api = await dm.get<{ enrolment: { enrolled: number; randomized: number }; completion: { rows: unknown[] } }>(
      '/api/v1/reports/dashboard',
    );
    expect(api.status).toBe(200);
    expect(await page.locator('[data-panel="enrolment"] [data-count="enrolled"] dd').textContent()).toBe(
      String(api.body.enrolment.enrolled),
    );
    expect(await page.locator('[data-panel="enrolment"] [data-count="randomized"] dd').textContent()).toBe(
      String(api.body.enrolment.randomized),
    );
    expect(await page.locator('[data-panel="completion"] .rp-heatmap tbody tr').count()).toBe(
      Math.min(50, api.body.completion.rows.length),
    );

    // Blinded: no arm code, label or the word itself in the text or the markup.
    expect(await page.locator('body').innerText()).not.toMatch(ARM_TEXT);
    expect(await page.content()).not.toMatch(/ADMSC|SALINE|AD-MSC|Saline/);
    await saveScreenshot(page, 'dashboard-data-manager');
    expect(problems).toEqual([]);
  });

  it('CONSORT: a clicked box and a keyboard-activated box list the API’s participants', async () => {
    const { page, problems } = await signedIn('dm@dashboard.test', '/dashboard');
    await visible(h1(page, 'Trial dashboard'));
    await page.getByRole('link', { name: 'CONSORT diagram', exact: true }).click();
    await visible(h1(page, 'CONSORT flow diagram'));
    const diagram = page.locator('[data-testid="consort-diagram"] svg');
    await visible(diagram);
    // The data manager may not ask for the by-arm version: no switch.
    expect(await page.getByRole('radio', { name: 'By arm' }).count()).toBe(0);

    const dm = new ApiClient(server.url);
    expect((await dm.login('dm@dashboard.test', PASSWORD)).status).toBe(200);
    const res = await dm.get<ConsortBody>('/api/v1/reports/consort');
    expect(res.status).toBe(200);
    const counts = countsByKey(res.body);
    const randomized = counts.get('randomized')!;
    expect(randomized.n).toBeGreaterThan(0);

    // Click "Randomized": the list is the API's list for that key, each id linking to its participant.
    await diagram.locator('tspan[data-key="randomized"]').click();
    expect(await listedIds(page, 'randomized')).toEqual(randomized.ids);
    const links = page.locator('[data-selected-key="randomized"] li[data-id] a');
    expect(await links.count()).toBe(randomized.ids.length);
    expect(await links.first().getAttribute('href')).toMatch(/^\/participants\/[^/]+$/);

    // Tab on to "Received allocated intervention" and press Enter.
    const target = 'pooled.received';
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate((k) => document.activeElement?.getAttribute('data-key') === k, target);
    }
    expect(reached, `Tab reaches ${target}`).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('button');
    await page.keyboard.press('Enter');
    expect(await listedIds(page, target)).toEqual(counts.get(target)!.ids);
    expect(await diagram.locator(`[data-key="${target}"]`).first().getAttribute('aria-pressed')).toBe('true');

    // People screened but never enrolled are listed by screening number.
    const excluded = counts.get('excluded')!;
    if (excluded.n > 0) {
      await diagram.locator('tspan[data-key="excluded"]').click();
      const ids = await listedIds(page, 'excluded');
      expect(ids).toEqual(excluded.ids);
      expect(await page.locator('[data-selected-key="excluded"] [data-id-kind="screening"] li').count()).toBe(
        excluded.ids.filter((id) => /^S-\d+$/.test(id)).length,
      );
    }
    await diagram.locator('tspan[data-key="randomized"]').click();
    await visible(page.locator('[data-selected-key="randomized"]'));
    expect(await page.locator('body').innerText()).not.toMatch(/ADMSC|SALINE|AD-MSC|Saline/);
    await visible(page.getByRole('link', { name: 'Download SVG' }));
    await saveScreenshot(page, 'consort-page-data-manager');
    expect(problems).toEqual([]);
  });

  it('CONSORT by arm before lock: the statistician sees the server’s refusal', async () => {
    const { page, problems } = await signedIn('stat@dashboard.test', '/reports/consort');
    await visible(h1(page, 'CONSORT flow diagram'));
    await visible(page.locator('[data-testid="consort-diagram"] svg'));
    await page.getByRole('radio', { name: 'By arm' }).check();
    await visible(page.getByRole('alert').filter({ hasText: 'The by-arm diagram was refused' }));
    expect(await page.getByRole('alert').innerText()).toMatch(/before database lock/);
    // The pooled diagram stays on the page.
    expect(await page.locator('[data-testid="consort-diagram"] svg').innerHTML()).not.toMatch(/Allocated to AD-MSC/);
    expect(problems).toEqual([]);
  });
});
