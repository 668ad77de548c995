/**
 * Randomization, the cell laboratory and emergency unblinding through the web pages in real
 * Chromium against a real server. A blinded study nurse randomizes a participant and sees number,
 * kit code and time — and no arm anywhere on the page; the unblinded cell laboratory sees the
 * kit ↔ arm map and prepares the dose (a failed check with its reason, then a pass, e-signed);
 * the nurse records the injection; a second investigator performs an emergency unblinding and sees
 * the arm, which the first investigator never does. Key screens are checked at 360 px and in Danish.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParticipantView } from '../../src/services/screening.js';
import { enrolParticipants, loginAs, PASSWORD } from '../api-randomization-setup.js';
import { PHONE_VIEWPORT } from '../support/browser.js';
import { h1, saveScreenshot, smallTargets, startE2eStudy, visible, type E2eStudy } from '../support/e2e-study.js';
import type { ApiClient } from '../support/server.js';

/** Anything that would tell a blinded user which treatment a participant got. */
const ARM_WORDS = /ADMSC|SALINE|AD-MSC|placebo|mesenchymal|stem cell|\barm\b|saltvand|behandlingsarm/i;

const bodyText = (page: Page): Promise<string> => page.locator('body').innerText();

const ALL_NEGATIVE = {
  hiv_1_2: 'negative',
  hbv: 'negative',
  hcv: 'negative',
  syphilis: 'negative',
  htlv_1_2: 'negative',
};
const GOOD_RELEASE = {
  testedOn: '2026-09-20',
  viabilityPct: 92,
  cd73Pct: 99,
  cd90Pct: 98.5,
  cd105Pct: 97,
  cd45Pct: 0.5,
  cd34Pct: 1,
  hlaDrPct: 0.2,
  sterility: 'negative',
  endotoxinEuPerMl: 0.1,
  mycoplasma: 'negative',
};

describe('randomization, cell laboratory and emergency unblinding pages in Chromium', () => {
  let study: E2eStudy;
  let lab: ApiClient;
  let people: ParticipantView[];
  /** The randomization made through the page. */
  let kit = '';
  let arm = '';

  beforeAll(async () => {
    study = await startE2eStudy();
    const { server, admin } = study;
    expect((await admin.post('/api/v1/randomization/allocation-list', { perStratum: 12 })).status).toBe(201);
    people = [
      ...(await enrolParticipants(server.ctx, 1, { klGrades: [3] })),
      ...(await enrolParticipants(server.ctx, 1, { klGrades: [2], baseline: false })),
    ];
    // The cell laboratory's stock: a released lot with vials (the page work is the dose itself).
    lab = await loginAs(server.url, 'lab@t.local');
    const donor = await lab.post<{ id: string }>('/api/v1/product/donors', {
      donorCode: 'DON-7',
      eligibility: 'eligible',
      screeningTests: ALL_NEGATIVE,
      procurementDate: '2026-08-01',
    });
    const lot = await lab.post<{ id: string }>('/api/v1/product/lots', {
      lotNumber: 'LOT-7',
      donorId: donor.body.id,
      passage: 3,
      cryopreservedOn: '2026-09-01',
      expiryDate: '2031-09-01',
    });
    expect(
      (
        await lab.post(`/api/v1/product/lots/${lot.body.id}/vials`, {
          vials: ['A', 'B'].map((v) => ({ vialCode: `LOT-7-${v}`, location: 'LN2 tank A, rack 2' })),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await lab.post(`/api/v1/product/lots/${lot.body.id}/release`, {
          results: GOOD_RELEASE,
          signature: { password: PASSWORD },
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await study?.close();
  });

  it('a blinded study nurse randomizes through the page and sees number, kit and time — never an arm', async () => {
    const nurse = await study.open('nurse@t.local', '/randomization');
    const page = nurse.page;
    await visible(h1(page, 'Randomization'));
    const ready = page.locator(`tr[data-candidate="${people[0]!.studyId}"]`);
    const notReady = page.locator(`tr[data-candidate="${people[1]!.studyId}"]`);
    await visible(ready.getByText('Ready to randomize'));
    await visible(notReady.getByText('Baseline assessments are incomplete: KOOS, pain NRS, clinical examination.'));
    expect(await notReady.getByRole('button', { name: `Randomize ${people[1]!.studyId}` }).isDisabled()).toBe(true);
    await visible(page.getByText('Published commitment (SHA-256)'));

    await ready.getByRole('button', { name: `Randomize ${people[0]!.studyId}` }).click();
    const dialog = page.getByRole('dialog', { name: `Randomize ${people[0]!.studyId}?` });
    await visible(dialog.getByText('Kellgren–Lawrence grade 3', { exact: false }));
    await dialog.getByRole('button', { name: 'Randomize', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByText(`${people[0]!.studyId} has been randomized.`));
    const result = page.locator('.tp-result');
    expect(await result.locator('[data-field="number"]').textContent()).toBe('R-001');
    kit = (await result.locator('[data-field="kit"]').textContent()) ?? '';
    expect(kit).toMatch(/^K-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(await result.locator('[data-field="time"]').textContent()).toMatch(/\d{4}.*\d{2}:\d{2}/);
    const row = page.locator('tr[data-randomization="R-001"]');
    await visible(row.getByText(kit));
    await visible(row.getByText('Awaiting preparation'));
    expect(await bodyText(page)).not.toMatch(ARM_WORDS);
    await saveScreenshot(page, 'randomization-desktop');
    // The unblinded pages are neither listed nor opened for blinded site staff.
    expect(
      await page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: 'Cell laboratory' })
        .count(),
    ).toBe(0);
    await page.goto('/pharmacy/allocation');
    await visible(h1(page, 'No access'));
    await page.goto('/randomization');
    await visible(h1(page, 'Randomization'));

    // The participant's randomization page: the same facts and the injection still to come.
    await row.getByRole('link', { name: `Open ${people[0]!.studyId}` }).click();
    await visible(h1(page, `Randomization of ${people[0]!.studyId}`));
    await visible(
      page.getByText(`The dose has not been prepared yet: the cell laboratory prepares it for kit ${kit}.`),
    );
    expect(await page.getByRole('button', { name: 'Record injection' }).isDisabled()).toBe(true);
    expect(await bodyText(page)).not.toMatch(ARM_WORDS);

    // 360 px, Danish: no horizontal scroll, still no arm.
    const phone = await study.open('nurse@t.local', '/randomization', { viewport: PHONE_VIEWPORT, mobile: true });
    const p = phone.page;
    await visible(h1(p, 'Randomization'));
    await visible(p.locator('tr[data-randomization="R-001"]').getByText(kit));
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    expect(await smallTargets(p)).toEqual([]);
    await saveScreenshot(p, 'randomization-phone');
    await p.getByRole('button', { name: 'Dansk' }).click();
    await visible(h1(p, 'Randomisering'));
    await visible(p.getByText('Baselineundersøgelserne er ikke færdige', { exact: false }));
    expect(await bodyText(p)).not.toMatch(ARM_WORDS);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width);
    await saveScreenshot(p, 'randomization-phone-da');
    expect(nurse.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });

  it('the unblinded cell laboratory sees the kit ↔ arm map and prepares the dose with its e-signature', async () => {
    arm = (
      await lab.get<{ randomizations: { kit: string; arm: string }[] }>('/api/v1/randomizations')
    ).body.randomizations.find((r) => r.kit === kit)!.arm;
    const cells = arm === 'ADMSC';
    const labPage = await study.open('lab@t.local', '/pharmacy/allocation');
    const page = labPage.page;
    await visible(h1(page, 'Allocation list'));
    await visible(page.getByText('Unblinded area', { exact: false }));
    const slot = page.locator(`tr[data-kit="${kit}"]`);
    await visible(slot.locator(`[data-arm="${arm}"]`).getByText(cells ? 'AD-MSC' : 'Saline', { exact: true }));
    await visible(slot.getByText(people[0]!.studyId));
    await saveScreenshot(page, 'pharmacy-allocation-desktop');

    await page.getByRole('link', { name: 'Dose preparation' }).click();
    await visible(h1(page, 'Dose preparation'));
    const toPrepare = page.locator(`tr[data-kit="${kit}"]`);
    await visible(toPrepare.locator(`[data-arm="${arm}"]`));

    const fillAndSign = async (volume: string): Promise<void> => {
      await toPrepare.getByRole('button', { name: `Prepare dose for ${kit}` }).click();
      const dialog = page.getByRole('dialog', { name: `Prepare the dose for ${kit}` });
      await visible(dialog);
      if (cells) {
        // A failed thaw discards its vial, so the second attempt takes the next one.
        await dialog.getByLabel('Vial', { exact: true }).selectOption({ index: 1 });
        expect(await dialog.getByLabel('Vial', { exact: true }).inputValue()).not.toBe('');
        await dialog.getByLabel('Viable cells (× 10⁶)').fill('20,3');
        await dialog.getByLabel('Viability (%)').fill('91.5');
      } else {
        await dialog.getByLabel('Saline batch').fill('NaCl-B2341');
      }
      await dialog.getByLabel('Volume (mL)').fill(volume);
      await dialog.getByRole('button', { name: 'Continue to signature' }).click();
      const sign = page.getByRole('dialog', { name: 'Dose preparation: electronic signature' });
      await visible(
        sign.getByText(`I prepared and checked the dose for kit ${kit} and confirm this preparation record.`),
      );
      await visible(sign.getByText('Meaning of the signature: responsibility.'));
      await sign.getByLabel('Your password').fill(PASSWORD);
      await sign.getByRole('button', { name: 'Sign', exact: true }).click();
      await sign.waitFor({ state: 'hidden' });
    };

    // A dose outside the volume limits fails the release check, with its reason.
    await fillAndSign('12');
    await visible(
      page.getByText(`The dose for ${kit} failed the release check: volume 12 mL is outside 9.5–10.5 mL.`, {
        exact: false,
      }),
    );
    await visible(page.locator(`tr[data-preparation="${kit}"] [data-passed="false"]`));
    // The second preparation passes; the dose is released with its use-by time.
    await fillAndSign('10');
    await visible(page.getByText(`The dose for ${kit} passed the release check. Use by`, { exact: false }));
    await visible(page.locator(`tr[data-preparation="${kit}"] [data-passed="true"]`));
    expect(await page.locator(`tr[data-kit="${kit}"]`).count()).toBe(0);
    await saveScreenshot(page, 'pharmacy-preparations-desktop');

    // A new lot through the pages: registered in quarantine, vials added, release results that fail
    // the specification are recorded with the e-signature and the lot is rejected with its reasons.
    await page.getByRole('link', { name: 'Lots', exact: true }).click();
    await visible(h1(page, 'Lots'));
    await page.getByRole('button', { name: 'Register lot' }).click();
    const lotDialog = page.getByRole('dialog', { name: 'Register lot' });
    await lotDialog.getByLabel('Lot number').fill('LOT-8');
    await lotDialog.getByLabel('Donor', { exact: true }).selectOption({ label: 'DON-7' });
    await lotDialog.getByLabel('Passage').fill('4');
    await lotDialog.getByLabel('Expiry date').fill('2031-10-01');
    await lotDialog.getByRole('button', { name: 'Register lot' }).click();
    await visible(page.getByText('Lot LOT-8 has been registered (in quarantine until released).'));
    const lot8 = page.locator('tr[data-lot="LOT-8"]');
    await visible(lot8.locator('[data-lot-status="quarantine"]'));
    await lot8.getByRole('button', { name: 'Add vials' }).click();
    const vialDialog = page.getByRole('dialog', { name: 'Add vials to lot LOT-8' });
    await vialDialog.getByLabel('Vial codes').fill('LOT-8-A\nLOT-8-B');
    await vialDialog.getByLabel('Storage location').fill('LN2 tank B');
    await vialDialog.getByRole('button', { name: 'Add vials' }).click();
    await visible(page.getByText('2 vials have been added to lot LOT-8.'));
    await lot8.getByRole('button', { name: 'Record release results' }).click();
    const release = page.getByRole('dialog', { name: 'Release results for lot LOT-8' });
    for (const [label, value] of [
      ['Viability (%)', '88'],
      ['CD73 (%)', '99'],
      ['CD90 (%)', '98'],
      ['CD105 (%)', '91'],
      ['CD45 (%)', '0.5'],
      ['CD34 (%)', '1'],
      ['HLA-DR (%)', '0,2'],
      ['Endotoxin (EU/mL)', '0.1'],
    ] as const) {
      await release.getByLabel(label, { exact: true }).fill(value);
    }
    await release.getByRole('button', { name: 'Continue to signature' }).click();
    const releaseSign = page.getByRole('dialog', { name: 'Lot release: electronic signature' });
    await releaseSign.getByLabel('Your password').fill(PASSWORD);
    await releaseSign.getByRole('button', { name: 'Sign', exact: true }).click();
    await visible(page.getByText('Lot LOT-8 has been rejected: CD105 91 % is below 95 %.'));
    await visible(lot8.locator('[data-lot-status="rejected"]'));
    await saveScreenshot(page, 'pharmacy-lots-desktop');
    await lot8.getByRole('link', { name: 'LOT-8' }).click();
    await visible(h1(page, 'Lot LOT-8'));
    await visible(page.locator('[data-test="cd105Pct"]').getByText('✗ Fail', { exact: false }));
    await visible(page.locator('tr[data-vial="LOT-8-A"]').getByText('LN2 tank B'));
    await page.getByRole('link', { name: 'DON-7' }).first().click();
    await visible(h1(page, 'Donor DON-7'));
    // Donor → participants: only a cell dose comes from a donor (a saline kit has no donor, lot or vial).
    if (cells) await visible(page.locator(`tr[data-recipient="${people[0]!.studyId}"]`).first());
    else await visible(page.getByText('Nobody has received product from here.'));
    await page.getByRole('link', { name: 'Vials', exact: true }).click();
    await visible(h1(page, 'Vials'));
    if (cells) await visible(page.locator('tr[data-vial="LOT-7-B"]').getByText(people[0]!.studyId));
    else await visible(page.locator('tr[data-vial="LOT-7-B"] [data-vial-status="available"]'));
    await page.getByRole('link', { name: 'Donors', exact: true }).click();
    await visible(page.locator('tr[data-donor="DON-7"]'));

    const phone = await study.open('lab@t.local', '/pharmacy', { viewport: PHONE_VIEWPORT, mobile: true });
    await visible(h1(phone.page, 'Dose preparation'));
    await visible(phone.page.locator(`tr[data-preparation="${kit}"]`).first());
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE_VIEWPORT.width,
    );
    expect(await smallTargets(phone.page)).toEqual([]);
    await saveScreenshot(phone.page, 'pharmacy-preparations-phone');
    expect(labPage.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });

  it('the blinded nurse records the injection from the masked syringe; the lab sees the full chain', async () => {
    const nurse = await study.open('nurse@t.local', `/randomization/${people[0]!.id}`);
    const page = nurse.page;
    await visible(h1(page, `Randomization of ${people[0]!.studyId}`));
    await page.getByRole('button', { name: 'Record injection' }).click();
    const dialog = page.getByRole('dialog', { name: `Record the injection of ${people[0]!.studyId}` });
    await dialog.getByLabel('Kit code on the syringe').fill('K-2222-2222');
    await dialog.getByRole('group', { name: 'Knee' }).getByLabel('Right').check();
    await dialog.getByRole('group', { name: 'Ultrasound guided' }).getByLabel('Yes').check();
    await dialog.getByLabel('Injected by').fill('Dr. Injector');
    await dialog.getByRole('button', { name: 'Save injection' }).click();
    await visible(dialog.getByText(`This is not the kit code of ${people[0]!.studyId}. Check the syringe.`));
    await dialog.getByLabel('Kit code on the syringe').fill(kit.toLowerCase());
    await dialog.getByRole('button', { name: 'Save injection' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByText('The injection has been recorded. Day 0 is', { exact: false }));
    await visible(page.locator('[data-administration="administered"]').getByText('right knee', { exact: false }));
    expect(await bodyText(page)).not.toMatch(ARM_WORDS);
    await saveScreenshot(page, 'randomization-participant-desktop');

    const labPage = await study.open('lab@t.local', `/pharmacy/participants/${people[0]!.id}`);
    await visible(h1(labPage.page, `Product chain of ${people[0]!.studyId}`));
    await visible(labPage.page.locator('[data-given="true"]').getByText('This preparation was administered.'));
    await visible(
      labPage.page.locator('[data-administration="administered"]').getByText('Dr. Injector', { exact: false }),
    );
    await saveScreenshot(labPage.page, 'pharmacy-chain-desktop');
    expect(nurse.problems).toEqual([]);
    expect(labPage.problems).toEqual([]);
  });

  it('an investigator performs an emergency unblinding and sees the arm; the other investigator does not', async () => {
    const inv2 = await study.open('inv2@t.local', '/unblinding');
    const page = inv2.page;
    await visible(h1(page, 'Emergency unblinding'));
    await visible(page.getByText('No participant has been unblinded.'));
    await page.getByRole('link', { name: 'Request emergency unblinding' }).click();
    await visible(h1(page, 'Request emergency unblinding'));
    await page
      .getByLabel('Participant', { exact: true })
      .selectOption({ label: `${people[0]!.studyId} · R-001 · kit ${kit}` });
    await page.getByLabel('Medical reason').fill('SAE');
    await page.getByRole('button', { name: 'Continue to signature' }).click();
    await visible(page.getByText('State the medical reason (at least 10 characters).'));
    const reason = 'Suspected septic arthritis; the treating surgeon needs to know whether cells were given';
    await page.getByLabel('Medical reason').fill(reason);
    await page.getByRole('button', { name: 'Continue to signature' }).click();
    const sign = page.getByRole('dialog', { name: 'Emergency unblinding: electronic signature' });
    await visible(
      sign.getByText(
        `I request emergency unblinding of participant ${people[0]!.studyId} (R-001) for the medical reason stated.`,
        {
          exact: false,
        },
      ),
    );
    await sign.getByLabel('Your password').fill('wrong-password');
    await sign.getByRole('button', { name: 'Sign and unblind' }).click();
    await visible(sign.getByText('The password is not correct.'));
    await sign.getByLabel('Your password').fill(PASSWORD);
    await sign.getByRole('button', { name: 'Sign and unblind' }).click();
    await sign.waitFor({ state: 'hidden' });
    const revealed = page.locator('[data-revealed-arm]');
    await visible(revealed.getByText('Confidential: shown to you only.', { exact: false }));
    expect(await revealed.locator('[data-arm]').getAttribute('data-arm')).toBe(arm);
    await visible(
      revealed.getByText(
        arm === 'ADMSC' ? 'AD-MSC: allogeneic adipose-derived mesenchymal stem cells' : 'Saline (placebo)',
      ),
    );
    await saveScreenshot(page, 'unblinding-revealed-desktop');

    // The first investigator sees the log entry (who, when, why) but never the arm.
    const inv = await study.open('inv@t.local', '/unblinding');
    const row = inv.page.locator(`tr[data-unblinding="${people[0]!.studyId}"]`);
    await visible(row.getByText(reason));
    await visible(row.getByText('inv2@t.local'));
    expect(await row.getByRole('link', { name: 'Show the treatment again' }).count()).toBe(0);
    expect(await bodyText(inv.page)).not.toMatch(ARM_WORDS);
    await inv.page.goto(`/randomization/${people[0]!.id}`);
    await visible(inv.page.getByText('This participant has been emergency unblinded', { exact: false }));
    expect(await bodyText(inv.page)).not.toMatch(ARM_WORDS);

    // The requesting investigator can see it again (audited), also on a phone.
    const phone = await study.open('inv2@t.local', '/unblinding', { viewport: PHONE_VIEWPORT, mobile: true });
    await phone.page.getByRole('link', { name: 'Show the treatment again' }).click();
    await visible(
      phone.page.locator('[data-revealed-arm]').getByText('Each time the treatment is shown', { exact: false }),
    );
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE_VIEWPORT.width,
    );
    await saveScreenshot(phone.page, 'unblinding-revealed-phone');
    expect(inv2.problems).toEqual([]);
    expect(inv.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });
});
