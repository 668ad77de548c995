/**
 * Screening to enrolment through the web pages in real Chromium against a real server: the
 * coordinator fills the screening form and watches the live eligibility feedback, records identity
 * and consent; the investigator signs off with the password; the coordinator enrols (SJ-001),
 * re-consents to a new document version and records a withdrawal. A screen failure and a decline
 * show up in the log with their badges and counts; the form and the log are checked at 360 px.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, PHONE_VIEWPORT, saveScreenshot, type TestPage } from '../support/browser.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';

const NURSE = { email: 'nina.nurse@test.local', password: 'nurse-password-123', name: 'Nina Nurse' };
const INVESTIGATOR = { email: 'ivan.inv@test.local', password: 'investigator-pw-123', name: 'Ivan Investigator' };

const visible = (locator: Locator): Promise<void> => locator.waitFor({ state: 'visible', timeout: 10_000 });
const h1 = (page: Page, name: string | RegExp): Locator =>
  page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' });

async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByLabel('E-mail address', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Answers a yes/no (or other radio) question named by its legend. */
async function choose(page: Page, question: string, answer: string): Promise<void> {
  await page.getByRole('group', { name: question, exact: true }).getByLabel(answer, { exact: true }).check();
}

const criterion = (page: Page, id: string): Locator => page.locator(`#eligibility [data-criterion="${id}"]`);
const verdict = (page: Page): Locator => page.locator('#eligibility .sc-verdict');

/** Everything but height and weight for an eligible 62-year-old woman (dates as the date input wants them). */
async function fillEligibleExceptBody(page: Page): Promise<void> {
  await page.getByLabel('Date of birth', { exact: true }).fill('1964-03-12');
  await choose(page, 'Sex', 'Female');
  await page.getByLabel('Duration of chronic pain in the index knee', { exact: true }).fill('24');
  await page.getByLabel('Pain when worst (NRS 0–10)', { exact: true }).fill('7');
  await page.getByLabel('Anterior–posterior laxity on examination', { exact: true }).fill('1,0');
  await choose(page, 'Knee instability', 'No');
  await page.getByLabel('Kellgren–Lawrence grade', { exact: true }).selectOption('3');
  await page.getByLabel('Joint space width', { exact: true }).fill('2.1');
  await page.getByLabel('Varus/valgus deviation (hip–knee–ankle x-ray)', { exact: true }).fill('3.5');
  await choose(page, 'Compartment with osteoarthritis', 'Medial');
  await choose(page, 'Speaks Danish', 'Yes');
  await choose(page, 'Able to understand and sign the consent (legally competent)', 'Yes');
  for (const question of [
    'Intra-articular tumour, infection or fracture',
    'Pregnant or breastfeeding',
    'Cognitive impairment',
    'Cytostatic treatment',
    'Contraindication to MRI (implant, claustrophobia)',
    'Ligament reconstruction',
    'Meniscal resection of more than 50 %',
    'Diabetes (type 1 or 2)',
    'Allergy to antibiotics',
    'Severe systemic condition (severe infection, malignancy, coagulation disease, uncontrolled systemic disease)',
    'Other inflammatory arthritis',
  ]) {
    await choose(page, question, 'No');
  }
  await page.getByLabel('Number of meniscal operations (resections)', { exact: true }).fill('0');
}

describe('screening, consent and enrolment pages in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiClient;
  const opened: TestPage[] = [];

  async function open(
    opts: { viewport?: { width: number; height: number }; mobile?: boolean } = {},
  ): Promise<TestPage> {
    const p = await openPage(browser, { baseURL: server.url, ...opts });
    p.page.setDefaultTimeout(10_000);
    opened.push(p);
    return p;
  }

  /** Signs in on a fresh page and opens the screening log. */
  async function openLog(
    who: { email: string; password: string },
    opts: Parameters<typeof open>[0] = {},
  ): Promise<TestPage> {
    const p = await open(opts);
    await p.page.goto('/screenings');
    await signIn(p.page, who);
    await visible(h1(p.page, 'Screening log'));
    return p;
  }

  /** "New screening" on the log; returns the new screening's id (from the URL). */
  async function newScreening(page: Page): Promise<string> {
    await page.getByRole('button', { name: 'New screening' }).click();
    await visible(h1(page, /^Screening S-\d{4}$/));
    return new URL(page.url()).pathname.split('/').at(-1) ?? '';
  }

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    browser = await launchBrowser();
    admin = new ApiClient(server.url);
    expect((await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    for (const [who, role] of [
      [NURSE, 'coordinator'],
      [INVESTIGATOR, 'investigator'],
    ] as const) {
      const created = await admin.post('/api/v1/users', {
        email: who.email,
        displayName: who.name,
        password: who.password,
        grants: [{ role, siteId: 'site-auh' }],
      });
      expect(created.status).toBe(201);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('takes a person from the screening log through live eligibility, identity, consent and sign-off to SJ-001 and a withdrawal', async () => {
    const nurse = await openLog(NURSE);
    const page = nurse.page;
    await visible(page.getByText('Nobody has been screened yet.', { exact: false }));
    // The navigation lists the new pages for a coordinator.
    const nav = page.getByRole('navigation');
    await visible(nav.getByRole('link', { name: 'Screening log' }));
    await visible(nav.getByRole('link', { name: 'Participants' }));

    const screeningId = await newScreening(page);
    await visible(h1(page, 'Screening S-0001'));
    await visible(page.locator('.sc-meta').getByText('In progress'));
    // The screening date defaults to today; everything else still needs data.
    expect(await page.getByLabel('Screening date', { exact: true }).inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByLabel('Screening date', { exact: true }).fill('2026-10-01');
    expect(await criterion(page, 'IC6').getAttribute('data-status')).toBe('undecided');
    await visible(criterion(page, 'IC6').getByText('Needs: Height, Weight'));

    await fillEligibleExceptBody(page);
    await visible(page.locator('[data-derived="age"]').getByText('62 years'));
    // Live feedback: BMI over 35 fails IC6 and triggers EC7 before anything is saved.
    await page.getByLabel('Height', { exact: true }).fill('168');
    await page.getByLabel('Weight', { exact: true }).fill('120');
    await visible(page.getByText('Live preview of unsaved changes'));
    await visible(page.locator('[data-derived="bmi"]').getByText('42.5 kg/m²'));
    expect(await criterion(page, 'IC6').getAttribute('data-status')).toBe('fail');
    expect(await criterion(page, 'EC7').getAttribute('data-status')).toBe('fail');
    await visible(criterion(page, 'IC6').getByText('Decided by: Height: 168 cm; Weight: 120 kg; BMI: 42.5 kg/m²'));
    expect(await verdict(page).textContent()).toBe('Not eligible: IC6, EC7.');
    // A bad value is explained next to its field and blocks nothing else.
    await page.getByLabel('Weight', { exact: true }).fill('eighty');
    await visible(page.getByText('Enter a number, such as 2.5.'));
    expect(await page.getByLabel('Weight', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    // Fixing the weight passes both criteria.
    await page.getByLabel('Weight', { exact: true }).fill('80');
    await visible(page.locator('[data-derived="bmi"]').getByText('28.3 kg/m²'));
    expect(await criterion(page, 'IC6').getAttribute('data-status')).toBe('pass');
    expect(await criterion(page, 'EC7').getAttribute('data-status')).toBe('pass');
    expect(await verdict(page).textContent()).toBe(
      'Eligible: all inclusion criteria are met and no exclusion criterion applies.',
    );
    await saveScreenshot(page, 'screening-form-desktop-preview');

    // Enter in a field saves, like any form.
    await page.getByLabel('Weight', { exact: true }).press('Enter');
    await visible(page.getByText('The screening data has been saved.'));
    await visible(page.getByText('Saved assessment (server)'));
    await visible(page.locator('.sc-meta').getByText('Eligible'));
    expect(await page.locator('#eligibility [data-status="pass"]').count()).toBe(22);
    await saveScreenshot(page, 'screening-form-desktop');

    // Identity: the server's field error appears next to the CPR number; then the CPR number's date
    // of birth, sex and modulus-11 warning appear as it is typed.
    await page.getByLabel('First name(s)').fill('Karen');
    await page.getByLabel('Last name').fill('Jensen');
    await page.getByLabel('CPR number', { exact: true }).fill('310264-1234');
    await page.getByRole('button', { name: 'Save identity' }).click();
    await visible(page.getByText('The CPR number does not contain a valid date of birth.'));
    expect(await page.getByLabel('CPR number', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('CPR number', { exact: true }).fill('120364-1234');
    await visible(page.getByText('The CPR number gives date of birth 12 Mar 1964, sex female.'));
    await visible(page.getByText('This CPR number fails the modulus-11 check.', { exact: false }));
    await page.getByLabel('Phone (optional)').fill('+45 12 34 56 78');
    await page.getByRole('button', { name: 'Save identity' }).click();
    await visible(page.getByText('The identity has been saved.', { exact: false }));
    await visible(page.getByText('The identity has been recorded.'));
    await page.getByRole('button', { name: 'Show identity' }).click();
    await visible(page.getByText('120364-1234'));
    await visible(page.getByText('Karen Jensen'));
    await visible(page.getByText('This view has been recorded in the audit trail.'));
    const audit = await admin.get<{ records: { action: string }[] }>(
      `/api/v1/audit?entityType=screening&entityId=${screeningId}`,
    );
    expect(audit.body.records.map((r) => r.action)).toContain('identity.viewed');
    await page.getByRole('button', { name: 'Hide identity' }).click();

    // A coordinator cannot sign off; enrolment waits for consent and sign-off.
    await visible(page.getByText('Only an investigator at the site can sign off eligibility.'));
    expect(await page.getByRole('button', { name: 'Enrol participant' }).isDisabled()).toBe(true);

    // Consent on paper to version 1.0.
    await page.getByRole('group', { name: 'Signature' }).getByLabel('Signed on paper (original filed)').check();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await visible(page.getByText('The consent has been recorded.'));
    await visible(page.getByText(/^Version 1\.0, signed .* \(on paper\), taken by you\.$/));

    // The investigator signs off with the password (a wrong one is refused next to the field).
    const investigator = await open();
    const inv = investigator.page;
    await inv.goto(`/screenings/${screeningId}`);
    await signIn(inv, INVESTIGATOR);
    await visible(h1(inv, 'Screening S-0001'));
    await inv.getByRole('button', { name: 'Sign off eligibility' }).click();
    const dialog = inv.getByRole('dialog', { name: 'Sign off eligibility: electronic signature' });
    await visible(dialog);
    await visible(
      dialog.getByText(
        'I confirm that participant S-0001 meets all inclusion criteria and none of the exclusion criteria of protocol version',
        { exact: false },
      ),
    );
    await visible(dialog.getByText('Meaning of the signature: approval.', { exact: false }));
    await dialog.getByLabel('Your password').fill('not-my-password');
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await visible(dialog.getByText('The password is not correct.'));
    await saveScreenshot(inv, 'screening-sign-off-dialog');
    await dialog.getByLabel('Your password').fill(INVESTIGATOR.password);
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(inv.getByText('Eligibility has been signed off.'));
    await visible(inv.getByText(/^Eligibility signed off by you on /));

    // A change after sign-off asks for a reason and voids the sign-off; the investigator signs again.
    await page.reload();
    await visible(h1(page, 'Screening S-0001'));
    await visible(page.getByText('Eligibility has been signed off by an investigator.', { exact: false }));
    await page.getByLabel('Pain when worst (NRS 0–10)', { exact: true }).fill('8');
    await page.getByRole('button', { name: 'Save screening data' }).click();
    const reasonDialog = page.getByRole('dialog', { name: 'Reason for changing signed-off data' });
    await visible(reasonDialog);
    await reasonDialog.getByRole('button', { name: 'Save and void the sign-off' }).click();
    await visible(reasonDialog.getByText('Fill in this field.'));
    await reasonDialog.getByLabel('Reason').fill('NRS re-assessed with the participant');
    await reasonDialog.getByRole('button', { name: 'Save and void the sign-off' }).click();
    await reasonDialog.waitFor({ state: 'hidden' });
    await visible(page.getByText('The screening data has been saved.'));
    await visible(page.getByText('Eligibility has not been signed off.'));
    await inv.reload();
    await visible(h1(inv, 'Screening S-0001'));
    await inv.getByRole('button', { name: 'Sign off eligibility' }).click();
    await dialog.getByLabel('Your password').fill(INVESTIGATOR.password);
    await dialog.getByRole('button', { name: 'Sign' }).click();
    await visible(inv.getByText('Eligibility has been signed off.'));

    // The coordinator sees the sign-off and enrols: SJ-001.
    await page.reload();
    await visible(h1(page, 'Screening S-0001'));
    await visible(page.getByText('Everything is in place: the participant can be enrolled.'));
    await page.getByRole('button', { name: 'Enrol participant' }).click();
    await visible(page.getByText('Enrolled as SJ-001.'));
    await visible(page.locator('.sc-meta').getByText('Enrolled'));

    // A new consent version is issued: the participant needs re-consent, recorded on the screening page.
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await admin.post('/api/v1/consent-versions', { version: '2.0', title: 'Amended consent', issuedAt: today }))
        .status,
    ).toBe(201);
    await page.getByRole('link', { name: 'Open SJ-001' }).click();
    await visible(h1(page, 'Participant SJ-001'));
    await visible(page.getByText('Needed: a newer consent version has been issued'));
    await page.getByRole('link', { name: 'S-0001' }).click();
    await visible(h1(page, 'Screening S-0001'));
    await visible(
      page.getByText('Version 2.0 of the consent document has been issued. The participant must consent again.'),
    );
    expect(await page.getByLabel('Consent document version').inputValue()).toBe('2.0');
    await page.getByRole('group', { name: 'Signature' }).getByLabel('Signed electronically').check();
    await page.getByRole('button', { name: 'Record re-consent' }).click();
    await visible(page.getByText(/^Version 2\.0, signed .* \(electronic\), taken by you\.$/));

    // The participant page, then a withdrawal with its scope.
    await page.getByRole('link', { name: 'Open SJ-001' }).click();
    await visible(h1(page, 'Participant SJ-001'));
    const facts = page.locator('.facts');
    await visible(facts.locator('[data-status="enrolled"]').getByText('Enrolled', { exact: true }));
    await visible(facts.getByText('AUH · Aarhus University Hospital'));
    await visible(facts.getByText('2.0', { exact: true }));
    await visible(facts.getByText('Not needed'));
    await page.getByRole('button', { name: 'Record withdrawal' }).click();
    const withdraw = page.getByRole('dialog', { name: 'Withdrawal of SJ-001' });
    await visible(withdraw);
    await withdraw.getByRole('button', { name: 'Record withdrawal' }).click();
    await visible(withdraw.getByText('Choose what the participant withdraws from.'));
    await withdraw.getByLabel('No further visits').check();
    await withdraw.getByLabel('Reason').fill('Moved abroad; questionnaires by e-mail are fine');
    expect(await withdraw.getByLabel('Date of withdrawal').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await saveScreenshot(page, 'participant-withdraw-dialog');
    await withdraw.getByRole('button', { name: 'Record withdrawal' }).click();
    await withdraw.waitFor({ state: 'hidden' });
    await visible(page.getByText('The withdrawal of SJ-001 has been recorded.'));
    await visible(facts.locator('[data-status="withdrawn"]').getByText('Withdrawn', { exact: true }));
    await visible(page.getByText(/^Withdrawn on .*\. Scope: No further visits\.$/));
    expect(await page.getByRole('button', { name: 'Record withdrawal' }).count()).toBe(0);
    await saveScreenshot(page, 'participant-desktop');

    await page.getByRole('navigation').getByRole('link', { name: 'Participants' }).click();
    await visible(h1(page, 'Participants'));
    const row = page.getByRole('row', { name: /SJ-001/ });
    await visible(row.getByText('Withdrawn'));
    await visible(row.getByText(/No further visits/));
    await saveScreenshot(page, 'participants-desktop');

    expect(nurse.problems).toEqual([]);
    expect(investigator.problems).toEqual([]);
  });

  it('shows a screen failure and a decline in the log with badges and counts; works at 360 px and in Danish', async () => {
    const nurse = await openLog(NURSE);
    const page = nurse.page;

    // Screen failure: Kellgren–Lawrence grade 4 fails IC3 and triggers EC1.
    await newScreening(page);
    await visible(h1(page, 'Screening S-0002'));
    await page.getByLabel('Kellgren–Lawrence grade', { exact: true }).selectOption('4');
    expect(await criterion(page, 'EC1').getAttribute('data-status')).toBe('fail');
    expect(await criterion(page, 'IC3').getAttribute('data-status')).toBe('fail');
    await page.getByRole('button', { name: 'Save screening data' }).click();
    await visible(page.getByText('The screening data has been saved.'));
    await visible(page.locator('.sc-meta').getByText('Not eligible'));
    await page.getByRole('link', { name: 'Back to the screening log' }).click();
    await visible(h1(page, 'Screening log'));

    // Decline, with the reason.
    await newScreening(page);
    await visible(h1(page, 'Screening S-0003'));
    await page.getByRole('button', { name: 'Declined' }).click();
    const dialog = page.getByRole('dialog', { name: 'The person declined to take part' });
    await dialog.getByRole('button', { name: 'Close the screening' }).click();
    await visible(dialog.getByText('Fill in this field.'));
    await dialog.getByLabel('Reason').fill('Does not want an injection');
    await dialog.getByRole('button', { name: 'Close the screening' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(
      page.getByText('This screening is closed (Declined); its data can no longer be changed.', { exact: false }),
    );
    expect(await page.getByRole('button', { name: 'Save screening data' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Back to the screening log' }).click();
    await visible(h1(page, 'Screening log'));

    // The log: one row per screening with its badge, failed criteria and study id; counts by outcome.
    const rowOf = (n: string): Locator => page.locator(`tr[data-screening="${n}"]`);
    await visible(rowOf('S-0003'));
    expect(await rowOf('S-0001').locator('[data-status]').textContent()).toBe('Enrolled');
    await visible(rowOf('S-0001').getByRole('link', { name: 'SJ-001' }));
    expect(await rowOf('S-0002').locator('[data-status]').textContent()).toBe('Not eligible');
    await visible(rowOf('S-0002').getByText('IC3, EC1'));
    expect(await rowOf('S-0003').locator('[data-status]').textContent()).toBe('Declined');
    await visible(rowOf('S-0003').getByText('Does not want an injection'));
    const count = (key: string): Promise<string | null> => page.locator(`[data-count="${key}"]`).textContent();
    expect(await count('all')).toBe('3');
    expect(await count('enrolled')).toBe('1');
    expect(await count('ineligible')).toBe('1');
    expect(await count('declined')).toBe('1');
    expect(await count('in_progress')).toBe('0');
    await visible(page.locator('[data-criterion="EC1"]').getByText('EC1: 1'));
    await saveScreenshot(page, 'screening-log-desktop');

    // The counts filter the log.
    await page.getByRole('button', { name: /^Declined/ }).click();
    await visible(page.getByRole('button', { name: /^Declined/, pressed: true }));
    await rowOf('S-0001').waitFor({ state: 'detached' });
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?status=declined');
    await page.getByRole('button', { name: /^All/ }).click();
    await visible(rowOf('S-0001'));
    expect(nurse.problems).toEqual([]);

    // A phone: no horizontal scroll on the log and the form; large touch targets; Danish.
    const phone = await openLog(NURSE, { viewport: PHONE_VIEWPORT, mobile: true });
    const p = phone.page;
    const noHorizontalScroll = async (): Promise<void> => {
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    };
    /** Visible controls under 44 px (a radio's touch target is its whole label, so radios are measured by it). */
    const smallTargets = (): Promise<string[]> =>
      p.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('main button, main a, main input, main select, main textarea')]
          .filter((el) => el.offsetParent !== null)
          .map((el) => (el instanceof HTMLInputElement && el.type === 'radio' ? (el.closest('label') ?? el) : el))
          .filter((el) => el.getBoundingClientRect().height < 44)
          .map((el) => `${el.tagName} ${el.textContent ?? ''} ${Math.round(el.getBoundingClientRect().height)}`),
      );
    await visible(p.locator('tr[data-screening="S-0002"]').getByText('IC3, EC1'));
    await noHorizontalScroll();
    expect(await smallTargets()).toEqual([]);
    await saveScreenshot(p, 'screening-log-phone');

    await p.locator('tr[data-screening="S-0001"]').getByRole('link', { name: 'S-0001' }).click();
    await visible(h1(p, 'Screening S-0001'));
    await noHorizontalScroll();
    expect(await smallTargets()).toEqual([]);
    await saveScreenshot(p, 'screening-form-phone');

    await p.getByRole('button', { name: 'Dansk' }).click();
    await visible(h1(p, 'Screening S-0001'));
    await visible(p.locator('.sc-meta').getByText('Inkluderet'));
    await visible(p.getByText('Inklusionskriterier (alle skal være opfyldt)'));
    await noHorizontalScroll();
    await saveScreenshot(p, 'screening-form-phone-da');
    await p.getByRole('button', { name: 'Menu' }).click();
    await p.getByRole('navigation').getByRole('link', { name: 'Screeningslog' }).click();
    await visible(h1(p, 'Screeningslog'));
    expect(await p.locator('tr[data-screening="S-0003"] [data-status]').textContent()).toBe('Takket nej');
    expect(await p.locator('tr[data-screening="S-0002"] [data-status]').textContent()).toBe('Ikke egnet');
    await noHorizontalScroll();
    await saveScreenshot(p, 'screening-log-phone-da');
    expect(phone.problems).toEqual([]);
  });
});
