/**
 * The participant pages in real Chromium on a phone-sized screen (360×740), in Danish: a
 * participant opens the link, signs in with the one-time code, chooses a PIN, completes today's
 * diary day; weeks later signs in with the PIN and answers the KOOS one question per screen; the
 * site sees the scores through the staff API. axe-core finds no serious or critical violation on
 * any participant screen, and the participant pages load at most 100 KB of compressed JavaScript.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../src/core/schedule/plain-date.js';
import { WEB_DIST } from '../../src/server/app.js';
import { seriousViolations } from '../support/axe.js';
import { launchBrowser, openPage, PHONE_VIEWPORT, saveScreenshot, type TestPage } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTeam, PASSWORDS, type Team } from '../api-ecrf-fixtures.js';
import { giveAccess, participantWithDay0, setCopenhagenClock } from '../api-epro-fixtures.js';

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

describe('participant ePRO pages (Chromium, 360 px, Danish)', () => {
  let server: TestServer;
  let team: Team;
  let browser: Browser;
  let tp: TestPage;
  let participant: { id: string; studyId: string };
  let access: { handle: string; code: string };
  const axeFindings: string[] = [];

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    const today = setCopenhagenClock(server, '20:00');
    team = await createTeam(server);
    participant = await participantWithDay0(team, addCalendarDays(today, -5), 4);
    access = await giveAccess(team, participant.id);
    browser = await launchBrowser();
    tp = await openPage(browser, { baseURL: server.url, viewport: PHONE_VIEWPORT, locale: 'da-DK', mobile: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const check = async (name: string): Promise<void> => {
    for (const v of await seriousViolations(tp.page)) axeFindings.push(`${name}: ${v}`);
    // Nothing wider than the phone: no horizontal scrolling at 360 px.
    const overflow = await tp.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
    await saveScreenshot(tp.page, `epro-${name}`);
  };

  it('signs in with the code from the link and chooses a PIN', async () => {
    const { page } = tp;
    await page.goto(`/p/?k=${access.handle}`);
    await h1(page, 'Log ind').waitFor();
    expect(new URL(page.url()).search).toBe('');
    await check('login');
    await page.getByLabel('Kode (6 cifre)').fill('000001' === access.code ? '000002' : '000001');
    await page.getByRole('button', { name: 'Log ind', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'Koden er forkert' }).first().waitFor();
    await check('login-error');
    await page.getByLabel('Kode (6 cifre)').fill(access.code);
    await page.getByRole('button', { name: 'Log ind', exact: true }).click();
    await h1(page, 'Vælg en PIN-kode').waitFor();
    await check('pin');
    await page.getByLabel('Ny PIN-kode').fill('2468');
    await page.getByRole('button', { name: 'Gem PIN-kode' }).click();
    await h1(page, 'Dine spørgeskemaer').waitFor();
    await check('list');
  });

  it("completes today's diary day in Danish", async () => {
    const { page } = tp;
    await page.getByRole('button', { name: 'Åbn: Smertedagbog – dag 5' }).click();
    await h1(page, 'Smertedagbog – dag 5').waitFor();
    await check('diary');
    // Sending with nothing answered shows a message per question and stores nothing.
    await page.getByRole('button', { name: 'Send svar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Ret venligst de markerede svar.' }).waitFor();
    expect(await page.getByText('Besvar venligst dette spørgsmål.').count()).toBeGreaterThanOrEqual(4);
    await page
      .getByRole('group', { name: 'Værste smerte seneste 24 timer (0–10)' })
      .getByLabel('6', { exact: true })
      .check();
    await page
      .getByRole('group', { name: 'Gennemsnitlig smerte seneste 24 timer (0–10)' })
      .getByLabel('4', { exact: true })
      .check();
    await page.getByRole('group', { name: 'Hævelse af knæet' }).getByLabel('Let', { exact: true }).check();
    await page.getByRole('group', { name: 'Taget smertestillende' }).getByLabel('Nej', { exact: true }).check();
    await page.getByRole('button', { name: 'Send svar' }).click();
    await h1(page, 'Klar til at sende?').waitFor();
    await check('confirm');
    await page.getByRole('button', { name: 'Send svar' }).click();
    await h1(page, 'Tak!').waitFor();
    await check('thanks');
    await page.getByRole('button', { name: 'Til oversigten' }).click();
    await h1(page, 'Dine spørgeskemaer').waitFor();
    expect(await page.getByRole('button', { name: 'Åbn: Smertedagbog – dag 5' }).count()).toBe(0);
    const site = await team.nurse.get<{ diary: { visitCode: string; status: string; nrsWorst: number | null }[] }>(
      `/api/v1/participants/${participant.id}/epro`,
    );
    expect(site.body.diary.find((d) => d.visitCode === 'D5')).toMatchObject({ status: 'submitted', nrsWorst: 6 });
  });

  it('months later signs in with the PIN and answers the KOOS one question per screen; the site sees the scores', async () => {
    const { page } = tp;
    // 86 days on: the 3-month visit window is open and the phone's session has expired.
    server.advanceClock(86 * 86_400_000);
    await team.nurse.login('nurse@t.local', PASSWORDS.nurse);
    await page.goto('/p/');
    await h1(page, 'Log ind').waitFor();
    await page.getByRole('button', { name: 'Log ind med min PIN-kode' }).click();
    await page.getByLabel('Din PIN-kode').fill('2468');
    await page.getByRole('button', { name: 'Log ind', exact: true }).click();
    await h1(page, 'Dine spørgeskemaer').waitFor();
    await page.getByRole('button', { name: /^Åbn: KOOS/ }).click();
    await page.getByText('Spørgsmål 1 af 42').waitFor();
    await check('koos');
    // "Næste" without an answer asks for one.
    await page.getByRole('button', { name: 'Næste' }).click();
    await page.getByText('Besvar venligst dette spørgsmål.').waitFor();
    for (let n = 1; n <= 42; n++) {
      await page.getByText(`Spørgsmål ${n} af 42`).waitFor();
      await page.getByLabel('Trin 1 af 4', { exact: true }).check();
      await page.getByRole('button', { name: n === 42 ? 'Send svar' : 'Næste' }).click();
    }
    await h1(page, 'Klar til at sende?').waitFor();
    await page.getByRole('button', { name: 'Send svar' }).click();
    await h1(page, 'Tak!').waitFor();
    const koos = await team.nurse.get<{ derived: Record<string, number>; instance: { status: string } }>(
      `/api/v1/participants/${participant.id}/visits/M3/forms/koos`,
    );
    expect(koos.body.instance.status).toBe('submitted');
    expect(koos.body.derived).toMatchObject({
      koos_symptoms: 75,
      koos_pain: 75,
      koos_adl: 75,
      koos_sport: 75,
      koos_qol: 75,
    });
    const view = await team.nurse.get<{ questionnaires: { visitCode: string; formId: string; submittedBy: string }[] }>(
      `/api/v1/participants/${participant.id}/epro`,
    );
    expect(view.body.questionnaires.find((q) => q.visitCode === 'M3' && q.formId === 'koos')?.submittedBy).toBe(
      'participant',
    );
  });

  it('switches to English on every screen', async () => {
    const { page } = tp;
    await page.getByRole('button', { name: 'Til oversigten' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await h1(page, 'Your questionnaires').waitFor();
    await page.getByRole('button', { name: /^Open: NRS|^Open: Pain intensity/ }).click();
    await page.getByRole('group', { name: /Index-knee pain/ }).waitFor();
    await check('nrs-en');
    // 200 % zoom on the 360-px phone is a 180-px-wide layout viewport: still no sideways scrolling.
    await page.setViewportSize({ width: 180, height: 370 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await saveScreenshot(page, 'epro-nrs-200-percent');
    await page.setViewportSize(PHONE_VIEWPORT);
  });

  it('ran cleanly: no serious axe findings, no console errors or CSP violations', () => {
    expect(axeFindings).toEqual([]);
    expect(tp.problems).toEqual([]);
  });

  it('loads at most 100 KB of compressed JavaScript on the participant pages', () => {
    const html = readFileSync(join(WEB_DIST, 'participant.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    const gz = scripts.reduce((n, s) => n + gzipSync(readFileSync(join(WEB_DIST, s))).length, 0);
    expect(gz).toBeLessThanOrEqual(100 * 1024);
    // No dynamic imports from the participant entry pull in more later.
    for (const s of scripts) expect(readFileSync(join(WEB_DIST, s), 'utf8')).not.toMatch(/i18next/);
  });
});
