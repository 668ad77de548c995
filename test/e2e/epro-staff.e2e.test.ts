/**
 * The staff ePRO pages in real Chromium against a real server: a coordinator opens a participant's
 * ePRO page from the participant page, enrols in-person access and sees the one-time code once;
 * the participant signs in with it on a phone-sized screen and completes today's diary day; the
 * coordinator then finds the day counted on the compliance page (reached from the navigation),
 * with the site's e-mailed alert for the missed first day, follows the link to the participant's ePRO page and sees the day answered with its NRS values
 * and the baseline KOOS/NRS scores. Revoking access asks for a reason. axe-core finds no serious or
 * critical violation on the staff pages, in English and Danish, on a desktop and at 360 px.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniformKoos } from '../../src/core/ecrf/test-fixtures.js';
import { addCalendarDays } from '../../src/core/schedule/plain-date.js';
import { runCommand } from '../../src/services/command.js';
import { systemActor } from '../../src/services/context.js';
import { eproJobHandlers } from '../../src/services/epro-reminders.js';
import { enqueueJob, runJobsOnce } from '../../src/services/jobs.js';
import { createFileChannel } from '../../src/services/notification-channels.js';
import { dispatchOutboxOnce } from '../../src/services/outbox-dispatch.js';
import { seriousViolations } from '../support/axe.js';
import { launchBrowser, openPage, PHONE_VIEWPORT, saveScreenshot, type TestPage } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTeam, PASSWORDS, type Team } from '../api-ecrf-fixtures.js';
import { participantWithDay0, setCopenhagenClock } from '../api-epro-fixtures.js';

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

describe('staff ePRO pages (Chromium)', () => {
  let server: TestServer;
  let team: Team;
  let browser: Browser;
  let staff: TestPage;
  let phone: TestPage;
  let participant: { id: string; studyId: string };
  let code = '';
  let loginLink = '';
  const axeFindings: string[] = [];

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    // 20:00 in Copenhagen: today's diary day (day 5) is open.
    const today = setCopenhagenClock(server, '20:00');
    team = await createTeam(server);
    participant = await participantWithDay0(team, addCalendarDays(today, -5), 4);
    const koos = await team.nurse.request('PUT', `/api/v1/participants/${participant.id}/visits/BL/forms/koos`, {
      values: uniformKoos(1),
      action: 'submit',
    });
    expect(koos.status, JSON.stringify(koos.body)).toBe(200);
    browser = await launchBrowser();
    staff = await openPage(browser, { baseURL: server.url });
    staff.page.setDefaultTimeout(10_000);
    phone = await openPage(browser, { baseURL: server.url, viewport: PHONE_VIEWPORT, locale: 'da-DK', mobile: true });
    phone.page.setDefaultTimeout(10_000);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const check = async (tp: TestPage, name: string): Promise<void> => {
    for (const v of await seriousViolations(tp.page)) axeFindings.push(`${name}: ${v}`);
    await saveScreenshot(tp.page, `epro-staff-${name}`);
  };

  it('a coordinator enrols in-person access from the participant page and sees the one-time code once', async () => {
    const { page } = staff;
    await page.goto(`/participants/${participant.id}`);
    await page.getByLabel('E-mail address', { exact: true }).fill('nurse@t.local');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORDS.nurse);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: `Open ePRO for ${participant.studyId}` }).click();
    await h1(page, `ePRO — ${participant.studyId}`).waitFor();
    await page.locator('[data-access-status="none"]').waitFor();
    await check(staff, 'participant-not-enrolled');
    // E-mail without an address: the server names the field, nothing is stored.
    await page.getByLabel('How does the participant get the code?').selectOption('email');
    await page.getByRole('button', { name: 'Enrol and create code' }).click();
    await page.locator('.field__error, .alert--error').first().waitFor();
    expect(await page.locator('[data-access-status="none"]').count()).toBe(1);
    await page.getByLabel('How does the participant get the code?').selectOption('in_person');
    await page.getByLabel("Participant's language").selectOption('da');
    await page.getByRole('button', { name: 'Enrol and create code' }).click();
    await page.getByTestId('epro-code').waitFor();
    code = (await page.getByTestId('epro-code-value').textContent()) ?? '';
    loginLink = (await page.getByTestId('epro-code-link').textContent()) ?? '';
    expect(code).toMatch(/^\d{6}$/);
    expect(loginLink).toMatch(/\/p\/\?k=/);
    await page.locator('[data-access-status="active"]').waitFor();
    await check(staff, 'participant-code');
    // Hidden once handed over, and not shown again on reload.
    await page.getByRole('button', { name: 'Hide code' }).click();
    expect(await page.getByTestId('epro-code').count()).toBe(0);
    await page.reload();
    await h1(page, `ePRO — ${participant.studyId}`).waitFor();
    await page.locator('[data-access-status="active"]').waitFor();
    expect(await page.getByTestId('epro-code').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Reset and create new code' }).count()).toBe(1);
  });

  it('the participant signs in with the code on the phone and completes the diary day', async () => {
    const { page } = phone;
    await page.goto(new URL(loginLink).pathname + new URL(loginLink).search);
    await h1(page, 'Log ind').waitFor();
    await page.getByLabel('Kode (6 cifre)').fill(code);
    await page.getByRole('button', { name: 'Log ind', exact: true }).click();
    await h1(page, 'Vælg en PIN-kode').waitFor();
    await page.getByRole('button', { name: 'Spring over' }).click();
    await h1(page, 'Dine spørgeskemaer').waitFor();
    await page.getByRole('button', { name: 'Åbn: Smertedagbog – dag 5' }).click();
    await h1(page, 'Smertedagbog – dag 5').waitFor();
    const choose = (group: string, answer: string) =>
      page.getByRole('group', { name: group }).getByLabel(answer, { exact: true }).check();
    await choose('Værste smerte seneste 24 timer (0–10)', '6');
    await choose('Gennemsnitlig smerte seneste 24 timer (0–10)', '4');
    await choose('Hævelse af knæet', 'Let');
    await choose('Taget smertestillende', 'Nej');
    await page.getByRole('button', { name: 'Send svar' }).click();
    await h1(page, 'Klar til at sende?').waitFor();
    await page.getByRole('button', { name: 'Send svar' }).click();
    await h1(page, 'Tak!').waitFor();
  });

  it('the coordinator sees the day counted on the compliance page and the scores on the ePRO page', async () => {
    const { page } = staff;
    // Day 1 was missed: the alert job writes the site's outbox message and the dispatcher e-mails it.
    const channel = createFileChannel(join(mkdtempSync(join(tmpdir(), 'sj-e2e-')), 'mail.jsonl'));
    await runCommand(server.ctx, systemActor('test'), (scope) =>
      enqueueJob(scope, {
        kind: 'epro.missed_day_alert',
        payload: { participantId: participant.id, visitCode: 'D1' },
        runAt: new Date(scope.at),
      }),
    );
    await runJobsOnce(server.ctx, eproJobHandlers({ email: channel, sms: channel }));
    expect((await dispatchOutboxOnce(server.ctx, channel)).sent).toBe(1);
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Diary compliance' })
      .click();
    await h1(page, 'Diary compliance').waitFor();
    const row = page.locator(`tr[data-participant="${participant.studyId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('days-completed').textContent()).toBe('1 of 30');
    expect(await page.getByText(/arm|ADMSC|SALINE|placebo/i).count()).toBe(0);
    const alert = page.locator(`tr[data-alert="${participant.studyId}-D1"]`);
    expect(await alert.textContent()).toMatch(/D1.*Sent/);
    await check(staff, 'compliance');
    // Filter by site and sort: the participant stays (their site), a site without them is empty.
    await page.getByLabel('Site').selectOption({ index: 1 });
    await row.waitFor();
    await page.getByLabel('Sort by').selectOption('studyId');
    await row.waitFor();
    await row.getByRole('link', { name: participant.studyId }).click();
    await h1(page, `ePRO — ${participant.studyId}`).waitFor();
    const day5 = page.locator('tr[data-diary-day="5"]');
    expect(await day5.locator('[data-day-look]').getAttribute('data-day-look')).toBe('answered');
    expect(await day5.locator('td').nth(2).textContent()).toBe('6');
    expect(await day5.locator('td').nth(3).textContent()).toBe('4');
    expect(await page.locator('tr[data-diary-day="1"] [data-day-look]').getAttribute('data-day-look')).toBe('missed');
    expect(await page.getByTestId('diary-summary').textContent()).toMatch(/^1 of 30 days completed/);
    const koos = page.locator('tr[data-questionnaire="BL-koos"]');
    await expect.poll(() => koos.textContent()).toContain('Pain75');
    expect(await page.locator('tr[data-questionnaire="BL-nrs"]').textContent()).toContain('NRS4');
    await check(staff, 'participant-scores');
  });

  it('revoking asks for a reason, and the pages read in Danish and at 360 px', async () => {
    const { page } = staff;
    await page.getByRole('button', { name: 'Revoke access' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke ePRO access' });
    await dialog.getByRole('button', { name: 'Revoke access' }).click();
    await dialog.locator('.field__error').waitFor();
    await dialog.getByLabel('Reason').fill('Lost phone');
    await dialog.getByRole('button', { name: 'Revoke access' }).click();
    await page.getByText('Access revoked.').waitFor();
    await page.locator('[data-access-status="revoked"]').waitFor();
    await page.getByRole('button', { name: 'Dansk' }).first().click();
    await page.getByRole('heading', { level: 2, name: 'Smertedagbog, dag 1–30' }).waitFor();
    await check(staff, 'participant-da');
    await page.setViewportSize(PHONE_VIEWPORT);
    await page.goto('/epro/compliance');
    await h1(page, 'Dagbogskomplians').waitFor();
    await page.locator(`tr[data-participant="${participant.studyId}"]`).waitFor();
    await check(staff, 'compliance-da-360');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('ran cleanly: no serious axe findings, no console errors or CSP violations', () => {
    expect(axeFindings).toEqual([]);
    expect(staff.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });
});
