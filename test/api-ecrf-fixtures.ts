/**
 * Helpers of the eCRF API tests: the study team's accounts and enrolled participants, made through
 * the real API (screening, identity, consent, sign-off, enrolment).
 */
import { expect } from 'vitest';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer } from './support/server.js';

export interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string; code?: string }[] };
}

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

export const PASSWORDS = {
  nurse: 'nurse-password-123',
  investigator: 'investigator-pw-123',
  monitor: 'monitor-password-123',
  dataManager: 'datamanager-pw-123',
  statistician: 'statistician-pw-123',
  otherNurse: 'other-nurse-pw-123',
} as const;

/** The team: a nurse and an investigator at the site, a monitor, a data manager, a statistician, a nurse at another site. */
export interface Team {
  admin: ApiClient;
  nurse: ApiClient;
  investigator: ApiClient;
  monitor: ApiClient;
  dataManager: ApiClient;
  statistician: ApiClient;
  otherSiteNurse: ApiClient;
}

async function user(
  server: TestServer,
  admin: ApiClient,
  email: string,
  password: string,
  grants: { role: string; siteId: string | null }[],
): Promise<ApiClient> {
  const created = await admin.post('/api/v1/users', { email, displayName: email.split('@')[0], password, grants });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const client = new ApiClient(server.url);
  const login = await client.login(email, password);
  expect(login.status).toBe(200);
  return client;
}

/** Creates the team's accounts (and a second site for the other nurse). */
export async function createTeam(server: TestServer): Promise<Team> {
  const admin = new ApiClient(server.url);
  await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  const site = await admin.post('/api/v1/sites', { code: 'OUH', name: 'Odense University Hospital' });
  expect(site.status, JSON.stringify(site.body)).toBe(201);
  return {
    admin,
    nurse: await user(server, admin, 'nurse@t.local', PASSWORDS.nurse, [{ role: 'coordinator', siteId: 'site-auh' }]),
    investigator: await user(server, admin, 'inv@t.local', PASSWORDS.investigator, [
      { role: 'investigator', siteId: 'site-auh' },
    ]),
    monitor: await user(server, admin, 'monitor@t.local', PASSWORDS.monitor, [{ role: 'monitor', siteId: null }]),
    dataManager: await user(server, admin, 'dm@t.local', PASSWORDS.dataManager, [
      { role: 'data_manager', siteId: null },
    ]),
    statistician: await user(server, admin, 'stat@t.local', PASSWORDS.statistician, [
      { role: 'statistician', siteId: null },
    ]),
    otherSiteNurse: await user(server, admin, 'nurse2@t.local', PASSWORDS.otherNurse, [
      { role: 'coordinator', siteId: 'site-ouh' },
    ]),
  };
}

let serial = 0;

/** Enrols a new participant through the API; returns its id. */
export async function enrolParticipant(team: Team): Promise<{ id: string; studyId: string }> {
  serial += 2;
  const cpr = `120364-${String(1000 + serial).padStart(4, '0')}`;
  const s = await team.nurse.post<{ id: string }>('/api/v1/screenings', { values: ELIGIBLE });
  expect(s.status, JSON.stringify(s.body)).toBe(201);
  const ident = await team.nurse.request('PUT', `/api/v1/screenings/${s.body.id}/identity`, {
    cpr,
    firstName: 'Test',
    lastName: `Person ${serial}`,
  });
  expect(ident.status, JSON.stringify(ident.body)).toBe(200);
  const consent = await team.nurse.post(`/api/v1/screenings/${s.body.id}/consents`, {
    documentVersion: '1.0',
    consentedAt: '2026-09-28T10:00:00+02:00',
    signatureMode: 'paper',
  });
  expect(consent.status, JSON.stringify(consent.body)).toBe(201);
  const signed = await team.investigator.post(`/api/v1/screenings/${s.body.id}/sign-off`, {
    signature: { password: PASSWORDS.investigator },
  });
  expect(signed.status, JSON.stringify(signed.body)).toBe(200);
  const p = await team.nurse.post<{ id: string; studyId: string }>(`/api/v1/screenings/${s.body.id}/enrol`, {});
  expect(p.status, JSON.stringify(p.body)).toBe(201);
  return { id: p.body.id, studyId: p.body.studyId };
}

/** Row counts of the eCRF tables and the audit chain head, to show that a refused write changed nothing. */
export async function ecrfSnapshot(server: TestServer): Promise<Record<string, number>> {
  const db = server.ctx.database.db;
  const tables = [
    'ecrf_visits',
    'form_instances',
    'protocol_deviations',
    'ecrf_queries',
    'ecrf_query_events',
    'ecrf_attachments',
    'ecrf_attachment_links',
    'casebooks',
  ] as const;
  const out: Record<string, number> = {};
  for (const t of tables) {
    const r = await db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  const head = await db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow();
  out.auditSeq = Number(head.last_seq);
  const versions = await db
    .selectFrom('form_instances')
    .select((eb) => eb.fn.sum<number>('version').as('v'))
    .executeTakeFirstOrThrow();
  out.instanceVersions = Number(versions.v ?? 0);
  return out;
}
