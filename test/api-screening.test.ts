/**
 * Screening to enrolment over the real API on both engines: the screening log, live eligibility,
 * investigator sign-off voided by later changes, identity in the encrypted vault (never in clear in
 * the database), consent and re-consent, enrolment, withdrawal, site scoping and bad input.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from './support/server.js';
import { describeEachEngine } from './support/engines.js';

interface ErrorResponse {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}
interface Screening {
  id: string;
  screeningNumber: string;
  status: string;
  values: Record<string, unknown>;
  assessment: {
    eligible: boolean | null;
    unmet: string[];
    excluded: string[];
    missing: string[];
    derived: { age: number | null; bmi: number | null };
  };
  signedOff: unknown;
  consent: { documentVersion: string; status: string } | null;
}
interface Participant {
  id: string;
  studyId: string;
  status: string;
  reconsentRequired: boolean;
  consentVersion: string;
}

/** A record meeting every criterion of spec §3 (a 62-year-old woman). */
export const ELIGIBLE_VALUES = {
  screening_date: '2026-10-01',
  date_of_birth: '1964-03-12',
  sex: 'female',
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
const CPR = '120364-1234';
const NURSE_PW = 'nurse-password-123';
const INV_PW = 'investigator-pw-123';

describeEachEngine('screening, consent and enrolment API', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let nurse: ApiClient;
  let inv: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    admin = new ApiClient(server.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.post('/api/v1/users', {
      email: 'nurse@t.local',
      displayName: 'Nurse',
      password: NURSE_PW,
      grants: [{ role: 'coordinator', siteId: 'site-auh' }],
    });
    await admin.post('/api/v1/users', {
      email: 'inv@t.local',
      displayName: 'Investigator',
      password: INV_PW,
      grants: [{ role: 'investigator', siteId: 'site-auh' }],
    });
    nurse = new ApiClient(server.url);
    await nurse.login('nurse@t.local', NURSE_PW);
    inv = new ApiClient(server.url);
    await inv.login('inv@t.local', INV_PW);
  });
  afterAll(async () => server.close());

  it('takes a person from the screening log to enrolment', async () => {
    const created = await nurse.post<Screening>('/api/v1/screenings', {
      values: { screening_date: '2026-10-01', knee_pain_months: 24 },
    });
    expect(created.status).toBe(201);
    expect(created.body.screeningNumber).toMatch(/^S-\d{4}$/);
    expect(created.body.assessment.eligible).toBeNull();
    expect(created.body.assessment.missing).toContain('kl_grade');

    const id = created.body.id;
    const { date_of_birth: _dob, sex: _sex, ...rest } = ELIGIBLE_VALUES;
    const upd = await nurse.request<Screening>('PATCH', `/api/v1/screenings/${id}/values`, { values: rest });
    expect(upd.status).toBe(200);
    expect(upd.body.assessment.missing).toEqual(['date_of_birth', 'sex']);

    // The identity fills date of birth and sex from the CPR number.
    const ident = await nurse.request<{ dateOfBirth: string; sex: string }>(
      'PUT',
      `/api/v1/screenings/${id}/identity`,
      { cpr: CPR, firstName: 'Karen', lastName: 'Jensen', phone: '+45 12 34 56 78' },
    );
    expect(ident.status, JSON.stringify(ident.body)).toBe(200);
    expect(ident.body).toMatchObject({ dateOfBirth: '1964-03-12', sex: 'female' });
    let s = (await nurse.get<Screening>(`/api/v1/screenings/${id}`)).body;
    expect(s.assessment.eligible).toBe(true);
    expect(s.status).toBe('eligible');
    expect(s.assessment.derived.age).toBe(62);

    // Sign-off needs consent first.
    const early = await inv.post<ErrorResponse>(`/api/v1/screenings/${id}/sign-off`, {
      signature: { password: INV_PW },
    });
    expect(early.status).toBe(409);
    const consent = await nurse.post<Screening>(`/api/v1/screenings/${id}/consents`, {
      documentVersion: '1.0',
      consentedAt: '2026-09-28T10:00:00+02:00',
      signatureMode: 'paper',
    });
    expect(consent.status).toBe(201);
    expect(consent.body.consent).toMatchObject({ documentVersion: '1.0', status: 'active' });

    // Only investigators sign off, and with their own password.
    expect((await nurse.post(`/api/v1/screenings/${id}/sign-off`, { signature: { password: NURSE_PW } })).status).toBe(
      403,
    );
    const wrongPw = await inv.post<ErrorResponse>(`/api/v1/screenings/${id}/sign-off`, {
      signature: { password: 'nope' },
    });
    expect(wrongPw.status).toBe(400);
    expect(wrongPw.body.error.details[0]?.path).toBe('signature.password');
    const signed = await inv.post<Screening>(`/api/v1/screenings/${id}/sign-off`, { signature: { password: INV_PW } });
    expect(signed.status).toBe(200);
    expect(signed.body.signedOff).not.toBeNull();

    // A change after sign-off needs a reason and voids the sign-off.
    const noReason = await nurse.request<ErrorResponse>('PATCH', `/api/v1/screenings/${id}/values`, {
      values: { weight_kg: 81 },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0]?.path).toBe('reason');
    const withReason = await nurse.request<Screening>('PATCH', `/api/v1/screenings/${id}/values`, {
      values: { weight_kg: 81 },
      reason: 'transcription error',
    });
    expect(withReason.body.signedOff).toBeNull();
    const notYet = await nurse.post<ErrorResponse>(`/api/v1/screenings/${id}/enrol`, {});
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.details.map((d) => d.path)).toContain('signOff');
    await inv.post(`/api/v1/screenings/${id}/sign-off`, { signature: { password: INV_PW } });

    const enrolled = await nurse.post<Participant>(`/api/v1/screenings/${id}/enrol`, {});
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.studyId).toBe('SJ-001');
    s = (await nurse.get<Screening>(`/api/v1/screenings/${id}`)).body;
    expect(s.status).toBe('enrolled');

    // The same person cannot be enrolled twice.
    const twin = await nurse.post<Screening>('/api/v1/screenings', { values: ELIGIBLE_VALUES });
    const dup = await nurse.request<ErrorResponse>('PUT', `/api/v1/screenings/${twin.body.id}/identity`, {
      cpr: '1203641234',
      firstName: 'Karen',
      lastName: 'Jensen',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.details[0]?.path).toBe('cpr');

    // A new consent version: the participant needs re-consent, then has it.
    expect(
      (await admin.post('/api/v1/consent-versions', { version: '2.0', title: 'Amendment 1', issuedAt: '2026-10-05' }))
        .status,
    ).toBe(201);
    let p = (await nurse.get<Participant>(`/api/v1/participants/${enrolled.body.id}`)).body;
    expect(p.reconsentRequired).toBe(true);
    await nurse.post(`/api/v1/screenings/${id}/consents`, {
      documentVersion: '2.0',
      consentedAt: '2026-10-06T09:00:00Z',
      signatureMode: 'electronic',
    });
    p = (await nurse.get<Participant>(`/api/v1/participants/${enrolled.body.id}`)).body;
    expect(p).toMatchObject({ reconsentRequired: false, consentVersion: '2.0' });

    // Withdrawal keeps the data.
    const w = await nurse.post<Participant>(`/api/v1/participants/${enrolled.body.id}/withdraw`, {
      scope: 'no_further_visits',
      reason: 'moved abroad',
      withdrawnOn: '2026-10-10',
    });
    expect(w.status).toBe(200);
    expect(w.body.status).toBe('withdrawn');
    expect((await nurse.get<Screening>(`/api/v1/screenings/${id}`)).body.values.kl_grade).toBe(3);
  });

  it('identity is encrypted at rest, site staff only, and every view is audited', async () => {
    const rows = await server.ctx.database.db.selectFrom('identities').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    const dumpTables = ['identities', 'screenings', 'participants', 'audit_log', 'consents'] as const;
    for (const t of dumpTables) {
      const all = JSON.stringify(await server.ctx.database.db.selectFrom(t).selectAll().execute());
      expect(all, t).not.toContain('1203641234');
      expect(all, t).not.toContain('120364-1234');
      expect(all, t).not.toContain('Jensen');
    }
    const list = (await nurse.get<{ screenings: Screening[] }>('/api/v1/screenings')).body.screenings;
    const withIdentity = list[0]!;
    const view = await inv.get<{ cpr: string; lastName: string }>(`/api/v1/screenings/${withIdentity.id}/identity`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ cpr: '1203641234', lastName: 'Jensen' });
    const audit = (await admin.get<{ records: { action: string }[] }>(`/api/v1/audit?entityId=${withIdentity.id}`)).body
      .records;
    expect(audit.map((r) => r.action)).toContain('identity.viewed');
    await admin.post('/api/v1/users', {
      email: 'mon@t.local',
      displayName: 'Monitor',
      password: 'monitor-pw-1234',
      grants: [{ role: 'monitor', siteId: null }],
    });
    const mon = new ApiClient(server.url);
    await mon.login('mon@t.local', 'monitor-pw-1234');
    expect((await mon.get(`/api/v1/screenings/${withIdentity.id}/identity`)).status).toBe(403);
    expect((await mon.get(`/api/v1/screenings/${withIdentity.id}`)).status).toBe(200);
  });

  it('records declines and failures for the CONSORT counts', async () => {
    const a = await nurse.post<Screening>('/api/v1/screenings', {
      values: { ...ELIGIBLE_VALUES, kl_grade: 4, date_of_birth: '1990-01-01' },
    });
    expect(a.body.status).toBe('ineligible');
    expect(a.body.assessment.unmet).toEqual(['IC1', 'IC3']);
    expect(a.body.assessment.excluded).toEqual(['EC1']);
    const b = await nurse.post<Screening>('/api/v1/screenings', { values: {} });
    expect(
      (
        await nurse.post(`/api/v1/screenings/${b.body.id}/outcome`, {
          outcome: 'declined',
          reason: 'did not want an injection',
        })
      ).status,
    ).toBe(200);
    const closed = await nurse.request<ErrorResponse>('PATCH', `/api/v1/screenings/${b.body.id}/values`, {
      values: { nrs_worst: 5 },
    });
    expect(closed.status).toBe(409);
    const summary = (
      await nurse.get<{ screened: number; byStatus: Record<string, number>; byCriterion: Record<string, number> }>(
        '/api/v1/screenings/summary',
      )
    ).body;
    expect(summary.byStatus.declined).toBe(1);
    expect(summary.byStatus.enrolled).toBe(1);
    expect(summary.byCriterion.EC1).toBe(1);
    expect(summary.byCriterion.IC1).toBe(1);
    expect(Object.values(summary.byStatus).reduce((x, y) => x + y, 0)).toBe(summary.screened);
  });

  it('bad screening input gets field-level errors and stores nothing', async () => {
    const before = (await server.ctx.database.db.selectFrom('screenings').select('id').execute()).length;
    const head = async (): Promise<number> =>
      Number(
        (await server.ctx.database.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq,
      );
    const seq = await head();
    const bad = await nurse.post<ErrorResponse>('/api/v1/screenings', {
      values: { screening_date: '2023-02-30', kl_grade: 'three', nrs_worst: 11, foo: 1, cpr: '0101' },
    });
    expect(bad.status).toBe(400);
    const cprFirst = await nurse.post<ErrorResponse>('/api/v1/screenings', { values: { cpr: '120364-1234' } });
    expect(cprFirst.body.error.details[0]?.path).toBe('values.cpr');
    const bad2 = await nurse.post<ErrorResponse>('/api/v1/screenings', {
      values: { screening_date: '2023-02-30', kl_grade: 'three', nrs_worst: 11, foo: 1 },
    });
    expect(bad2.body.error.details.map((d) => d.path).sort()).toEqual([
      'values.foo',
      'values.kl_grade',
      'values.nrs_worst',
      'values.screening_date',
    ]);
    const s = (await nurse.post<Screening>('/api/v1/screenings', {})).body;
    const seq2 = await head();
    const badCpr = await nurse.request<ErrorResponse>('PUT', `/api/v1/screenings/${s.id}/identity`, {
      cpr: '310299-1234',
      firstName: 'A',
      lastName: 'B',
    });
    expect(badCpr.status).toBe(400);
    expect(badCpr.body.error.details[0]?.path).toBe('cpr');
    const badConsent = await nurse.post<ErrorResponse>(`/api/v1/screenings/${s.id}/consents`, {
      documentVersion: '9.9',
      consentedAt: 'yesterday',
      signatureMode: 'smoke',
    });
    expect(badConsent.status).toBe(400);
    expect(badConsent.body.error.details.map((d) => d.path).sort()).toEqual(['body.consentedAt', 'body.signatureMode']);
    expect(await head()).toBe(seq2);
    expect((await server.ctx.database.db.selectFrom('screenings').select('id').execute()).length).toBe(before + 1);
    expect(seq2).toBe(seq + 1);
  });

  it('site staff see only their sites', async () => {
    expect((await admin.post('/api/v1/sites', { code: 'OUH', name: 'Odense University Hospital' })).status).toBe(201);
    await admin.post('/api/v1/users', {
      email: 'ouh@t.local',
      displayName: 'Odense nurse',
      password: 'odense-password',
      grants: [{ role: 'coordinator', siteId: 'site-ouh' }],
    });
    const other = new ApiClient(server.url);
    await other.login('ouh@t.local', 'odense-password');
    expect((await other.get<{ screenings: unknown[] }>('/api/v1/screenings')).body.screenings).toEqual([]);
    const mine = (await nurse.get<{ screenings: Screening[] }>('/api/v1/screenings')).body.screenings[0]!;
    expect((await other.get(`/api/v1/screenings/${mine.id}`)).status).toBe(403);
    expect((await other.post('/api/v1/screenings', { siteId: 'site-auh' })).status).toBe(403);
  });
});
