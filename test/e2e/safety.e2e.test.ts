/**
 * Safety reporting through the web pages in real Chromium against a real server: the investigator
 * records a serious adverse event (bad input is refused field by field first), lands on the new SAE
 * case and sees the 24-hour deadline — 24 elapsed hours after the site's awareness, in Copenhagen
 * time, with a countdown — then records the report to the sponsor, which meets the clock. An AE
 * review task is dismissed with a reason. Key screens are checked at 360 px and in Danish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParticipantView } from '../../src/services/screening.js';
import { enrolParticipants, loginAs, PASSWORD } from '../api-randomization-setup.js';
import { PHONE_VIEWPORT } from '../support/browser.js';
import { h1, saveScreenshot, smallTargets, startE2eStudy, visible, type E2eStudy } from '../support/e2e-study.js';

/** Copenhagen wall time of an instant as the `datetime-local` input wants it, and its date. */
function copenhagen(instant: Date): { input: string; date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Copenhagen',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}`;
  return { input: `${date}T${time}`, date, time };
}

describe('safety pages in Chromium', () => {
  let study: E2eStudy;
  let people: ParticipantView[];

  beforeAll(async () => {
    study = await startE2eStudy();
    const { server, admin } = study;
    people = await enrolParticipants(server.ctx, 1);
    // Randomized, so that the sponsor's SUSAR unblinding has an arm to reveal.
    expect((await admin.post('/api/v1/randomization/allocation-list', { perStratum: 8 })).status).toBe(201);
    const nurse = await loginAs(server.url, 'nurse@t.local');
    expect((await nurse.post(`/api/v1/participants/${people[0]!.id}/randomize`, {})).status).toBe(200);
    // The sponsor's safety physician: a study-wide data manager with the designation, and an RSI version.
    expect(
      (await admin.post('/api/v1/safety/physicians', { email: 'dm@t.local', reason: 'Sponsor safety physician' }))
        .status,
    ).toBe(201);
    const dm = await loginAs(server.url, 'dm@t.local');
    expect(
      (
        await dm.post('/api/v1/safety/rsi-versions', {
          version: 'IB-3.0',
          title: 'Investigator’s brochure, section 7',
          effectiveFrom: '2026-01-01',
        })
      ).status,
    ).toBe(201);
  });
  afterAll(async () => {
    await study?.close();
  });

  it('records an SAE through the page and shows its 24-hour deadline in Copenhagen time on the case page', async () => {
    const inv = await study.open('inv@t.local', '/safety');
    const page = inv.page;
    await visible(h1(page, 'Safety'));
    await visible(page.locator('[data-count="openCases"] dd').getByText('0', { exact: true }));
    await page.getByRole('link', { name: 'Record adverse event' }).click();
    await visible(h1(page, 'Record adverse event'));

    // The site learned of the event two hours ago (a whole minute, as the input takes).
    const awareness = new Date(Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000);
    const cph = copenhagen(awareness);
    await page.getByLabel('Participant', { exact: true }).selectOption({ label: people[0]!.studyId });
    await page.getByLabel('Event term (verbatim)').fill('Septic arthritis of the right knee');
    await page.getByLabel('Onset date').fill(cph.date);
    await page.getByLabel('End date').fill('2020-01');
    await page.getByRole('group', { name: 'Severity (CTCAE grade)' }).getByLabel('Grade 3').check();
    const seriousness = page.getByRole('group', { name: 'Seriousness criteria' });
    await visible(page.getByText('Not serious: no SAE case.'));
    await seriousness.getByLabel('Requires or prolongs inpatient hospitalisation').check();
    await page.getByLabel('Site became aware of the event').fill(cph.input);
    // As soon as a criterion is ticked, the form says when the report to the sponsor is due.
    const due = new Date(awareness.getTime() + 24 * 3_600_000);
    await visible(
      page.getByText(`Serious adverse event: saving opens an SAE case. The report to the sponsor is due`, {
        exact: false,
      }),
    );
    await visible(
      page.locator('[data-serious-preview="true"]').getByText(`${copenhagen(due).time} (Copenhagen)`, { exact: false }),
    );
    await page.getByRole('group', { name: 'the study product' }).getByLabel('Related', { exact: true }).check();
    await page.getByRole('group', { name: 'the injection procedure' }).getByLabel('Related', { exact: true }).check();
    await page.getByRole('group', { name: 'Action taken' }).getByLabel('Hospitalisation').check();
    await page.getByRole('group', { name: 'Action taken' }).getByLabel('Medication').check();
    await page.getByLabel('Outcome', { exact: true }).selectOption('recovering');
    await saveScreenshot(page, 'safety-ae-form-desktop');

    // An end before the onset is refused next to the field; nothing is stored.
    await page.getByRole('button', { name: 'Save adverse event' }).click();
    await visible(page.getByText('The end date is before the onset.'));
    expect(await page.getByLabel('End date').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('End date').fill('');
    await page.getByRole('button', { name: 'Save adverse event' }).click();

    // The new case with its clock: due 24 elapsed hours after the awareness, shown in Copenhagen time.
    await visible(h1(page, 'SAE case SAE-0001'));
    await visible(page.getByText('AE-0001 has been recorded as serious: SAE case SAE-0001 is open.'));
    const clock = page.locator('[data-deadline="sponsor_report"]');
    await visible(clock.getByText('Investigator’s SAE report to the sponsor (24 hours)'));
    expect(await clock.locator('[data-due]').getAttribute('data-due')).toBe(due.toISOString());
    await visible(clock.locator('[data-due]').getByText(`${copenhagen(due).time} (Copenhagen)`, { exact: false }));
    expect(await clock.locator('[data-deadline-status]').textContent()).toBe('Due soon');
    expect(await clock.locator('.tp-clock__countdown').textContent()).toMatch(/^2[12] h \d{1,2} min left$/);
    await saveScreenshot(page, 'safety-case-desktop');

    // The dashboard lists the case and its deadline.
    await page.getByRole('link', { name: 'Back to safety' }).click();
    await visible(h1(page, 'Safety'));
    await visible(page.locator('[data-deadline-line="SAE-0001:sponsor_report"]').getByText('Due soon'));
    expect(await page.locator('[data-count="openCases"] dd').textContent()).toBe('1');
    await saveScreenshot(page, 'safety-dashboard-desktop');

    // The investigator records the report to the sponsor: the clock is met.
    await page.locator('[data-case="SAE-0001"]').getByRole('link', { name: 'SAE-0001' }).click();
    await visible(h1(page, 'SAE case SAE-0001'));
    const form = page.getByRole('region', { name: 'Record a report sent to the sponsor' });
    expect(await form.getByLabel('What was sent or received').inputValue()).toBe('investigator_initial_report');
    await form.getByLabel('Reference (optional)').fill('CIOMS-2026-001');
    await form.getByRole('button', { name: 'Record' }).click();
    await visible(page.getByText('Recorded: Investigator’s initial SAE report to the sponsor.'));
    await visible(clock.locator('[data-deadline-status="met"]'));
    await visible(page.locator('[data-submission="investigator_initial_report"]').getByText('CIOMS-2026-001'));

    // At 360 px and in Danish.
    const phone = await study.open('inv@t.local', new URL(page.url()).pathname, {
      viewport: PHONE_VIEWPORT,
      mobile: true,
    });
    await visible(h1(phone.page, 'SAE case SAE-0001'));
    await phone.page.getByRole('button', { name: 'Dansk' }).click();
    await visible(h1(phone.page, 'SAE-sag SAE-0001'));
    await visible(phone.page.getByText('Investigators SAE-indberetning til sponsor (24 timer)'));
    await visible(phone.page.getByText('(dansk tid)', { exact: false }).first());
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE_VIEWPORT.width,
    );
    expect(await smallTargets(phone.page)).toEqual([]);
    await saveScreenshot(phone.page, 'safety-case-phone-da');
    await phone.page.goto('/safety/adverse-events/new');
    await visible(h1(phone.page, 'Registrér utilsigtet hændelse'));
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE_VIEWPORT.width,
    );
    expect(await smallTargets(phone.page)).toEqual([]);
    await saveScreenshot(phone.page, 'safety-ae-form-phone-da');
    expect(inv.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });

  it('lists the AE and lets the investigator dismiss a review task with a reason', async () => {
    const nurse = await loginAs(study.server.url, 'nurse@t.local');
    const created = await nurse.post<{ task: { taskNumber: string } }>('/api/v1/safety/review-tasks', {
      participantId: people[0]!.id,
      source: 'epro_diary',
      sourceRef: 'diary-day-3',
      detail: { summary: 'Worst pain NRS 8 on day 3 (baseline 5)', data: { diaryDay: 3, nrsWorst: 8, baselineNrs: 5 } },
    });
    expect(created.status).toBe(201);

    const inv = await study.open('inv@t.local', '/safety/adverse-events');
    const page = inv.page;
    await visible(h1(page, 'Adverse events'));
    const row = page.locator('tr[data-ae="AE-0001"]');
    await visible(row.getByText('Septic arthritis of the right knee'));
    await visible(row.getByRole('link', { name: 'SAE-0001' }));
    await visible(row.getByText('Related', { exact: true }));

    // A follow-up: the event has ended; a new version with its reason.
    await row.getByRole('link', { name: 'AE-0001', exact: true }).click();
    await visible(h1(page, 'Adverse event AE-0001'));
    await page.getByRole('button', { name: 'Record follow-up' }).click();
    await page.getByLabel('End date').fill(copenhagen(new Date()).date);
    await page.getByLabel('Outcome', { exact: true }).selectOption('recovered');
    await page.getByRole('button', { name: 'Save follow-up' }).click();
    await visible(page.getByText('Fill in this field.'));
    await page.getByLabel('Reason for the change').fill('Discharged; knee dry and pain-free at follow-up');
    await page.getByRole('button', { name: 'Save follow-up' }).click();
    await visible(page.getByText('Version 2 of AE-0001 has been saved.'));
    await visible(page.locator('[data-version="2"]').getByText('Discharged; knee dry and pain-free at follow-up'));
    await saveScreenshot(page, 'safety-ae-desktop');

    await page.getByRole('link', { name: 'AE review tasks' }).click();
    await visible(h1(page, 'AE review tasks'));
    const task = page.locator(`tr[data-task="${created.body.task.taskNumber}"]`);
    await visible(task.getByText('Worst pain NRS 8 on day 3 (baseline 5)'));
    await task.getByRole('button', { name: 'Dismiss' }).click();
    const dialog = page.getByRole('dialog', { name: `Dismiss task ${created.body.task.taskNumber}` });
    await dialog.getByRole('button', { name: 'Dismiss' }).click();
    await visible(dialog.getByText('Fill in this field.'));
    await dialog.getByLabel('Reason').fill('Pain flare after a long walk; known osteoarthritis pattern');
    await dialog.getByRole('button', { name: 'Dismiss' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByText(`Task ${created.body.task.taskNumber} has been dismissed.`));
    await page.getByLabel('Show').selectOption('dismissed');
    await visible(task.getByText('Dismissed: Pain flare after a long walk', { exact: false }));
    await saveScreenshot(page, 'safety-review-tasks-desktop');

    await page.getByRole('link', { name: 'Safety tables' }).click();
    await visible(h1(page, 'Safety tables'));
    await visible(page.locator('[data-table="overview"] [data-row="serious"]').getByText('1 (100.0 %)'));
    await saveScreenshot(page, 'safety-tables-desktop');
    expect(inv.problems).toEqual([]);
  });
  it('the sponsor’s safety physician assesses separately, acknowledges, unblinds the case and classifies a SUSAR', async () => {
    const arm = (
      await (
        await loginAs(study.server.url, 'dsmb@t.local')
      ).get<{ randomizations: { arm: string }[] }>('/api/v1/randomizations')
    ).body.randomizations[0]!.arm;
    const dm = await study.open('dm@t.local', '/safety/adverse-events');
    const page = dm.page;
    await page.locator('tr[data-ae="AE-0001"]').getByRole('link', { name: 'AE-0001', exact: true }).click();
    await visible(h1(page, 'Adverse event AE-0001'));
    expect(await page.getByRole('button', { name: 'Record follow-up' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Assess as sponsor' }).click();
    const sponsor = page.getByRole('region', { name: 'Sponsor assessment' });
    await sponsor.getByRole('group', { name: 'the study product' }).getByLabel('Related', { exact: true }).check();
    await sponsor.getByRole('group', { name: 'the injection procedure' }).getByLabel('Not related').check();
    await sponsor.getByLabel('Expectedness').selectOption('unexpected');
    expect(await sponsor.getByLabel('Reference safety information').inputValue()).toBe('IB-3.0');
    await sponsor.getByRole('button', { name: 'Save sponsor assessment' }).click();
    await visible(page.getByText('The sponsor assessment has been saved.'));
    await visible(sponsor.getByText('Unexpected against RSI IB-3.0'));
    // The investigator's own assessment is unchanged and shown apart.
    await visible(page.getByText('Study product: Related · Injection: Related'));
    await saveScreenshot(page, 'safety-ae-sponsor-desktop');

    await page.getByRole('link', { name: 'Open case SAE-0001' }).click();
    await visible(h1(page, 'SAE case SAE-0001'));
    const sponsorForm = page.getByRole('region', { name: 'Sponsor: record an acknowledgement or SUSAR report' });
    expect(await sponsorForm.getByLabel('What was sent or received').inputValue()).toBe('sponsor_acknowledgement');
    await sponsorForm.getByRole('button', { name: 'Record' }).click();
    await visible(page.getByText('Recorded: Sponsor’s acknowledgement of receipt.'));
    await page.getByRole('link', { name: 'Unblind for the SUSAR assessment…' }).click();
    await visible(h1(page, 'Unblinding for the SUSAR assessment'));
    await page.getByLabel('Reason').fill('SUSAR assessment of a related, unexpected SAE');
    await page.getByRole('button', { name: 'Continue to signature' }).click();
    const sign = page.getByRole('dialog', { name: 'SUSAR unblinding: electronic signature' });
    await visible(sign.getByText('for the SUSAR assessment of case SAE-0001 only.', { exact: false }));
    await sign.getByLabel('Your password').fill(PASSWORD);
    await sign.getByRole('button', { name: 'Sign and unblind' }).click();
    await sign.waitFor({ state: 'hidden' });
    expect(await page.locator('[data-revealed-arm] [data-arm]').getAttribute('data-arm')).toBe(arm);
    await saveScreenshot(page, 'safety-susar-unblind-desktop');

    await page.getByRole('link', { name: 'Back to the case' }).click();
    await visible(h1(page, 'SAE case SAE-0001'));
    await page.getByRole('group', { name: 'Is this a SUSAR?' }).getByLabel('Yes').check();
    await page.getByLabel('Rationale').fill('Related to the cell product and not listed in the RSI');
    await page.getByRole('button', { name: 'Record the SUSAR decision' }).click();
    await visible(page.getByText('The SUSAR decision has been recorded.'));
    await visible(page.getByText('Classified as a SUSAR.'));
    const susarClock = page.locator('[data-deadline="susar_initial"]');
    await visible(susarClock.getByText('SUSAR report to EudraVigilance'));
    await visible(susarClock.getByText('(Copenhagen)', { exact: false }));
    await saveScreenshot(page, 'safety-case-sponsor-desktop');
    expect(dm.problems).toEqual([]);

    // The investigator sees the case without the SUSAR classification or the arm.
    const inv = await study.open('inv@t.local', new URL(page.url()).pathname);
    await visible(h1(inv.page, 'SAE case SAE-0001'));
    await visible(inv.page.getByText('The SUSAR assessment of this case is visible only', { exact: false }));
    expect(await inv.page.locator('[data-deadline="susar_initial"]').count()).toBe(0);
    expect(await inv.page.locator('body').innerText()).not.toMatch(/ADMSC|SALINE|AD-MSC|placebo/);
    // Tables by arm: the DSMB sees them; the investigator's route table does not offer them.
    await inv.page.goto('/safety/tables/by-arm');
    await visible(h1(inv.page, 'No access'));
    const dsmb = await study.open('dsmb@t.local', '/safety/tables/by-arm');
    await visible(h1(dsmb.page, 'Safety tables by arm'));
    await visible(dsmb.page.locator('[data-table="overview"] [data-row="serious"]'));
    await saveScreenshot(dsmb.page, 'safety-tables-by-arm-desktop');
    expect(inv.problems).toEqual([]);
    expect(dsmb.problems).toEqual([]);
  });
});
