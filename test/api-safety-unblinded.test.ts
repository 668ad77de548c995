/**
 * The safety module on a randomized, injected trial (both engines): Day 0 from the injection, the
 * sponsor safety physician's per-case unblinding that a SUSAR classification needs, the 7-day (+8)
 * and 15-day SUSAR clocks through the API at their daylight-saving boundaries, SUSAR matters hidden
 * from the site, arms visible to the DSMB only, and a crawl of every safety GET as every blinded role.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARM_CODES, ARM_REVEALING_FIELDS } from '../src/services/blinding.js';
import { systemActor } from '../src/services/context.js';
import { actorForEmail } from '../src/services/users.js';
import { initAllocationList, loadKitArms, randomizeParticipant } from '../src/services/randomization.js';
import {
  addVials,
  createDonor,
  createLot,
  prepareDose,
  recordAdministration,
  recordLotRelease,
} from '../src/services/product-chain.js';
import { designateSafetyPhysician } from '../src/services/safety-access.js';
import { describeEachEngine } from './support/engines.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from './support/server.js';
import { createAccounts, enrolParticipants, loginAs, PASSWORD } from './api-randomization-setup.js';

interface ErrorBody {
  error: { code: string; details: { path: string; message: string }[] };
}
interface Case {
  id: string;
  caseNumber: string;
  status: string;
  deadlines: { kind: string; dueLocal: string; status: string }[];
  submissions: { kind: string }[];
  susarVisible: boolean;
  susarAssessment: { susar: boolean | null } | null;
}
interface Ae {
  id: string;
  caseId: string | null;
  queries: { rule: string; status: string }[];
}

const NOT_SERIOUS = {
  death: false,
  lifeThreatening: false,
  hospitalisation: false,
  disability: false,
  congenitalAnomaly: false,
  importantMedicalEvent: false,
};
const DAY0 = '2026-10-05';

function findArmFields(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findArmFields(v, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(ARM_REVEALING_FIELDS.has(k) ? [`${path}.${k}`] : []),
    ...findArmFields(v, `${path}.${k}`),
  ]);
}

describeEachEngine('safety on a randomized trial: SUSAR clocks and per-case unblinding', (engine) => {
  let server: TestServer;
  let participants: { id: string; arm: string }[] = [];
  const c: Record<string, ApiClient> = {};

  beforeAll(async () => {
    server = await startTestServer(engine);
    const ctx = server.ctx;
    await createAccounts(ctx);
    await designateSafetyPhysician(ctx, systemActor('test'), {
      email: 'dm@t.local',
      reason: 'sponsor safety physician',
    });
    const people = await enrolParticipants(ctx, 4, { klGrades: [3] });
    const nurse = await actorForEmail(ctx.database.db, 'nurse@t.local');
    const lab = await actorForEmail(ctx.database.db, 'lab@t.local');
    await initAllocationList(ctx, systemActor('test'), { parameters: { per_stratum: 8 } });
    for (const p of people) await randomizeParticipant(ctx, nurse, p.id);
    const kitArms = await loadKitArms(ctx);
    const randomized = await ctx.database.db
      .selectFrom('randomizations')
      .select(['participant_id', 'kit'])
      .orderBy('randomization_number')
      .execute();
    participants = randomized.map((r) => ({ id: r.participant_id, arm: kitArms.get(r.kit)! }));

    // Inject everyone on 5 October 2026 (Day 0), cells or saline as allocated.
    const donor = await createDonor(ctx, lab, {
      donorCode: 'DON-1',
      eligibility: 'eligible',
      screeningTests: {
        hiv_1_2: 'negative',
        hbv: 'negative',
        hcv: 'negative',
        syphilis: 'negative',
        htlv_1_2: 'negative',
      },
      procurementDate: '2026-07-01',
    });
    const lot = await createLot(ctx, lab, {
      lotNumber: 'LOT-1',
      donorId: donor.id,
      passage: 3,
      cryopreservedOn: '2026-08-01',
      expiryDate: '2031-08-01',
    });
    await recordLotRelease(ctx, lab, lot.id, {
      results: {
        testedOn: '2026-08-20',
        viabilityPct: 92,
        cd73Pct: 99,
        cd90Pct: 99,
        cd105Pct: 98,
        cd45Pct: 0.3,
        cd34Pct: 0.5,
        hlaDrPct: 0.1,
        sterility: 'negative',
        endotoxinEuPerMl: 0.1,
        mycoplasma: 'negative',
      },
      password: PASSWORD,
    });
    const vials = await addVials(ctx, lab, lot.id, {
      vials: Array.from({ length: 4 }, (_, i) => ({ vialCode: `LOT-1-V${i}`, location: 'LN2 A' })),
    });
    let v = 0;
    for (const r of randomized) {
      const base = {
        kit: r.kit,
        thawedAt: `${DAY0}T07:00:00.000Z`,
        volumeMl: 10,
        appearance: 'conforms' as const,
        password: PASSWORD,
      };
      await prepareDose(
        ctx,
        lab,
        kitArms.get(r.kit) === 'ADMSC'
          ? { ...base, vialId: vials[v++]!.id, viableCellsMillion: 20, viabilityPct: 92 }
          : { ...base, salineBatch: 'NaCl-1' },
      );
      await recordAdministration(ctx, nurse, r.participant_id, {
        kit: r.kit,
        administeredAt: `${DAY0}T08:00:00.000Z`,
        kneeSide: 'right',
        ultrasoundGuided: true,
        volumeMl: 10,
        injector: 'Dr. Inj',
      });
    }
    for (const [k, email] of [
      ['inv', 'inv@t.local'],
      ['nurse', 'nurse@t.local'],
      ['phys', 'dm@t.local'],
      ['mon', 'mon@t.local'],
      ['stat', 'stat@t.local'],
      ['dsmb', 'dsmb@t.local'],
    ] as const) {
      c[k] = await loginAs(server.url, email);
    }
    c.admin = new ApiClient(server.url);
    await c.admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    expect(
      (
        await c.phys!.post('/api/v1/safety/rsi-versions', {
          version: 'IB-3.0',
          title: 'Investigator brochure 3.0 §7',
          effectiveFrom: '2026-01-01',
        })
      ).status,
    ).toBe(201);
  }, 180_000);
  afterAll(async () => server.close());

  const sae = async (participantId: string, over: Record<string, unknown>): Promise<Ae> => {
    const r = await c.inv!.post<Ae>('/api/v1/safety/adverse-events', {
      participantId,
      verbatimTerm: 'Anaphylactic reaction',
      onsetDate: '2026-10-20',
      endDate: null,
      grade: 4,
      seriousness: { ...NOT_SERIOUS, lifeThreatening: true, hospitalisation: true },
      investigatorCausality: { cellProduct: 'related', procedure: 'not_related' },
      actionTaken: ['hospitalisation', 'medication'],
      outcome: 'recovering',
      siteAwarenessAt: '2026-10-20T08:00:00Z',
      ...over,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };

  const toSusar = async (caseId: string, aeId: string, ackAt: string): Promise<Case> => {
    expect(
      (
        await c.phys!.request('PUT', `/api/v1/safety/adverse-events/${aeId}/sponsor-assessment`, {
          causality: { cellProduct: 'related', procedure: 'not_related' },
          expectedness: 'unexpected',
          rsiVersion: 'IB-3.0',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await c.phys!.post(`/api/v1/safety/cases/${caseId}/sponsor-submissions`, {
          kind: 'sponsor_acknowledgement',
          occurredAt: ackAt,
        })
      ).status,
    ).toBe(201);
    const un = await c.phys!.post<{ arm: string }>(`/api/v1/safety/cases/${caseId}/unblind`, {
      reason: 'SUSAR assessment',
      signature: { password: PASSWORD },
    });
    expect(un.status, JSON.stringify(un.body)).toBe(200);
    const r = await c.phys!.post<Case>(`/api/v1/safety/cases/${caseId}/susar-classification`, {
      susar: true,
      rationale: 'Anaphylaxis is not in the RSI; related to the cells',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  it('reads Day 0 from the injection: an onset before it is queried', async () => {
    const r = await c.inv!.post<Ae>('/api/v1/safety/adverse-events', {
      participantId: participants[0]!.id,
      verbatimTerm: 'Knee pain',
      onsetDate: '2026-10-01',
      endDate: '2026-10-02',
      grade: 1,
      seriousness: NOT_SERIOUS,
      actionTaken: ['none'],
      outcome: 'recovered',
      siteAwarenessAt: '2026-10-05T09:00:00Z',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.queries.map((q) => q.rule)).toEqual(['onset_before_day_0']);
    const tables = await c.nurse!.get<{ population: string; pooled: { participants: number } }>(
      '/api/v1/safety/tables',
    );
    expect(tables.body).toMatchObject({ population: 'treated', pooled: { participants: 4 } });
  });

  it('a fatal or life-threatening SUSAR: 7 days and 8 more, counted in Copenhagen across the autumn change', async () => {
    const p = participants[1]!;
    const ae = await sae(p.id, {});
    // The physician alone sees the arm, through the unblinding itself.
    expect(
      (
        await c.phys!.post(`/api/v1/safety/cases/${ae.caseId}/unblind`, {
          reason: 'too early',
          signature: { password: PASSWORD },
        })
      ).status,
    ).toBe(409);
    const classified = await toSusar(ae.caseId!, ae.id, '2026-10-20T22:30:00Z');
    expect(classified.susarAssessment).toMatchObject({ susar: true });
    // 22:30Z on 20 October is 00:30 on 21 October in Copenhagen: day 0 = 21 Oct, day 7 = 28 Oct (after the fall-back), day 15 = 5 Nov.
    expect(classified.deadlines.map((d) => [d.kind, d.dueLocal])).toEqual([
      ['sponsor_report', '2026-10-21T10:00:00+02:00'],
      ['susar_initial', '2026-10-29T00:00:00+01:00'],
      ['susar_followup', '2026-11-06T00:00:00+01:00'],
    ]);
    const arm = await c.phys!.get<{ arm: string }>(`/api/v1/safety/cases/${ae.caseId}/arm`);
    expect(arm.body.arm).toBe(p.arm);
    // The initial report at exactly the end of day 7 is on time; the follow-up one second late is late.
    await c.phys!.post(`/api/v1/safety/cases/${ae.caseId}/sponsor-submissions`, {
      kind: 'susar_initial_report',
      occurredAt: '2026-10-29T00:00:00+01:00',
      reference: 'EV-1',
    });
    const fu = await c.phys!.post<Case>(`/api/v1/safety/cases/${ae.caseId}/sponsor-submissions`, {
      kind: 'susar_follow_up_report',
      occurredAt: '2026-11-06T00:00:01+01:00',
      reference: 'EV-1-FU',
    });
    expect(fu.body.deadlines.map((d) => d.status)).toEqual(['overdue', 'met', 'met_late']);

    // The site sees neither the classification, nor its clocks, nor the reports to the authority.
    const site = await c.nurse!.get<Case>(`/api/v1/safety/cases/${ae.caseId}`);
    expect(site.body.susarVisible).toBe(false);
    expect(site.body.susarAssessment).toBeNull();
    expect(site.body.deadlines.map((d) => d.kind)).toEqual(['sponsor_report']);
    expect(site.body.submissions.map((s) => s.kind)).toEqual(['sponsor_acknowledgement']);
    const cannotClose = await c.phys!.post<ErrorBody>(`/api/v1/safety/cases/${ae.caseId}/close`, {
      reason: 'complete',
    });
    expect(cannotClose.status).toBe(409);
    expect(cannotClose.body.error.details.map((d) => d.path)).toEqual(['deadlines.sponsor_report']);
    await c.nurse!.post(`/api/v1/safety/cases/${ae.caseId}/site-reports`, {
      kind: 'investigator_initial_report',
      occurredAt: '2026-10-21T11:00:00+02:00',
    });
    const closed = await c.phys!.post<Case>(`/api/v1/safety/cases/${ae.caseId}/close`, {
      reason: 'final follow-up received',
    });
    expect(closed.body.status).toBe('closed');
  });

  it('any other SUSAR: 15 days, the last day being the day the clocks go back', async () => {
    const ae = await sae(participants[2]!.id, {
      verbatimTerm: 'Urticaria',
      grade: 3,
      seriousness: { ...NOT_SERIOUS, importantMedicalEvent: true },
      onsetDate: '2026-10-08',
      siteAwarenessAt: '2026-10-09T12:00:00Z',
      actionTaken: ['medication'],
    });
    const classified = await toSusar(ae.caseId!, ae.id, '2026-10-09T19:00:00-05:00');
    expect(classified.deadlines.map((d) => [d.kind, d.dueLocal])).toEqual([
      ['sponsor_report', '2026-10-10T14:00:00+02:00'],
      ['susar_initial', '2026-10-26T00:00:00+01:00'],
    ]);
  });

  it('shows arms to the DSMB only, and no safety GET leaks an arm to any blinded role', async () => {
    const dsmb = await c.dsmb!.get<{ adverseEvents: { arm: string | null; participantId: string }[] }>(
      '/api/v1/safety/adverse-events',
    );
    for (const a of dsmb.body.adverseEvents) {
      expect(a.arm).toBe(participants.find((p) => p.id === a.participantId)!.arm);
    }
    const byArm = await c.dsmb!.get<{
      byArm: { groups: { arm: string; table: { participants: number } }[]; comparisons: unknown[] | null };
    }>('/api/v1/safety/tables/by-arm');
    expect(byArm.body.byArm.groups.map((g) => [g.arm, g.table.participants])).toEqual([
      ['ADMSC', participants.filter((p) => p.arm === 'ADMSC').length],
      ['SALINE', participants.filter((p) => p.arm === 'SALINE').length],
    ]);
    const ids = {
      cases: (await server.ctx.database.db.selectFrom('sae_cases').select('id').execute()).map((r) => r.id),
      aes: (await server.ctx.database.db.selectFrom('adverse_events').select('id').execute()).map((r) => r.id),
    };
    const paths = [
      '/api/v1/safety/me',
      '/api/v1/safety/dashboard',
      '/api/v1/safety/adverse-events',
      '/api/v1/safety/adverse-events?status=all',
      '/api/v1/safety/queries',
      '/api/v1/safety/cases',
      '/api/v1/safety/review-tasks?status=all',
      '/api/v1/safety/tables',
      '/api/v1/safety/tables/by-arm',
      '/api/v1/safety/extract.csv',
      '/api/v1/safety/extract.csv?unblinded=true',
      '/api/v1/safety/rsi-versions',
      ...ids.aes.map((id) => `/api/v1/safety/adverse-events/${id}`),
      ...ids.cases.flatMap((id) => [`/api/v1/safety/cases/${id}`, `/api/v1/safety/cases/${id}/report`]),
      '/api/v1/audit?limit=500',
    ];
    for (const who of ['inv', 'nurse', 'phys', 'mon', 'stat', 'admin']) {
      for (const path of paths) {
        const r = await c[who]!.request('GET', path);
        expect(r.status, `${who} ${path}`).toBeLessThan(500);
        const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        expect(findArmFields(r.body), `${who} ${path}`).toEqual([]);
        for (const code of ARM_CODES) expect(text.includes(code), `${who} ${path} contains ${code}`).toBe(false);
      }
    }
    // Only the unblinding physician's own routes reveal the arm, and only to them.
    for (const who of ['inv', 'nurse', 'mon', 'stat']) {
      expect((await c[who]!.request('GET', `/api/v1/safety/cases/${ids.cases[0]}/arm`)).status, who).toBe(403);
    }
  });

  it('refuses a SUSAR classification without the unblinding, and the unblinding for an expected event', async () => {
    const ae = await sae(participants[3]!.id, {
      verbatimTerm: 'Effusion',
      grade: 3,
      seriousness: { ...NOT_SERIOUS, hospitalisation: true },
    });
    const noUnblind = await c.phys!.post<ErrorBody>(`/api/v1/safety/cases/${ae.caseId}/susar-classification`, {
      susar: true,
      rationale: 'x',
    });
    expect(noUnblind.status).toBe(409);
    expect(noUnblind.body.error.details.map((d) => d.path)).toEqual(['susar', 'unblinding', 'susarAwarenessAt']);
    await c.phys!.request('PUT', `/api/v1/safety/adverse-events/${ae.id}/sponsor-assessment`, {
      causality: { cellProduct: 'related', procedure: 'related' },
      expectedness: 'expected',
      rsiVersion: 'IB-3.0',
    });
    expect(
      (
        await c.phys!.post(`/api/v1/safety/cases/${ae.caseId}/unblind`, {
          reason: 'curious',
          signature: { password: PASSWORD },
        })
      ).status,
    ).toBe(409);
    const audit = await c.admin!.get<{ records: { action: string; after: Record<string, unknown> | null }[] }>(
      '/api/v1/audit?entityType=sae_case&limit=500',
    );
    const unblindings = audit.body.records.filter((r) => r.action === 'sae_case.unblinded_for_susar');
    expect(unblindings).toHaveLength(2);
    for (const u of unblindings) expect(JSON.stringify(u)).not.toMatch(/ADMSC|SALINE/);
  });
});
