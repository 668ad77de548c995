/**
 * Visits and eCRFs through the web pages in real Chromium against a real server: the study nurse
 * records the baseline visit and enters a KOOS (with the keyboard alone) and a clinical
 * examination (inline errors and warnings, the error summary, a correction with its reason) and
 * sees the derived subscale scores and effusion; the monitor verifies the examination and raises
 * a query on an item, the nurse answers it and corrects the value, the monitor sees what changed
 * since verification and closes the query; the investigator e-signs the casebook and the data
 * manager locks it. The casebook and the forms are checked (and photographed) at 360 px.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KOOS_ITEM_IDS } from '../../src/core/scoring/koos-items.js';
import { scoreKoos } from '../../src/core/scoring/score-koos.js';
import { launchBrowser, openPage, PHONE_VIEWPORT, saveScreenshot, type TestPage } from '../support/browser.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';

const NURSE = { email: 'nina.nurse@test.local', password: 'nurse-password-123' };
const INVESTIGATOR = { email: 'ivan.inv@test.local', password: 'investigator-pw-123' };
const MONITOR = { email: 'mona.monitor@test.local', password: 'monitor-password-123' };
const DATA_MANAGER = { email: 'dan.dm@test.local', password: 'datamanager-pw-123' };

/** Screening values meeting every criterion (date of birth and sex come from the CPR number). */
const ELIGIBLE = {
  screening_date: '2026-10-01',
  knee_pain_months: 24,
  nrs_worst: 7,
  kl_grade: 3,
  jsw_mm: 2.1,
  alignment_deg: 3.5,
  oa_compartment: 'medial',
  height_cm: 168,
  weight_kg: 80,
  danish_speaker: true,
  legally_competent: true,
  ia_tumor_infection_fracture: false,
  pregnant_or_breastfeeding: false,
  cognitive_impairment: false,
  cytostatic_treatment: false,
  last_ia_injection_date: null,
  mri_contraindication: false,
  ligament_reconstruction: false,
  meniscal_resection_over_50pct: false,
  meniscal_operations: 0,
  diabetes: false,
  ap_laxity_mm: 1.0,
  knee_instability: false,
  antibiotic_allergy: false,
  severe_systemic_condition: false,
  inflammatory_arthritis: false,
};

/** A KOOS typed digit by digit: moderate problems, a few items left unanswered is not needed. */
const KOOS_ANSWERS: Record<string, number> = Object.fromEntries(
  KOOS_ITEM_IDS.map((id, i) => [id, [1, 2, 2, 3, 1, 0, 4][i % 7] ?? 2]),
);

const visible = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible', timeout: 10_000 });
const h1 = (page: Page, name: string | RegExp): Locator =>
  page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' });

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByLabel('E-mail address', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The shown value of a read-only (derived or stored) item. */
const shownValue = (page: Page, path: string): Locator => page.locator(`[data-value="${path}"]`);

/** A full-page screenshot taken from the top, so the sticky bars sit where a person sees them. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, name);
}

/** A date `days` before today, as the date input wants it. */
function daysAgo(days: number): string {
  const d = new Date(Date.now() - days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

describe('eCRF pages in Chromium: KOOS, clinical examination, queries, SDV, signature and lock', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiClient;
  let participant: { id: string; studyId: string };
  const opened: TestPage[] = [];

  async function open(
    who: { email: string; password: string },
    path: string,
    opts: { viewport?: { width: number; height: number }; mobile?: boolean } = {},
  ): Promise<TestPage> {
    const p = await openPage(browser, { baseURL: server.url, ...opts });
    p.page.setDefaultTimeout(10_000);
    opened.push(p);
    await p.page.goto(path);
    await signIn(p.page, who);
    return p;
  }

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    browser = await launchBrowser();
    admin = new ApiClient(server.url);
    expect((await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    for (const [who, role, siteId] of [
      [NURSE, 'coordinator', 'site-auh'],
      [INVESTIGATOR, 'investigator', 'site-auh'],
      [MONITOR, 'monitor', null],
      [DATA_MANAGER, 'data_manager', null],
    ] as const) {
      const created = await admin.post('/api/v1/users', {
        email: who.email,
        displayName: who.email.split('@')[0],
        password: who.password,
        grants: [{ role, siteId }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    // An enrolled participant, made through the API as the screening pages would.
    const nurse = new ApiClient(server.url);
    await nurse.login(NURSE.email, NURSE.password);
    const investigator = new ApiClient(server.url);
    await investigator.login(INVESTIGATOR.email, INVESTIGATOR.password);
    const s = await nurse.post<{ id: string }>('/api/v1/screenings', { values: ELIGIBLE });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect(
      (
        await nurse.request('PUT', `/api/v1/screenings/${s.body.id}/identity`, {
          cpr: '120364-1002',
          firstName: 'Karen',
          lastName: 'Jensen',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await nurse.post(`/api/v1/screenings/${s.body.id}/consents`, {
          documentVersion: '1.0',
          consentedAt: '2026-09-28T10:00:00+02:00',
          signatureMode: 'paper',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await investigator.post(`/api/v1/screenings/${s.body.id}/sign-off`, {
          signature: { password: INVESTIGATOR.password },
        })
      ).status,
    ).toBe(200);
    const p = await nurse.post<{ id: string; studyId: string }>(`/api/v1/screenings/${s.body.id}/enrol`, {});
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    participant = p.body;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lets the nurse record the baseline visit, enter a KOOS by keyboard and a clinical examination, and see the derived values', async () => {
    const nurse = await open(NURSE, '/casebooks');
    const page = nurse.page;
    await visible(h1(page, 'Casebooks'));
    const nav = page.getByRole('navigation');
    for (const link of ['Visit calendar', 'Casebooks', 'Queries']) await visible(nav.getByRole('link', { name: link }));
    expect(await nav.getByRole('link', { name: 'Source data verification' }).count()).toBe(0);
    await page.getByRole('link', { name: `Casebook ${participant.studyId}` }).click();
    await visible(h1(page, `Casebook ${participant.studyId}`));
    await visible(page.getByText('Record the baseline visit first.', { exact: false }));

    // The baseline visit (Day 0), recorded in the casebook.
    await page.getByRole('button', { name: 'Record visit: Baseline and injection' }).click();
    const visitDialog = page.getByRole('dialog', { name: 'Visit: Baseline and injection' });
    await visitDialog.getByLabel('Date of the visit').fill(daysAgo(40));
    await visitDialog.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByText('The visit "Baseline and injection" has been recorded.'));
    const bl = page.locator('th[data-visit="BL"]');
    await visible(bl.locator('[data-status="done_in_window"]'));
    await visible(page.locator('th[data-visit="M3"]').getByText(/^Target /));
    // The visit calendar now lists the 3-month visit, with its window.
    await nav.getByRole('link', { name: 'Visit calendar' }).click();
    await visible(h1(page, 'Visit calendar'));
    const m3 = page.locator(`tr[data-entry="${participant.studyId}/M3"]`);
    await visible(m3.locator('[data-status="not_yet_due"]'));
    await visible(m3.getByText('3 months'));
    await shot(page, 'ecrf-calendar-desktop');
    await page.goBack();
    await visible(h1(page, `Casebook ${participant.studyId}`));

    // KOOS by keyboard alone: the digit of an answer chooses it and moves on to the next question.
    await page.locator('a[data-cell="BL/koos"]').click();
    await visible(h1(page, 'KOOS – Knee injury and Osteoarthritis Outcome Score'));
    await visible(page.getByText('Recall period: The last week.'));
    await visible(page.locator('[data-group="symptoms"]').getByText('Level 0 of 4 (no problem)'));
    const first = page.getByRole('radiogroup', { name: 'Swelling' });
    await first.getByRole('radio').first().focus();
    for (const id of KOOS_ITEM_IDS) await page.keyboard.press(String(KOOS_ANSWERS[id]));
    await visible(page.getByText('42 of 42 questions answered'));
    expect(
      await page
        .getByRole('radiogroup', { name: 'General difficulty' })
        .getByRole('radio', { checked: true })
        .getAttribute('value'),
    ).toBe(String(KOOS_ANSWERS.Q4));
    expect(
      await page
        .getByRole('radiogroup', { name: 'Running' })
        .getByRole('radio', { name: `Level ${KOOS_ANSWERS.SP2} of 4`, exact: false })
        .isChecked(),
    ).toBe(true);
    // Enter on an answer does not submit the form; Tab reaches Save draft, then Submit.
    await page.keyboard.press('Enter');
    await page.waitForTimeout(200);
    expect(await page.getByText('The form has been submitted.').count()).toBe(0);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Save draft');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Submit form');
    await page.keyboard.press('Enter');
    await visible(page.getByText('The form has been submitted.'));
    await visible(page.locator('[data-form-state="submitted"]'));
    const expected = scoreKoos(Object.fromEntries(KOOS_ITEM_IDS.map((id) => [id, KOOS_ANSWERS[id] ?? null])));
    for (const [item, score] of [
      ['koos_symptoms', expected.symptoms],
      ['koos_pain', expected.pain],
      ['koos_adl', expected.adl],
      ['koos_sport', expected.sport],
      ['koos_qol', expected.qol],
    ] as const) {
      expect(score).not.toBeNull();
      expect(await shownValue(page, item).textContent()).toBe(`${(score ?? 0).toFixed(1)} points`);
    }
    await shot(page, 'ecrf-koos-desktop');

    // The clinical examination, reached from the visit's form list.
    await page
      .getByRole('navigation', { name: 'Forms of this visit' })
      .getByRole('link', { name: 'Clinical knee examination' })
      .click();
    await visible(h1(page, 'Clinical knee examination'));
    await page.getByLabel('Assessor (id)').fill('KJ');
    await page.getByRole('group', { name: 'Range of motion measured' }).getByLabel('Active').check();
    await page.getByRole('group', { name: 'Knee circumference landmark' }).getByLabel('Mid-patella').check();
    await page.getByRole('group', { name: 'Thigh measurement method' }).getByLabel('Tape measure').check();
    const fillKnee = async (
      side: 'right' | 'left',
      v: { flexion: string; extension: string; stroke: string; tap: 'Yes' | 'No'; knee: string; thigh: string },
    ): Promise<void> => {
      await page.getByLabel(`Flexion, ${side} knee (degrees)`).fill(v.flexion);
      await page.getByLabel(`Extension, ${side} knee (degrees; deficit negative)`).fill(v.extension);
      await page
        .getByRole('group', { name: `Stroke test, ${side} knee` })
        .getByLabel(v.stroke)
        .check();
      await page
        .getByRole('group', { name: `Patellar tap positive, ${side} knee` })
        .getByLabel(v.tap, { exact: true })
        .check();
      await page.getByLabel(`Knee circumference, ${side} (cm)`).fill(v.knee);
      await page.getByLabel(`Thigh (quadriceps) circumference, ${side} (cm)`).fill(v.thigh);
    };
    await fillKnee('right', {
      flexion: '118',
      extension: '-5',
      stroke: 'Trace: small wave',
      tap: 'No',
      knee: '41.5',
      thigh: '52',
    });
    await page.getByLabel('Distance above the superior patellar pole, right (cm)').fill('15');
    await fillKnee('left', {
      flexion: '175',
      extension: '0',
      stroke: '0: no wave',
      tap: 'Yes',
      knee: '62',
      thigh: '53.4',
    });
    // Leaving a field checks it: a hard limit is an error, a soft limit a warning, both beside the item.
    await page.getByLabel('Thigh (quadriceps) circumference, left (cm)').press('Tab');
    const flexion = page.getByLabel('Flexion, left knee (degrees)');
    await visible(page.getByText('Must be between 0 and 160°.'));
    expect(await flexion.getAttribute('aria-invalid')).toBe('true');
    expect(await flexion.getAttribute('aria-describedby')).toContain('item-left_flexion_deg-error');
    await visible(page.getByText('Outside the expected range 28–60 cm.', { exact: false }));
    await shot(page, 'ecrf-exam-inline-errors');
    // Submitting shows a summary of every problem, linked to the items; the distance is still missing.
    await page.getByRole('button', { name: 'Submit form' }).click();
    const summary = page.locator('.ec-summary');
    await visible(summary.getByText('There are 2 problems to fix before saving:'));
    await visible(summary.getByRole('link', { name: 'Flexion, left knee (degrees): Must be between 0 and 160°.' }));
    await summary.getByRole('link', { name: /^Distance above the superior patellar pole, left/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('item-left_thigh_distance_cm');
    await page.keyboard.type('15');
    await flexion.fill('132');
    await page.getByLabel('Knee circumference, left (cm)').fill('39.8');
    await page.getByRole('button', { name: 'Submit form' }).click();
    await visible(page.getByText('The form has been submitted.'));
    // Effusion is derived on the server: trace stroke test on the right, positive tap on the left.
    await expect.poll(() => shownValue(page, 'right_effusion').textContent()).toBe('Yes');
    await expect.poll(() => shownValue(page, 'left_effusion').textContent()).toBe('Yes');
    await shot(page, 'ecrf-exam-desktop');

    // A correction after submission asks for the reason and recomputes the effusion.
    await page.getByRole('group', { name: 'Stroke test, right knee' }).getByLabel('0: no wave').check();
    await page.getByRole('button', { name: 'Save correction' }).click();
    const reason = page.getByRole('dialog', { name: 'Reason for changing submitted data' });
    await visible(reason.getByText('Stroke test, right knee: Trace: small wave → 0: no wave'));
    await reason.getByRole('button', { name: 'Save correction' }).click();
    await visible(reason.getByText('Give the reason for the change.'));
    await reason.getByLabel('Reason for the change').fill('Transcription error; source shows no wave');
    await reason.getByRole('button', { name: 'Save correction' }).click();
    await visible(page.getByText('The correction has been saved.'));
    await expect.poll(() => shownValue(page, 'right_effusion').textContent()).toBe('No');
    expect(nurse.problems).toEqual([]);
  });

  it('lets the monitor verify and query an item, the nurse answer and correct it, and the monitor close the query', async () => {
    const examPath = `/participants/${participant.id}/visits/BL/forms/clinical_exam`;
    const monitor = await open(MONITOR, examPath);
    const m = monitor.page;
    await visible(h1(m, 'Clinical knee examination'));
    // Monitors see the values but cannot enter them.
    await visible(m.getByText('You can read this form; data are entered by the site staff.'));
    expect(await m.getByRole('button', { name: 'Submit form' }).count()).toBe(0);
    expect(await shownValue(m, 'right_flexion_deg').textContent()).toBe('118°');
    await m.getByRole('button', { name: 'Mark version 2 as verified' }).click();
    await visible(m.getByText('Version 2 has been marked as verified against the source documents.'));
    await visible(m.locator('[data-sdv="verified"]'));
    await m.getByRole('button', { name: 'Raise a query on: Flexion, right knee (degrees)' }).click();
    const raise = m.getByRole('dialog', { name: 'Query on: Flexion, right knee (degrees)' });
    await raise.getByLabel('Question to the site').fill('Source says 120°; please check.');
    await raise.getByRole('button', { name: 'Raise query' }).click();
    await raise.waitFor({ state: 'hidden' });
    const onItem = m.locator('[data-item="right_flexion_deg"] .ec-query');
    await visible(onItem.getByText('Source says 120°; please check.'));
    await visible(onItem.locator('[data-status="open"]'));
    await shot(m, 'ecrf-monitor-form');

    // The nurse answers in the query inbox and corrects the value on the form.
    const nurse = await open(NURSE, '/queries');
    const n = nurse.page;
    await visible(h1(n, 'Queries'));
    const card = n.locator('.ec-query-list .ec-query').first();
    await visible(card.getByText('Source says 120°; please check.'));
    await visible(card.getByRole('link', { name: 'Clinical knee examination – Flexion, right knee (degrees)' }));
    await card.getByRole('button', { name: 'Answer' }).click();
    await card.getByLabel('Your answer').fill('Confirmed 120° in the source; corrected.');
    await card.getByRole('button', { name: 'Send answer' }).click();
    await visible(card.locator('[data-status="answered"]'));
    await shot(n, 'ecrf-queries-nurse');
    await card.getByRole('link', { name: 'Clinical knee examination – Flexion, right knee (degrees)' }).click();
    await visible(h1(n, 'Clinical knee examination'));
    const flexion = n.getByLabel('Flexion, right knee (degrees)');
    await expect.poll(() => n.evaluate(() => document.activeElement?.id)).toBe('item-right_flexion_deg');
    await flexion.fill('120');
    await n.getByRole('button', { name: 'Save correction' }).click();
    const reason = n.getByRole('dialog', { name: 'Reason for changing submitted data' });
    await reason.getByLabel('Reason for the change').fill('Query answered: value from the source document');
    await reason.getByRole('button', { name: 'Save correction' }).click();
    await visible(n.getByText('The correction has been saved.'));

    // The monitor sees what changed since verification and closes the query from the inbox.
    await m.reload();
    await visible(m.locator('[data-sdv="changed_since_verification"]'));
    const change = m.locator('tr[data-change="right_flexion_deg"]');
    expect(await change.locator('td').allTextContents()).toEqual(['118°', '120°']);
    await m.getByRole('navigation').getByRole('link', { name: 'Queries' }).click();
    await visible(h1(m, 'Queries'));
    const mCard = m.locator('.ec-query-list .ec-query').first();
    await visible(mCard.getByText('Confirmed 120° in the source; corrected.'));
    await mCard.getByRole('button', { name: 'Close query' }).click();
    await visible(m.getByText('No queries match the filters.'));
    expect(await m.locator('[data-count="closed"] strong').textContent()).toBe('1');
    await m.getByLabel('Status').selectOption('closed');
    await visible(m.locator('.ec-query-list [data-status="closed"]'));
    expect(new URL(m.url()).search).toBe('?status=closed');
    // The SDV worklist lists the changed form.
    await m.getByRole('navigation').getByRole('link', { name: 'Source data verification' }).click();
    await visible(h1(m, 'Source data verification'));
    await visible(
      m.locator(
        `tr[data-worklist="${participant.studyId}/BL/clinical_exam"] [data-status="changed_since_verification"]`,
      ),
    );
    await shot(m, 'ecrf-monitor-worklist');
    expect(monitor.problems).toEqual([]);
    expect(nurse.problems).toEqual([]);
  });

  it('shows the casebook and an entry form at 360 px; lets the investigator e-sign and the data manager lock the casebook', async () => {
    const casebookPath = `/participants/${participant.id}/casebook`;
    // The nurse on a phone: the casebook as visit cards and an open form, no horizontal scroll, large targets.
    const phone = await open(NURSE, casebookPath, { viewport: PHONE_VIEWPORT, mobile: true });
    const p = phone.page;
    const noHorizontalScroll = async (): Promise<void> => {
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    };
    /** Visible controls under 44 px (a radio's or check box's touch target is its whole label). */
    const smallTargets = (): Promise<string[]> =>
      p.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('main button, main a, main input, main select, main textarea')]
          .filter((el) => el.offsetParent !== null)
          .map((el) =>
            el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')
              ? (el.closest('label') ?? el)
              : el,
          )
          .filter((el) => el.getBoundingClientRect().height < 44)
          .map((el) => `${el.tagName} ${el.textContent ?? ''} ${Math.round(el.getBoundingClientRect().height)}`),
      );
    await visible(h1(p, `Casebook ${participant.studyId}`));
    await visible(p.locator('section[data-visit="BL"] a[data-cell="BL/koos"]').getByText('Submitted'));
    expect(await p.locator('.ec-matrix').count()).toBe(0);
    await noHorizontalScroll();
    expect(await smallTargets()).toEqual([]);
    await shot(p, 'ecrf-casebook-phone');
    await p.locator('a[data-cell="M3/koos"]').click();
    await visible(h1(p, 'KOOS – Knee injury and Osteoarthritis Outcome Score'));
    await p.getByRole('radiogroup', { name: 'Swelling' }).getByRole('radio', { name: 'Level 2 of 4' }).check();
    await visible(p.getByText('1 of 42 questions answered'));
    await noHorizontalScroll();
    expect(await smallTargets()).toEqual([]);
    await shot(p, 'ecrf-koos-phone');
    // Delete clears an answer (radios cannot be unchecked otherwise); nothing is left unsaved.
    await p.keyboard.press('Delete');
    await visible(p.getByText('0 of 42 questions answered'));

    const inv = await open(INVESTIGATOR, casebookPath);
    const i = inv.page;
    await visible(h1(i, `Casebook ${participant.studyId}`));
    await i.getByRole('button', { name: 'Sign the casebook' }).click();
    const sign = i.getByRole('dialog', { name: `Sign the casebook of ${participant.studyId}: electronic signature` });
    await visible(
      sign.getByText(`I have reviewed the casebook of participant ${participant.studyId}`, { exact: false }),
    );
    await visible(sign.getByText('Meaning of the signature: approval.', { exact: false }));
    await sign.getByLabel('Your password').fill('not-my-password');
    await sign.getByRole('button', { name: 'Sign' }).click();
    await visible(sign.getByText('The password is not correct.'));
    await sign.getByLabel('Your password').fill(INVESTIGATOR.password);
    await sign.getByRole('button', { name: 'Sign' }).click();
    await visible(i.getByText('The casebook has been signed.'));
    await visible(i.getByText(/Signed by you, /));

    const dm = await open(DATA_MANAGER, casebookPath);
    const d = dm.page;
    await visible(h1(d, `Casebook ${participant.studyId}`));
    await visible(d.getByText(/Signed by ivan\.inv@test\.local, /));
    // A data manager locks a single form first (it then shows as locked in the matrix).
    await d.locator('a[data-cell="BL/clinical_exam"]').click();
    await visible(h1(d, 'Clinical knee examination'));
    await d.getByRole('button', { name: 'Lock form' }).click();
    const lockForm = d.getByRole('dialog', { name: 'Lock this form' });
    await lockForm.getByRole('button', { name: 'Lock form' }).click();
    await visible(d.getByText('The form has been locked.'));
    await visible(d.getByText('This form is locked.', { exact: false }));
    await d.getByRole('link', { name: 'Back to the casebook' }).click();
    await visible(d.locator('a[data-cell="BL/clinical_exam"] [data-status="locked"]'));
    await d.getByRole('button', { name: 'Lock the casebook' }).click();
    const lock = d.getByRole('dialog', { name: `Lock the casebook of ${participant.studyId}` });
    await lock.getByLabel('Comment').fill('Baseline data cleaned');
    await lock.getByRole('button', { name: 'Lock the casebook' }).click();
    await visible(d.getByText('The casebook has been locked.'));
    await visible(d.locator('[data-casebook-locked="true"]').getByText(/Locked by you, /));
    await visible(d.getByText('This casebook is locked.', { exact: false }));
    await shot(d, 'ecrf-casebook-desktop');

    // Locked: the nurse's form is read-only, in either language.
    await p.goto(`/participants/${participant.id}/visits/BL/forms/koos`);
    await visible(h1(p, 'KOOS – Knee injury and Osteoarthritis Outcome Score'));
    await visible(p.getByText('The casebook is locked: the data can no longer be changed.'));
    expect(await p.getByRole('button', { name: 'Save correction' }).count()).toBe(0);
    await p.getByRole('button', { name: 'Dansk' }).click();
    await visible(h1(p, 'KOOS – knæskader og artrose (spørgeskema)'));
    await visible(p.getByText('CRF-bogen er låst: data kan ikke længere ændres.'));
    await noHorizontalScroll();
    await shot(p, 'ecrf-koos-phone-locked-da');
    expect(inv.problems).toEqual([]);
    expect(dm.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });
});
