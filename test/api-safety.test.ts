/**
 * Adverse events and safety reporting over the real API on both engines: recording and following
 * up AEs (versions with reasons, queries), bad input refused field by field with nothing stored, SAE
 * cases and the 24-hour clock at its boundary across daylight saving, the sponsor's separate
 * assessment that never overwrites the investigator's, SUSAR classification gated by per-case
 * unblinding, review tasks, the blinding of the safety tables, the extract and the report.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enrolParticipant,
  createScreening,
  recordConsent,
  setIdentity,
  signOffEligibility,
} from '../src/services/screening.js';
import { actorForEmail } from '../src/services/users.js';
import { scanSafetyDeadlines } from '../src/services/safety-notifications.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from './support/server.js';
import { describeEachEngine } from './support/engines.js';

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string; code?: string }[] };
}
interface Deadline {
  kind: string;
  due: string;
  dueLocal: string;
  status: string;
  metAt: string | null;
}
interface Case {
  id: string;
  caseNumber: string;
  status: string;
  deadlines: Deadline[];
  submissions: { kind: string; occurredAt: string }[];
  susarVisible: boolean;
  susarAssessment: { susar: boolean | null } | null;
  susarCandidate: boolean;
}
interface Ae {
  id: string;
  aeNumber: string;
  version: number;
  serious: boolean;
  caseId: string | null;
  investigatorCausality: { cellProduct: string; procedure: string } | null;
  sponsorAssessment: {
    causality: { cellProduct: string; procedure: string };
    expectedness: string;
    rsiVersion: string;
  } | null;
  reportableCausality: string;
  openQueries: number;
  versions: { version: number; kind: string; reason: string | null; changedFields: string[] }[];
  queries: { id: string; rule: string; status: string }[];
  reviewTaskId: string | null;
}

const PW = 'safety-password-123';
const SCREENING = {
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

const NOT_SERIOUS = {
  death: false,
  lifeThreatening: false,
  hospitalisation: false,
  disability: false,
  congenitalAnomaly: false,
  importantMedicalEvent: false,
};

/** A valid, non-serious, resolved local event. */
const ae = (participantId: string, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  participantId,
  verbatimTerm: 'Pain at the injection site',
  onsetDate: '2026-10-20',
  endDate: '2026-10-23',
  grade: 1,
  seriousness: NOT_SERIOUS,
  localToIndexKnee: true,
  actionTaken: ['none'],
  outcome: 'recovered',
  siteAwarenessAt: '2026-10-21T09:00:00+02:00',
  ...over,
});

/** Enrols participants through the real services (screening → identity → consent → sign-off → enrolment). */
async function enrol(server: TestServer, n: number): Promise<string[]> {
  const nurse = await actorForEmail(server.ctx.database.db, 'nurse@t.local');
  const inv = await actorForEmail(server.ctx.database.db, 'inv@t.local');
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = await createScreening(server.ctx, nurse, { values: SCREENING });
    await setIdentity(server.ctx, nurse, s.id, {
      cpr: `120364-12${String(10 + i)}`,
      firstName: 'Test',
      lastName: `Person ${i}`,
    });
    await recordConsent(server.ctx, nurse, s.id, {
      documentVersion: '1.0',
      consentedAt: '2026-09-28T08:00:00.000Z',
      signatureMode: 'paper',
    });
    await signOffEligibility(server.ctx, inv, s.id, { password: PW });
    ids.push((await enrolParticipant(server.ctx, nurse, s.id)).id);
  }
  return ids;
}

describeEachEngine('adverse events and safety reporting API', (engine) => {
  let server: TestServer;
  const client: Record<string, ApiClient> = {};
  let participants: string[] = [];

  const counts = async (): Promise<{ aes: number; auditSeq: number; cases: number }> => {
    const db = server.ctx.database.db;
    const aes = await db
      .selectFrom('adverse_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const cases = await db
      .selectFrom('sae_cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const head = await db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow();
    return { aes: Number(aes.n), auditSeq: Number(head.last_seq), cases: Number(cases.n) };
  };

  beforeAll(async () => {
    server = await startTestServer(engine);
    const admin = new ApiClient(server.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    client.admin = admin;
    const users: [string, string, string | null][] = [
      ['nurse', 'coordinator', 'site-auh'],
      ['inv', 'investigator', 'site-auh'],
      ['phys', 'data_manager', null],
      ['dm', 'data_manager', null],
      ['dsmb', 'dsmb', null],
      ['stat', 'statistician', null],
      ['monitor', 'monitor', null],
    ];
    for (const [name, role, siteId] of users) {
      const r = await admin.post('/api/v1/users', {
        email: `${name}@t.local`,
        displayName: name,
        password: PW,
        grants: [{ role, siteId }],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      client[name] = new ApiClient(server.url);
      await client[name].login(`${name}@t.local`, PW);
    }
    const d = await admin.post('/api/v1/safety/physicians', {
      email: 'phys@t.local',
      reason: 'Sponsor safety physician per the safety management plan',
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    participants = await enrol(server, 4);
  });
  afterAll(async () => server.close());

  it('records an AE, keeps every version with its reason, and raises and resolves queries', async () => {
    const created = await client.nurse!.post<Ae>(
      '/api/v1/safety/adverse-events',
      ae(participants[0]!, { endDate: null }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.aeNumber).toMatch(/^AE-\d{4}$/);
    expect(created.body.version).toBe(1);
    expect(created.body.serious).toBe(false);
    expect(created.body.caseId).toBeNull();
    expect(created.body.reportableCausality).toBe('pending');
    expect(created.body.queries.map((q) => [q.rule, q.status])).toEqual([['recovered_without_end_date', 'open']]);
    const id = created.body.id;

    // The investigator's causality is the investigator's: a nurse may not record it.
    const nurseCausality = await client.nurse!.request<ErrorBody>('PATCH', `/api/v1/safety/adverse-events/${id}`, {
      changes: { investigatorCausality: { cellProduct: 'related', procedure: 'related' } },
      reason: 'assessed',
    });
    expect(nurseCausality.status).toBe(403);
    const noReason = await client.inv!.request<ErrorBody>('PATCH', `/api/v1/safety/adverse-events/${id}`, {
      changes: { endDate: '2026-10-23' },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details.map((d) => d.path)).toEqual(['body.reason']);

    const v2 = await client.inv!.request<Ae>('PATCH', `/api/v1/safety/adverse-events/${id}`, {
      changes: { endDate: '2026-10-23', investigatorCausality: { cellProduct: 'related', procedure: 'related' } },
      reason: 'Follow-up call: resolved on 23 October; causality assessed',
    });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    expect(v2.body.version).toBe(2);
    expect(v2.body.reportableCausality).toBe('related');
    expect(v2.body.versions.map((v) => [v.version, v.kind, v.reason])).toEqual([
      [1, 'initial', null],
      [2, 'follow_up', 'Follow-up call: resolved on 23 October; causality assessed'],
    ]);
    expect(v2.body.versions[1]!.changedFields.sort()).toEqual(['endDate', 'investigatorCausality']);
    expect(v2.body.queries.map((q) => [q.rule, q.status])).toEqual([['recovered_without_end_date', 'resolved']]);
    expect(v2.body.openQueries).toBe(0);

    // Every change is in the audit trail.
    const audit = await client.admin!.get<{ records: { action: string; reason: string | null }[] }>(
      `/api/v1/audit?entityType=adverse_event&entityId=${id}`,
    );
    expect(audit.body.records.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'adverse_event.created',
        'adverse_event.updated',
        'safety_query.raised',
        'safety_query.resolved',
      ]),
    );
  });

  it('refuses bad input with field-level errors and stores nothing', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ endDate: '2026-10-19' }, 'endDate'],
      [{ onsetDate: '2026-10', endDate: '2026-09-30' }, 'endDate'],
      [{ grade: 6 }, 'body.grade'],
      [{ grade: 0 }, 'body.grade'],
      [{ grade: 2.5 }, 'body.grade'],
      [
        { investigatorCausality: { cellProduct: 'possibly', procedure: 'related' } },
        'body.investigatorCausality.cellProduct',
      ],
      [{ outcome: 'better' }, 'body.outcome'],
      [{ grade: 5, outcome: 'fatal', endDate: '2026-10-22' }, 'seriousness.death'],
      [{ onsetDate: '2026-02-30' }, 'body.onsetDate'],
      [{ siteAwarenessAt: '2026-10-21T09:00:00' }, 'body.siteAwarenessAt'],
      [{ actionTaken: ['none', 'medication'] }, 'actionTaken'],
      [{ meddra: { version: '27.1' } }, 'body.meddra.lltCode'],
    ];
    for (const [over, path] of cases) {
      const r = await client.inv!.post<ErrorBody>('/api/v1/safety/adverse-events', ae(participants[0]!, over));
      expect(r.status, `${JSON.stringify(over)} → ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(
        r.body.error.details.map((d) => d.path),
        JSON.stringify(over),
      ).toContain(path);
    }
    // An unknown member is refused (the shared route layer reports it on `body`, naming the key).
    const extra = await client.inv!.post<ErrorBody>(
      '/api/v1/safety/adverse-events',
      ae(participants[0]!, { colour: 'red' }),
    );
    expect(extra.status).toBe(400);
    expect(extra.body.error.details).toEqual([
      expect.objectContaining({ path: 'body.colour', message: expect.stringContaining('colour') }),
    ]);
    // A follow-up that would put the end before the onset is refused too, field by field.
    const ok = await client.inv!.post<Ae>('/api/v1/safety/adverse-events', ae(participants[0]!));
    const mid = await counts();
    const bad = await client.inv!.request<ErrorBody>('PATCH', `/api/v1/safety/adverse-events/${ok.body.id}`, {
      changes: { endDate: '2026-10-01', grade: 7 },
      reason: 'typo',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path)).toEqual(['body.changes.grade']);
    const bad2 = await client.inv!.request<ErrorBody>('PATCH', `/api/v1/safety/adverse-events/${ok.body.id}`, {
      changes: { endDate: '2026-10-01' },
      reason: 'typo',
    });
    expect(bad2.status).toBe(400);
    expect(bad2.body.error.details.map((d) => d.path)).toEqual(['changes.endDate']);
    expect(await counts()).toEqual(mid);
    expect(mid.aes).toBe(before.aes + 1);
    const still = await client.inv!.get<Ae>(`/api/v1/safety/adverse-events/${ok.body.id}`);
    expect(still.body.version).toBe(1);
  });

  it('opens an SAE case with the 24-hour clock; a report at exactly 24 h across the DST change is on time, one second later is late', async () => {
    const outboxBefore = await server.ctx.database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('kind', '=', 'safety.sae_case_opened')
      .executeTakeFirstOrThrow();
    const mk = async (): Promise<Ae> => {
      const r = await client.inv!.post<Ae>(
        '/api/v1/safety/adverse-events',
        ae(participants[1]!, {
          verbatimTerm: 'Septic arthritis of the index knee',
          onsetDate: '2026-03-27',
          endDate: null,
          grade: 3,
          seriousness: { ...NOT_SERIOUS, hospitalisation: true },
          investigatorCausality: { cellProduct: 'not_related', procedure: 'related' },
          actionTaken: ['hospitalisation', 'joint_aspiration'],
          outcome: 'recovering',
          // Saturday before the spring change: 24 elapsed hours later the clock reads 13:00 CEST.
          siteAwarenessAt: '2026-03-28T12:00:00+01:00',
        }),
      );
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.serious).toBe(true);
      expect(r.body.caseId).not.toBeNull();
      return r.body;
    };
    const onTime = await mk();
    const c = await client.nurse!.get<Case>(`/api/v1/safety/cases/${onTime.caseId}`);
    expect(c.body.caseNumber).toMatch(/^SAE-\d{4}$/);
    expect(c.body.deadlines).toEqual([
      {
        kind: 'sponsor_report',
        label: expect.any(String),
        due: '2026-03-29T11:00:00.000Z',
        dueLocal: '2026-03-29T13:00:00+02:00',
        status: 'overdue',
        metAt: null,
      },
    ]);
    const exact = await client.nurse!.post<Case>(`/api/v1/safety/cases/${onTime.caseId}/site-reports`, {
      kind: 'investigator_initial_report',
      occurredAt: '2026-03-29T13:00:00+02:00',
      reference: 'fax 17',
    });
    expect(exact.status, JSON.stringify(exact.body)).toBe(201);
    expect(exact.body.deadlines[0]).toMatchObject({ status: 'met', metAt: '2026-03-29T11:00:00.000Z' });
    const again = await client.nurse!.post<ErrorBody>(`/api/v1/safety/cases/${onTime.caseId}/site-reports`, {
      kind: 'investigator_initial_report',
    });
    expect(again.status).toBe(409);

    const late = await mk();
    const lateCase = await client.inv!.post<Case>(`/api/v1/safety/cases/${late.caseId}/site-reports`, {
      kind: 'investigator_initial_report',
      occurredAt: '2026-03-29T13:00:01+02:00',
    });
    expect(lateCase.body.deadlines[0]!.status).toBe('met_late');

    // Bad submissions: before awareness, in the future, a sponsor kind on the site route.
    const early = await client.inv!.post<ErrorBody>(`/api/v1/safety/cases/${late.caseId}/site-reports`, {
      kind: 'investigator_follow_up_report',
      occurredAt: '2026-03-28T11:59:59+01:00',
    });
    expect(early.status).toBe(400);
    expect(early.body.error.details[0]!.path).toBe('occurredAt');
    const future = await client.inv!.post<ErrorBody>(`/api/v1/safety/cases/${late.caseId}/site-reports`, {
      kind: 'investigator_follow_up_report',
      occurredAt: '2099-01-01T00:00:00Z',
    });
    expect(future.status).toBe(400);
    expect(
      (await client.inv!.post(`/api/v1/safety/cases/${late.caseId}/site-reports`, { kind: 'sponsor_acknowledgement' }))
        .status,
    ).toBe(400);
    expect(
      (
        await client.inv!.post(`/api/v1/safety/cases/${late.caseId}/sponsor-submissions`, {
          kind: 'sponsor_acknowledgement',
        })
      ).status,
    ).toBe(403);

    // The case opening was announced to the site's investigator and the sponsor's physician.
    const opened = await server.ctx.database.db
      .selectFrom('outbox')
      .select(['recipient', 'payload_json'])
      .where('kind', '=', 'safety.sae_case_opened')
      .execute();
    expect(opened.length - Number(outboxBefore.n)).toBe(4);
    expect(new Set(opened.map((o) => o.recipient))).toEqual(new Set(['inv@t.local', 'phys@t.local']));
    for (const o of opened) expect(o.payload_json).not.toMatch(/ADMSC|SALINE|"arm"/);
  });

  it('opens the case when a follow-up makes the event serious; downgrades and nullifies it', async () => {
    const created = await client.nurse!.post<Ae>(
      '/api/v1/safety/adverse-events',
      ae(participants[0]!, {
        verbatimTerm: 'Knee effusion',
        onsetDate: '2026-10-24',
        endDate: null,
        grade: 2,
        outcome: 'recovering',
        actionTaken: ['medication'],
        siteAwarenessAt: '2026-10-24T10:00:00+02:00',
      }),
    );
    expect(created.body.caseId).toBeNull();
    const misplaced = await client.nurse!.request<ErrorBody>(
      'PATCH',
      `/api/v1/safety/adverse-events/${created.body.id}`,
      { changes: { grade: 3 }, reason: 'worse', seriousAwarenessAt: '2026-10-26T08:00:00+01:00' },
    );
    expect(misplaced.status).toBe(400);
    expect(misplaced.body.error.details.map((d) => d.path)).toEqual(['seriousAwarenessAt']);
    const serious = await client.nurse!.request<Ae>('PATCH', `/api/v1/safety/adverse-events/${created.body.id}`, {
      changes: {
        grade: 3,
        seriousness: { ...NOT_SERIOUS, hospitalisation: true },
        actionTaken: ['hospitalisation', 'joint_aspiration'],
      },
      reason: 'Admitted for aspiration and observation',
      seriousAwarenessAt: '2026-10-26T08:00:00+01:00',
    });
    expect(serious.status, JSON.stringify(serious.body)).toBe(200);
    expect(serious.body.caseId).not.toBeNull();
    const c = await client.inv!.get<Case>(`/api/v1/safety/cases/${serious.body.caseId}`);
    expect(c.body.deadlines[0]).toMatchObject({ dueLocal: '2026-10-27T08:00:00+01:00' });
    const down = await client.inv!.request<Ae>('PATCH', `/api/v1/safety/adverse-events/${created.body.id}`, {
      changes: { seriousness: NOT_SERIOUS, actionTaken: ['joint_aspiration'] },
      reason: 'Day-case aspiration, not an admission',
    });
    expect(down.status, JSON.stringify(down.body)).toBe(200);
    expect((await client.inv!.get<Case>(`/api/v1/safety/cases/${serious.body.caseId}`)).body.status).toBe('downgraded');
    const again = await client.inv!.request<Ae>('PATCH', `/api/v1/safety/adverse-events/${created.body.id}`, {
      changes: { seriousness: { ...NOT_SERIOUS, importantMedicalEvent: true } },
      reason: 'Judged medically important after all',
    });
    expect(again.body.caseId).toBe(serious.body.caseId);
    expect((await client.inv!.get<Case>(`/api/v1/safety/cases/${serious.body.caseId}`)).body.status).toBe('open');
    const eie = await client.nurse!.post<Ae & { status: string }>(
      `/api/v1/safety/adverse-events/${created.body.id}/entered-in-error`,
      { reason: 'Recorded for the wrong participant' },
    );
    expect(eie.body.status).toBe('entered_in_error');
    expect((await client.inv!.get<Case>(`/api/v1/safety/cases/${serious.body.caseId}`)).body.status).toBe('nullified');
    expect(
      (
        await client.nurse!.request('PATCH', `/api/v1/safety/adverse-events/${created.body.id}`, {
          changes: { grade: 1 },
          reason: 'x',
        })
      ).status,
    ).toBe(409);
    const listed = await client.nurse!.get<{ adverseEvents: { id: string }[] }>('/api/v1/safety/adverse-events');
    expect(listed.body.adverseEvents.map((a) => a.id)).not.toContain(created.body.id);
  });

  it('shows due and overdue clocks on the dashboard and notifies each level once', async () => {
    const now = Date.now();
    const aware = new Date(now - 23 * 3_600_000).toISOString();
    const r = await client.inv!.post<Ae>(
      '/api/v1/safety/adverse-events',
      ae(participants[2]!, {
        verbatimTerm: 'Pulmonary embolism',
        onsetDate: aware.slice(0, 10),
        endDate: null,
        grade: 4,
        seriousness: { ...NOT_SERIOUS, lifeThreatening: true, hospitalisation: true },
        investigatorCausality: { cellProduct: 'related', procedure: 'not_related' },
        actionTaken: ['hospitalisation', 'medication'],
        outcome: 'recovering',
        siteAwarenessAt: aware,
      }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const dash = await client.nurse!.get<{
      counts: { overdue: number; dueSoon: number };
      deadlines: (Deadline & { caseId: string })[];
    }>('/api/v1/safety/dashboard');
    expect(dash.status).toBe(200);
    const line = dash.body.deadlines.find((d) => d.caseId === r.body.caseId)!;
    expect(line.status).toBe('due_soon');
    expect(dash.body.counts.dueSoon).toBeGreaterThanOrEqual(1);
    // The overdue case of the previous test without a report is not there (both are reported); this one is.
    expect(dash.body.deadlines.every((d) => d.kind === 'sponsor_report')).toBe(true);

    const first = await scanSafetyDeadlines(server.ctx, new Date(now));
    expect(first.notified.filter((n) => n.level === 'near').map((n) => n.deadline)).toEqual(['sponsor_report']);
    expect((await scanSafetyDeadlines(server.ctx, new Date(now))).notified).toEqual([]);
    const later = await scanSafetyDeadlines(server.ctx, new Date(now + 2 * 3_600_000));
    expect(later.notified.map((n) => [n.deadline, n.level])).toEqual([['sponsor_report', 'overdue']]);
    expect((await scanSafetyDeadlines(server.ctx, new Date(now + 3 * 3_600_000))).notified).toEqual([]);
    const scan = await client.dm!.post<{ notified: unknown[] }>('/api/v1/safety/deadline-scan');
    expect(scan.status).toBe(200);
    expect((await client.nurse!.post('/api/v1/safety/deadline-scan')).status).toBe(403);
  });

  it('keeps the sponsor assessment apart: the sponsor can never overwrite the investigator', async () => {
    const created = await client.inv!.post<Ae>(
      '/api/v1/safety/adverse-events',
      ae(participants[3]!, {
        verbatimTerm: 'Acute synovitis with effusion',
        onsetDate: '2026-10-22',
        endDate: null,
        grade: 3,
        seriousness: { ...NOT_SERIOUS, hospitalisation: true },
        investigatorCausality: { cellProduct: 'related', procedure: 'related' },
        actionTaken: ['hospitalisation', 'joint_aspiration'],
        outcome: 'recovering',
        siteAwarenessAt: '2026-10-23T07:30:00+02:00',
      }),
    );
    const id = created.body.id;
    expect(
      (
        await client.phys!.post('/api/v1/safety/rsi-versions', {
          version: 'IB-3.0-7.2',
          title: 'Investigator brochure 3.0, section 7.2',
          effectiveFrom: '2026-01-01',
        })
      ).status,
    ).toBe(201);
    const assessment = {
      causality: { cellProduct: 'not_related', procedure: 'not_related' },
      expectedness: 'unexpected',
      rsiVersion: 'IB-3.0-7.2',
    };
    // Only designated physicians; and the body has no place for the investigator's fields.
    expect(
      (await client.dm!.request('PUT', `/api/v1/safety/adverse-events/${id}/sponsor-assessment`, assessment)).status,
    ).toBe(403);
    expect(
      (await client.inv!.request('PUT', `/api/v1/safety/adverse-events/${id}/sponsor-assessment`, assessment)).status,
    ).toBe(403);
    const smuggle = await client.phys!.request<ErrorBody>(
      'PUT',
      `/api/v1/safety/adverse-events/${id}/sponsor-assessment`,
      { ...assessment, investigatorCausality: { cellProduct: 'not_related', procedure: 'not_related' } },
    );
    expect(smuggle.status).toBe(400);
    expect(smuggle.body.error.details).toEqual([
      expect.objectContaining({
        path: 'body.investigatorCausality',
        message: expect.stringContaining('investigatorCausality'),
      }),
    ]);
    expect(
      (
        await client.phys!.request('PATCH', `/api/v1/safety/adverse-events/${id}`, {
          changes: { investigatorCausality: { cellProduct: 'not_related', procedure: 'not_related' } },
          reason: 'sponsor view',
        })
      ).status,
    ).toBe(403);
    const unknownRsi = await client.phys!.request<ErrorBody>(
      'PUT',
      `/api/v1/safety/adverse-events/${id}/sponsor-assessment`,
      { ...assessment, rsiVersion: 'IB-9' },
    );
    expect(unknownRsi.body.error.details[0]!.path).toBe('rsiVersion');

    const assessed = await client.phys!.request<Ae>(
      'PUT',
      `/api/v1/safety/adverse-events/${id}/sponsor-assessment`,
      assessment,
    );
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    expect(assessed.body.investigatorCausality).toEqual({ cellProduct: 'related', procedure: 'related' });
    expect(assessed.body.sponsorAssessment).toMatchObject(assessment);
    expect(assessed.body.reportableCausality).toBe('related');
    expect(assessed.body.versions.at(-1)).toMatchObject({
      kind: 'sponsor_assessment',
      changedFields: ['sponsorAssessment'],
    });
    const noReason = await client.phys!.request<ErrorBody>(
      'PUT',
      `/api/v1/safety/adverse-events/${id}/sponsor-assessment`,
      { ...assessment, expectedness: 'expected' },
    );
    expect(noReason.body.error.details[0]!.path).toBe('reason');
    // A later investigator follow-up leaves the sponsor's assessment as it was.
    const follow = await client.inv!.request<Ae>('PATCH', `/api/v1/safety/adverse-events/${id}`, {
      changes: { grade: 2 },
      reason: 'regraded after review',
    });
    expect(follow.body.sponsorAssessment).toMatchObject(assessment);
    expect(follow.body.investigatorCausality).toEqual({ cellProduct: 'related', procedure: 'related' });

    // SUSAR: hidden from the site; classification as SUSAR needs the per-case unblinding and a known arm.
    const siteView = await client.nurse!.get<Case>(`/api/v1/safety/cases/${created.body.caseId}`);
    expect(siteView.body.susarVisible).toBe(false);
    expect(siteView.body.susarAssessment).toBeNull();
    const physView = await client.phys!.get<Case>(`/api/v1/safety/cases/${created.body.caseId}`);
    expect(physView.body.susarVisible).toBe(true);
    expect(physView.body.susarCandidate).toBe(true);
    const tooEarly = await client.phys!.post<ErrorBody>(
      `/api/v1/safety/cases/${created.body.caseId}/susar-classification`,
      { susar: true, rationale: 'unexpected and related' },
    );
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.details.map((d) => d.path)).toContain('unblinding');
    expect(
      (
        await client.dm!.post(`/api/v1/safety/cases/${created.body.caseId}/unblind`, {
          reason: 'SUSAR assessment',
          signature: { password: PW },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await client.phys!.post(`/api/v1/safety/cases/${created.body.caseId}/unblind`, {
          reason: 'SUSAR assessment',
          signature: { password: 'wrong' },
        })
      ).status,
    ).toBe(400);
    const unblind = await client.phys!.post<{ arm: string | null; caseNumber: string }>(
      `/api/v1/safety/cases/${created.body.caseId}/unblind`,
      { reason: 'SUSAR assessment', signature: { password: PW } },
    );
    expect(unblind.status, JSON.stringify(unblind.body)).toBe(200);
    expect('arm' in unblind.body).toBe(true);
    expect((await client.dm!.get(`/api/v1/safety/cases/${created.body.caseId}/arm`)).status).toBe(403);
    const notSusar = await client.phys!.post<Case>(`/api/v1/safety/cases/${created.body.caseId}/susar-classification`, {
      susar: false,
      rationale: 'Synovitis after intra-articular injection is listed in the RSI on review',
    });
    expect(notSusar.status, JSON.stringify(notSusar.body)).toBe(200);
    expect(notSusar.body.susarAssessment).toMatchObject({ susar: false });
    expect(notSusar.body.deadlines.map((d) => d.kind)).toEqual(['sponsor_report']);
  });

  it('turns diary signals into review tasks that the investigator resolves', async () => {
    const body = {
      participantId: participants[0],
      source: 'epro_diary',
      sourceRef: 'diary-entry-42',
      detail: { summary: 'Worst NRS 8 on day 2 (baseline 5)', data: { diaryDay: 2, nrsWorst: 8, baselineNrs: 5 } },
    };
    const t1 = await client.nurse!.post<{
      task: { id: string; taskNumber: string; status: string; data: Record<string, unknown> };
      created: boolean;
    }>('/api/v1/safety/review-tasks', body);
    expect(t1.status, JSON.stringify(t1.body)).toBe(201);
    expect(t1.body.created).toBe(true);
    expect(t1.body.task.data).toEqual({ diaryDay: 2, nrsWorst: 8, baselineNrs: 5 });
    const t2 = await client.nurse!.post<{ task: { id: string }; created: boolean }>(
      '/api/v1/safety/review-tasks',
      body,
    );
    expect(t2.body).toMatchObject({ created: false, task: { id: t1.body.task.id } });
    const bad = await client.nurse!.post<ErrorBody>('/api/v1/safety/review-tasks', { ...body, source: 'fax' });
    expect(bad.body.error.details[0]!.path).toBe('body.source');

    expect(
      (await client.nurse!.post(`/api/v1/safety/review-tasks/${t1.body.task.id}/dismiss`, { reason: 'expected' }))
        .status,
    ).toBe(403);
    const rec = await client.inv!.post<{ task: { status: string; aeNumber: string }; adverseEvent: Ae }>(
      `/api/v1/safety/review-tasks/${t1.body.task.id}/adverse-event`,
      {
        verbatimTerm: 'Knee pain after injection',
        onsetDate: '2026-10-21',
        endDate: null,
        grade: 2,
        seriousness: NOT_SERIOUS,
        localToIndexKnee: true,
        investigatorCausality: { cellProduct: 'related', procedure: 'related' },
        actionTaken: ['medication'],
        outcome: 'recovering',
        siteAwarenessAt: '2026-10-22T10:00:00+02:00',
      },
    );
    expect(rec.status, JSON.stringify(rec.body)).toBe(201);
    expect(rec.body.task.status).toBe('ae_recorded');
    expect(rec.body.task.aeNumber).toBe(rec.body.adverseEvent.aeNumber);
    expect(rec.body.adverseEvent.reviewTaskId).toBe(t1.body.task.id);
    expect(
      (await client.inv!.post(`/api/v1/safety/review-tasks/${t1.body.task.id}/dismiss`, { reason: 'x' })).status,
    ).toBe(409);

    const t3 = await client.nurse!.post<{ task: { id: string } }>('/api/v1/safety/review-tasks', {
      ...body,
      sourceRef: 'diary-entry-43',
      detail: { summary: 'Moderate swelling on day 3' },
    });
    expect(
      (await client.inv!.post<ErrorBody>(`/api/v1/safety/review-tasks/${t3.body.task.id}/dismiss`, { reason: ' ' }))
        .status,
    ).toBe(400);
    const dismissed = await client.inv!.post<{ status: string; resolutionReason: string }>(
      `/api/v1/safety/review-tasks/${t3.body.task.id}/dismiss`,
      { reason: 'Swelling already recorded as AE; same episode' },
    );
    expect(dismissed.body).toMatchObject({
      status: 'dismissed',
      resolutionReason: 'Swelling already recorded as AE; same episode',
    });
    const open = await client.inv!.get<{ tasks: unknown[] }>('/api/v1/safety/review-tasks');
    expect(open.body.tasks).toEqual([]);
  });

  it('pools the tables for blinded users and refuses the by-arm tables to them', async () => {
    for (const who of ['nurse', 'inv', 'monitor', 'dm', 'phys', 'stat']) {
      const r = await client[who]!.get<ErrorBody>('/api/v1/safety/tables/by-arm');
      expect(r.status, who).toBe(403);
    }
    const pooled = await client.nurse!.get<{
      population: string;
      pooled: { participants: number; overview: { any: { participants: number }; serious: { participants: number } } };
    }>('/api/v1/safety/tables');
    expect(pooled.status).toBe(200);
    expect(pooled.body.pooled.participants).toBe(4);
    expect(pooled.body.pooled.overview.any.participants).toBe(4);
    expect(pooled.body.pooled.overview.serious.participants).toBe(3);
    for (const who of ['nurse', 'monitor', 'stat', 'dsmb']) {
      const r = await client[who]!.get('/api/v1/safety/tables');
      const text = JSON.stringify(r.body);
      expect(text, who).not.toMatch(/"arm"|"byArm"|ADMSC|SALINE/);
    }
    const listing = await client.monitor!.get('/api/v1/safety/adverse-events');
    expect(JSON.stringify(listing.body)).not.toMatch(/"arm"|ADMSC|SALINE/);
    const dsmbListing = await client.dsmb!.get<{ adverseEvents: Record<string, unknown>[] }>(
      '/api/v1/safety/adverse-events',
    );
    expect(dsmbListing.body.adverseEvents.every((a) => 'arm' in a)).toBe(true);
    const byArm = await client.dsmb!.get<{
      byArm: { groups: { arm: string | null; table: { participants: number } }[] };
    }>('/api/v1/safety/tables/by-arm');
    expect(byArm.status).toBe(200);
    expect(byArm.body.byArm.groups.reduce((s, g) => s + g.table.participants, 0)).toBe(4);
  });

  it('produces the SAE report document and the annual-report extract, blinded unless the reader sees arms', async () => {
    const cases = await client.inv!.get<{ cases: Case[] }>('/api/v1/safety/cases');
    const c = cases.body.cases[0]!;
    const report = await client.inv!.request<string>('GET', `/api/v1/safety/cases/${c.id}/report`);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/text\/html/);
    expect(report.headers.get('content-disposition')).toContain(`${c.caseNumber}-sae-report.html`);
    expect(report.body).toContain(c.caseNumber);
    expect(report.body).toContain('Blinded');
    expect(report.body).not.toMatch(/ADMSC|SALINE|SUSAR assessment/);

    const csv = await client.dm!.request<string>('GET', '/api/v1/safety/extract.csv?from=2026-01-01&to=2026-12-31');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(Object.keys(rows[0]!)).not.toContain('arm');
    expect(rows.some((r) => r.aesdth === 'N' && r.serious === 'Y')).toBe(true);
    expect((await client.dm!.request('GET', '/api/v1/safety/extract.csv?unblinded=true')).status).toBe(403);
    const unblinded = await client.dsmb!.request<string>('GET', '/api/v1/safety/extract.csv?unblinded=true');
    expect(unblinded.status).toBe(200);
    expect(Object.keys((parse(unblinded.body, { columns: true }) as Record<string, string>[])[0]!)).toEqual(
      expect.arrayContaining(['arm', 'susar']),
    );
    expect((await client.nurse!.request('GET', '/api/v1/safety/extract.csv')).status).toBe(403);
  });

  describe('after database lock', () => {
    it('gives the statistician the by-arm tables and refuses every safety write', async () => {
      const lock = await client.dm!.post('/api/v1/study/lock', {
        reason: 'final analysis',
        signature: { password: PW },
      });
      expect(lock.status, JSON.stringify(lock.body)).toBe(200);
      expect((await client.stat!.get('/api/v1/safety/tables/by-arm')).status).toBe(200);
      expect((await client.monitor!.get('/api/v1/safety/tables/by-arm')).status).toBe(403);
      const w = await client.inv!.post<ErrorBody>('/api/v1/safety/adverse-events', ae(participants[0]!));
      expect(w.status).toBe(409);
      expect(w.body.error.code).toBe('database_locked');
      const verify = await client.admin!.get<{ ok: boolean }>('/api/v1/audit/verify');
      expect(verify.body.ok).toBe(true);
    });
  });
});
