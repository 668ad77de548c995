/**
 * Randomization, the cell-product chain and emergency unblinding over the real API on both engines:
 * the one allocation list, refusals that change nothing, idempotent retries, blinded and unblinded
 * views, preparation pass/fail against the specification, administration and Day 0, trace queries
 * both ways, emergency unblinding for one investigator only, and the seed revealed after lock.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyAllocationList, type AllocationList } from '../src/core/randomization/index.js';
import { getDay0 } from '../src/services/randomization.js';
import { ARM_REVEALING_FIELDS } from '../src/services/blinding.js';
import type { ParticipantView } from '../src/services/screening.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from './support/server.js';
import { describeEachEngine } from './support/engines.js';
import {
  createAccounts,
  enrolParticipants,
  loginAs,
  PASSWORD,
  randomizationSnapshot,
} from './api-randomization-setup.js';

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}
interface Randomization {
  id: string;
  participantId: string;
  studyId: string;
  randomizationNumber: string;
  kit: string;
  randomizedAt: string;
  stratum: string;
  emergencyUnblinded: boolean;
  dose: { status: string; useBy: string | null; day0: string | null };
  arm?: string;
}
interface Preparation {
  id: string;
  kit: string;
  arm?: string;
  passed: boolean;
  failures: { test: string; message: string }[];
  status: string;
  useBy: string;
}

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}
const revealsArm = (body: unknown): boolean =>
  [...keysOf(body)].some((k) => ARM_REVEALING_FIELDS.has(k)) || /ADMSC|SALINE/.test(JSON.stringify(body));

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

describeEachEngine('randomization, product chain and emergency unblinding API', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let nurse: ApiClient;
  let inv: ApiClient;
  let inv2: ApiClient;
  let lab: ApiClient;
  let mon: ApiClient;
  let dm: ApiClient;
  let stat: ApiClient;
  let dsmb: ApiClient;
  let people: ParticipantView[];

  beforeAll(async () => {
    server = await startTestServer(engine);
    await createAccounts(server.ctx);
    admin = new ApiClient(server.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    [nurse, inv, inv2, lab, mon, dm, stat, dsmb] = await Promise.all(
      ['nurse', 'inv', 'inv2', 'lab', 'mon', 'dm', 'stat', 'dsmb'].map((n) => loginAs(server.url, `${n}@t.local`)),
    );
    people = await enrolParticipants(server.ctx, 12);
  });
  afterAll(async () => server.close());

  it('creates the one allocation list (admin only) and shows its commitment, never its design or arms', async () => {
    const early = await nurse.post<ErrorBody>(`/api/v1/participants/${people[0]!.id}/randomize`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.details.map((d) => d.path)).toContain('allocationList');

    expect((await nurse.post('/api/v1/randomization/allocation-list', {})).status).toBe(403);
    const bad = await admin.post<ErrorBody>('/api/v1/randomization/allocation-list', {
      design: 'blocks',
      blockSizes: [3, 4],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]?.path).toBe('parameters.block_sizes[0]');
    const created = await admin.post<{
      commitment: string;
      strata: { stratum: string; slots: number; used: number }[];
    }>('/api/v1/randomization/allocation-list', { perStratum: 40 });
    expect(created.status).toBe(201);
    expect(created.body.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(created.body.strata.map((s) => s.stratum)).toEqual(['KL2', 'KL3']);
    expect(created.body.strata.every((s) => s.slots >= 40 && s.used === 0)).toBe(true);
    const again = await admin.post<ErrorBody>('/api/v1/randomization/allocation-list', {});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already has an allocation list/);

    const status = await mon.get('/api/v1/randomization/status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ initialised: true, commitment: created.body.commitment });
    expect(revealsArm(status.body)).toBe(false);
    expect(JSON.stringify(status.body)).not.toMatch(/block_sizes|blockSizes|seed|salt/);

    // At rest: no seed, salt or arm in clear anywhere in the list tables.
    const row = await server.ctx.database.db.selectFrom('allocation_lists').selectAll().executeTakeFirstOrThrow();
    expect(row.sealed).toMatch(/^[A-Za-z0-9+/]+=*$/); // AES-GCM ciphertext, base64
    expect(Buffer.from(row.sealed, 'base64').toString('latin1')).not.toMatch(/ADMSC|SALINE|"seed"|"salt"/);
    const slots = JSON.stringify(await server.ctx.database.db.selectFrom('allocation_slots').selectAll().execute());
    expect(slots).not.toMatch(/ADMSC|SALINE|arm|block/);
    const audit = (
      await admin.get<{ records: { action: string; after: unknown }[] }>('/api/v1/audit?entityType=allocation_list')
    ).body.records;
    expect(audit[0]?.action).toBe('randomization.list_created');
    expect(revealsArm(audit)).toBe(false);
  });

  it('refuses participants who do not meet the requirements, changing nothing', async () => {
    const db = server.ctx.database.db;
    const [, ineligible, unsigned, unconsented, withdrawn] = people;
    await db.updateTable('screenings').set({ eligible: 0 }).where('id', '=', ineligible!.screeningId).execute();
    await db
      .updateTable('screenings')
      .set({ signed_off_at: null, signed_off_by: null, signature_id: null })
      .where('id', '=', unsigned!.screeningId)
      .execute();
    await db
      .updateTable('consents')
      .set({ status: 'superseded' })
      .where('screening_id', '=', unconsented!.screeningId)
      .execute();
    expect(
      (
        await nurse.post(`/api/v1/participants/${withdrawn!.id}/withdraw`, {
          scope: 'no_further_visits',
          reason: 'moved abroad',
          withdrawnOn: '2026-10-20',
        })
      ).status,
    ).toBe(200);

    const [noBaseline] = await enrolParticipants(server.ctx, 1, { baseline: false });

    const before = await randomizationSnapshot(server.ctx);
    const cases: [ParticipantView, string][] = [
      [noBaseline!, 'baseline'],
      [ineligible!, 'eligibility'],
      [unsigned!, 'signOff'],
      [unconsented!, 'consent'],
      [withdrawn!, 'status'],
    ];
    for (const [p, path] of cases) {
      const r = await nurse.post<ErrorBody>(`/api/v1/participants/${p.id}/randomize`, {
        requestId: `req-${p.studyId}`,
      });
      expect(r.status, p.studyId).toBe(409);
      expect(r.body.error.code).toBe('conflict');
      expect(r.body.error.message).toContain(p.studyId);
      expect(
        r.body.error.details.map((d) => d.path),
        p.studyId,
      ).toContain(path);
    }
    expect((await nurse.post<ErrorBody>('/api/v1/participants/no-such-id/randomize', {})).status).toBe(404);
    expect(
      (await nurse.post<ErrorBody>(`/api/v1/participants/${people[0]!.id}/randomize`, { requestId: 'x' })).status,
    ).toBe(400);
    expect((await mon.post(`/api/v1/participants/${people[0]!.id}/randomize`, {})).status).toBe(403);
    expect(await randomizationSnapshot(server.ctx)).toEqual(before);

    // The candidates list names what each participant still needs.
    const cands = (
      await nurse.get<{
        candidates: { studyId: string; readiness: { ready: boolean; problems: { path: string }[] } }[];
      }>('/api/v1/randomization/candidates')
    ).body.candidates;
    expect(cands.find((c) => c.studyId === people[0]!.studyId)?.readiness.ready).toBe(true);
    expect(cands.find((c) => c.studyId === unsigned!.studyId)?.readiness.problems.map((p) => p.path)).toEqual([
      'signOff',
    ]);
  });

  it('randomizes into the next slot; a retry returns the same result, a second randomization is refused', async () => {
    const p = people[0]!;
    const first = await nurse.post<{ randomization: Randomization; replayed: boolean }>(
      `/api/v1/participants/${p.id}/randomize`,
      { requestId: 'retry-key-0001' },
    );
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.replayed).toBe(false);
    expect(first.body.randomization).toMatchObject({
      studyId: p.studyId,
      randomizationNumber: 'R-001',
      stratum: 'KL2',
      emergencyUnblinded: false,
      dose: { status: 'awaiting_preparation' },
    });
    expect(first.body.randomization.kit).toMatch(/^K-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(revealsArm(first.body)).toBe(false);

    const retry = await nurse.post<{ randomization: Randomization; replayed: boolean }>(
      `/api/v1/participants/${p.id}/randomize`,
      { requestId: 'retry-key-0001' },
    );
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ ...first.body, replayed: true });

    const before = await randomizationSnapshot(server.ctx);
    const second = await inv.post<ErrorBody>(`/api/v1/participants/${p.id}/randomize`, {});
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(/already randomized \(R-001/);
    expect((await inv.post(`/api/v1/participants/${p.id}/randomize`, { requestId: 'another-key-01' })).status).toBe(
      409,
    );
    expect(await randomizationSnapshot(server.ctx)).toEqual(before);

    const participant = await nurse.get<{ status: string }>(`/api/v1/participants/${p.id}`);
    expect(participant.body.status).toBe('randomized');

    // Blinded roles see number, kit and time; the cell laboratory and the DSMB also see the arm.
    for (const c of [nurse, inv, mon, dm, stat]) {
      const list = await c.get<{ randomizations: Randomization[] }>('/api/v1/randomizations');
      expect(list.status).toBe(200);
      expect(list.body.randomizations.map((r) => r.kit)).toEqual([first.body.randomization.kit]);
      expect(revealsArm(list.body)).toBe(false);
    }
    for (const c of [lab, dsmb]) {
      const list = await c.get<{ randomizations: Randomization[] }>('/api/v1/randomizations');
      expect(['ADMSC', 'SALINE']).toContain(list.body.randomizations[0]!.arm);
    }
    const alloc = await lab.get<{
      slots: { stratum: string; seq: number; arm: string; kit: string; studyId: string | null }[];
    }>('/api/v1/randomization/allocation-list');
    expect(alloc.status).toBe(200);
    expect(alloc.body.slots.find((s) => s.stratum === 'KL2' && s.seq === 1)).toMatchObject({
      kit: first.body.randomization.kit,
      studyId: p.studyId,
    });
    expect(JSON.stringify(alloc.body)).not.toMatch(/seed|salt/);
    expect((await nurse.get('/api/v1/randomization/allocation-list')).status).toBe(403);
    expect((await stat.get('/api/v1/randomization/allocation-list')).status).toBe(403);
    expect((await lab.get('/api/v1/randomization/allocation-list/reveal')).status).toBe(409);
  });

  it('a re-consent requirement blocks randomization until the participant has re-consented', async () => {
    const p = people[5]!;
    expect(
      (await admin.post('/api/v1/consent-versions', { version: '2.0', title: 'Amendment 1', issuedAt: '2026-10-05' }))
        .status,
    ).toBe(201);
    const refused = await nurse.post<ErrorBody>(`/api/v1/participants/${p.id}/randomize`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toContainEqual({
      path: 'consent',
      message: expect.stringMatching(/re-consent to version 2.0/),
    });
    for (const q of people.slice(5)) {
      expect(
        (
          await nurse.post(`/api/v1/screenings/${q.screeningId}/consents`, {
            documentVersion: '2.0',
            consentedAt: '2026-10-06T09:00:00Z',
            signatureMode: 'electronic',
          })
        ).status,
      ).toBe(201);
    }
    const ok = await nurse.post<{ randomization: Randomization }>(`/api/v1/participants/${p.id}/randomize`, {});
    expect(ok.status).toBe(200);
    expect(ok.body.randomization.randomizationNumber).toBe('R-002');
  });

  let cellKit: Randomization;
  let salineKit: Randomization;
  let lotId: string;
  let donorId: string;

  it('keeps the product chain: donor, lots, release against the specification, vials', async () => {
    for (const q of people.slice(6)) {
      expect((await nurse.post(`/api/v1/participants/${q.id}/randomize`, {})).status).toBe(200);
    }
    const all = (await lab.get<{ randomizations: Randomization[] }>('/api/v1/randomizations')).body.randomizations;
    cellKit = all.find((r) => r.arm === 'ADMSC')!;
    salineKit = all.find((r) => r.arm === 'SALINE')!;
    // Four randomizations in stratum KL2 always include both arms (blocks of 4 or 6 are 1:1).
    expect(cellKit && salineKit).toBeTruthy();

    expect(
      (
        await nurse.post('/api/v1/product/donors', {
          donorCode: 'D1',
          eligibility: 'eligible',
          screeningTests: ALL_NEGATIVE,
          procurementDate: '2026-08-01',
        })
      ).status,
    ).toBe(403);
    expect((await nurse.get('/api/v1/product/donors')).status).toBe(403);
    const badDonor = await lab.post<ErrorBody>('/api/v1/product/donors', {
      donorCode: 'DON-1',
      eligibility: 'eligible',
      screeningTests: { ...ALL_NEGATIVE, hcv: 'positive' },
      procurementDate: '2026-08-01',
    });
    expect(badDonor.status).toBe(400);
    expect(badDonor.body.error.details).toEqual([
      { path: 'screeningTests.hcv', message: 'must be negative for an eligible donor (is positive)' },
    ]);
    const donor = await lab.post<{ id: string; donorCode: string }>('/api/v1/product/donors', {
      donorCode: 'DON-1',
      eligibility: 'eligible',
      screeningTests: ALL_NEGATIVE,
      procurementDate: '2026-08-01',
    });
    expect(donor.status).toBe(201);
    donorId = donor.body.id;

    const badLot = await lab.post<ErrorBody>('/api/v1/product/lots', {
      lotNumber: 'L-1',
      donorId,
      passage: 3,
      cryopreservedOn: '2026-09-01',
      expiryDate: '2026-08-01',
    });
    expect(badLot.status).toBe(400);
    expect(badLot.body.error.details[0]?.path).toBe('expiryDate');
    const lot = await lab.post<{ id: string; status: string }>('/api/v1/product/lots', {
      lotNumber: 'L-1',
      donorId,
      passage: 3,
      cryopreservedOn: '2026-09-01',
      expiryDate: '2031-09-01',
    });
    expect(lot.body.status).toBe('quarantine');
    lotId = lot.body.id;
    const rejectLot = await lab.post<{ id: string }>('/api/v1/product/lots', {
      lotNumber: 'L-2',
      donorId,
      passage: 5,
      cryopreservedOn: '2026-09-01',
      expiryDate: '2031-09-01',
    });

    const vials = await lab.post<{ vials: { id: string; status: string }[] }>(`/api/v1/product/lots/${lotId}/vials`, {
      vials: ['V1', 'V2', 'V3'].map((v) => ({ vialCode: `L-1-${v}`, location: 'LN2 tank A, rack 2' })),
    });
    expect(vials.status).toBe(201);
    expect(vials.body.vials.map((v) => v.status)).toEqual(['available', 'available', 'available']);

    // Cells from a lot in quarantine are refused.
    const early = await lab.post<ErrorBody>('/api/v1/product/preparations', {
      kit: cellKit.kit,
      vialId: vials.body.vials[0]!.id,
      thawedAt: new Date().toISOString(),
      viableCellsMillion: 20,
      viabilityPct: 90,
      volumeMl: 10,
      appearance: 'conforms',
      signature: { password: PASSWORD },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.details[0]?.message).toMatch(/not released/);

    const wrongPw = await lab.post<ErrorBody>(`/api/v1/product/lots/${lotId}/release`, {
      results: GOOD_RELEASE,
      signature: { password: 'nope' },
    });
    expect(wrongPw.status).toBe(400);
    const released = await lab.post<{ status: string; releaseFailures: unknown[]; releaseSignatureId: string }>(
      `/api/v1/product/lots/${lotId}/release`,
      { results: GOOD_RELEASE, signature: { password: PASSWORD } },
    );
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ status: 'released', releaseFailures: [] });
    const rejected = await lab.post<{ status: string; releaseFailures: { test: string; message: string }[] }>(
      `/api/v1/product/lots/${rejectLot.body.id}/release`,
      {
        results: { ...GOOD_RELEASE, cd105Pct: 91, endotoxinEuPerMl: 0.5 },
        signature: { password: PASSWORD },
      },
    );
    expect(rejected.body.status).toBe('rejected');
    expect(rejected.body.releaseFailures).toEqual([
      { test: 'cd105Pct', message: 'CD105 91 % is below 95 %' },
      { test: 'endotoxinEuPerMl', message: 'endotoxin 0.5 EU/mL is not below 0.5 EU/mL' },
    ]);
    expect(
      (
        await lab.post(`/api/v1/product/lots/${rejectLot.body.id}/vials`, {
          vials: [{ vialCode: 'L-2-V1', location: 'x' }],
        })
      ).status,
    ).toBe(409);

    const dsmbLots = await dsmb.get<{ lots: { lotNumber: string; status: string; vials: Record<string, number> }[] }>(
      '/api/v1/product/lots',
    );
    expect(dsmbLots.body.lots.map((l) => [l.lotNumber, l.status, l.vials.available])).toEqual([
      ['L-1', 'released', 3],
      ['L-2', 'rejected', 0],
    ]);
    expect(
      (
        await dsmb.post('/api/v1/product/donors', {
          donorCode: 'X9',
          eligibility: 'eligible',
          screeningTests: ALL_NEGATIVE,
          procurementDate: '2026-08-01',
        })
      ).status,
    ).toBe(403);
  });

  it('prepares doses against the specification for both arms; blinded staff see one workflow', async () => {
    const vials = (
      await lab.get<{ vials: { id: string; vialCode: string; status: string }[] }>(
        `/api/v1/product/vials?lotId=${lotId}`,
      )
    ).body.vials;
    const thawedAt = new Date(Date.now() - 60 * 60_000).toISOString();
    const base = { thawedAt, volumeMl: 10, appearance: 'conforms', signature: { password: PASSWORD } };

    // The kit decides the product.
    const wrongForCells = await lab.post<ErrorBody>('/api/v1/product/preparations', {
      ...base,
      kit: cellKit.kit,
      salineBatch: 'NaCl-1',
    });
    expect(wrongForCells.status).toBe(400);
    expect(wrongForCells.body.error.details.map((d) => d.path).sort()).toEqual([
      'salineBatch',
      'viabilityPct',
      'viableCellsMillion',
      'vialId',
    ]);
    const wrongForSaline = await lab.post<ErrorBody>('/api/v1/product/preparations', {
      ...base,
      kit: salineKit.kit,
      vialId: vials[0]!.id,
    });
    expect(wrongForSaline.status).toBe(400);
    expect(wrongForSaline.body.error.details.map((d) => d.path).sort()).toEqual(['salineBatch', 'vialId']);

    // A thaw with poor viability fails, with its reasons; the vial is discarded.
    const failed = await lab.post<Preparation>('/api/v1/product/preparations', {
      ...base,
      kit: cellKit.kit,
      vialId: vials[0]!.id,
      viableCellsMillion: 14.5,
      viabilityPct: 64,
    });
    expect(failed.status).toBe(201);
    expect(failed.body).toMatchObject({ passed: false, status: 'failed', arm: 'ADMSC' });
    expect(failed.body.failures.map((f) => f.test)).toEqual(['viabilityPct', 'viableCellsMillion']);
    const nurseView = (
      await nurse.get<{ randomization: Randomization }>(`/api/v1/participants/${cellKit.participantId}/randomization`)
    ).body.randomization;
    expect(nurseView.dose.status).toBe('awaiting_preparation');

    const good = await lab.post<Preparation>('/api/v1/product/preparations', {
      ...base,
      kit: cellKit.kit,
      vialId: vials[1]!.id,
      viableCellsMillion: 20.3,
      viabilityPct: 91.5,
    });
    expect(good.body).toMatchObject({ passed: true, status: 'released', failures: [] });
    expect(Date.parse(good.body.useBy) - Date.parse(thawedAt)).toBe(4 * 3_600_000);
    const twice = await lab.post<ErrorBody>('/api/v1/product/preparations', {
      ...base,
      kit: cellKit.kit,
      vialId: vials[2]!.id,
      viableCellsMillion: 20,
      viabilityPct: 90,
    });
    expect(twice.status).toBe(409);
    const saline = await lab.post<Preparation>('/api/v1/product/preparations', {
      ...base,
      kit: salineKit.kit,
      salineBatch: 'NaCl-B2341',
    });
    expect(saline.body).toMatchObject({ passed: true, status: 'released', arm: 'SALINE' });
    expect(saline.body.useBy).toBe(good.body.useBy);

    // Site staff see the same thing for both kits: ready, with the same use-by time.
    const views = await Promise.all(
      [cellKit, salineKit].map(
        async (k) =>
          (await nurse.get<{ randomization: Randomization }>(`/api/v1/participants/${k.participantId}/randomization`))
            .body,
      ),
    );
    expect(views.map((v) => v.randomization.dose)).toEqual([
      { status: 'ready', useBy: good.body.useBy, administeredAt: null, day0: null },
      { status: 'ready', useBy: good.body.useBy, administeredAt: null, day0: null },
    ]);
    expect(revealsArm(views)).toBe(false);

    // The audit trail of a preparation has the same shape for both arms and hides the details.
    const shapes = await Promise.all(
      [good.body.id, saline.body.id].map(
        async (id) =>
          (
            await mon.get<{ records: { action: string; after: Record<string, unknown> }[] }>(
              `/api/v1/audit?entityId=${id}`,
            )
          ).body.records,
      ),
    );
    expect(shapes.map((s) => s.map((r) => [r.action, Object.keys(r.after).sort()]))).toEqual([
      [
        ['product.dose_prepared', ['kit', 'useBy']],
        ['esignature.signed', ['meaning', 'signatureId', 'signer', 'signerName', 'statement']],
      ],
      [
        ['product.dose_prepared', ['kit', 'useBy']],
        ['esignature.signed', ['meaning', 'signatureId', 'signer', 'signerName', 'statement']],
      ],
    ]);
    expect(revealsArm(shapes)).toBe(false);
    const labAudit = (
      await admin.get<{ records: { after: { allocation?: { arm: string } } }[] }>(
        `/api/v1/audit?entityId=${good.body.id}`,
      )
    ).body.records;
    expect(labAudit[0]?.after.allocation).toBeUndefined();
  });

  it('records the injection (Day 0 in Copenhagen) and traces the chain both ways', async () => {
    const administeredAt = new Date(Date.now() - 20 * 60_000).toISOString();
    const input = {
      kit: salineKit.kit,
      administeredAt,
      kneeSide: 'right',
      ultrasoundGuided: true,
      volumeMl: 10,
      injector: 'Dr. Injector',
    };
    const wrongKit = await nurse.post<ErrorBody>(`/api/v1/participants/${cellKit.participantId}/administration`, input);
    expect(wrongKit.status).toBe(400);
    expect(wrongKit.body.error.details[0]?.path).toBe('kit');
    const future = await nurse.post<ErrorBody>(`/api/v1/participants/${cellKit.participantId}/administration`, {
      ...input,
      kit: cellKit.kit,
      administeredAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(
      (await mon.post(`/api/v1/participants/${cellKit.participantId}/administration`, { ...input, kit: cellKit.kit }))
        .status,
    ).toBe(403);

    const given = await nurse.post<{ day0: string; status: string; kneeSide: string }>(
      `/api/v1/participants/${cellKit.participantId}/administration`,
      { ...input, kit: cellKit.kit },
    );
    expect(given.status, JSON.stringify(given.body)).toBe(201);
    expect(revealsArm(given.body)).toBe(false);
    const expectedDay0 = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(
      new Date(administeredAt),
    );
    expect(given.body).toMatchObject({ status: 'administered', day0: expectedDay0, kneeSide: 'right' });
    expect(await getDay0(server.ctx.database.db, cellKit.participantId)).toBe(expectedDay0);
    expect(await getDay0(server.ctx.database.db, salineKit.participantId)).toBeNull();
    expect(
      (await nurse.post(`/api/v1/participants/${cellKit.participantId}/administration`, { ...input, kit: cellKit.kit }))
        .status,
    ).toBe(409);
    expect((await inv.post(`/api/v1/participants/${salineKit.participantId}/administration`, input)).status).toBe(201);

    // A participant who will not be injected (CONSORT), and one never prepared: no administration possible.
    const other = people.slice(6).find((q) => q.id !== cellKit.participantId && q.id !== salineKit.participantId)!;
    const otherKit = (
      await nurse.get<{ randomization: Randomization }>(`/api/v1/participants/${other.id}/randomization`)
    ).body.randomization.kit;
    const noDose = await nurse.post<ErrorBody>(`/api/v1/participants/${other.id}/administration`, {
      ...input,
      kit: otherKit,
    });
    expect(noDose.status).toBe(409);
    expect(noDose.body.error.message).toMatch(/No released dose/);
    const notGiven = await nurse.post<{ status: string; reason: string }>(
      `/api/v1/participants/${other.id}/administration/not-given`,
      { reason: 'Declined the injection on the day' },
    );
    expect(notGiven.body).toMatchObject({ status: 'not_administered', reason: 'Declined the injection on the day' });

    // Lot Y → participants; donor X → participants; participant Z → donor, lot, vial, preparations.
    const lotTrace = await lab.get<{
      lot: { lotNumber: string; vials: Record<string, number> };
      allocation: { recipients: { studyId: string; received: boolean; preparationStatus: string }[] };
    }>(`/api/v1/product/lots/${lotId}`);
    expect(lotTrace.body.lot.vials).toMatchObject({ used: 1, discarded: 1, available: 1 });
    expect(lotTrace.body.allocation.recipients.map((r) => [r.studyId, r.received, r.preparationStatus])).toEqual([
      [cellKit.studyId, false, 'failed'],
      [cellKit.studyId, true, 'administered'],
    ]);
    const donorTrace = await dsmb.get<{
      lots: unknown[];
      allocation: { recipients: { studyId: string; received: boolean }[] };
    }>(`/api/v1/product/donors/${donorId}`);
    expect(donorTrace.body.lots).toHaveLength(2);
    expect(donorTrace.body.allocation.recipients.filter((r) => r.received).map((r) => r.studyId)).toEqual([
      cellKit.studyId,
    ]);
    const chain = await lab.get<{
      allocation: {
        arm: string;
        administeredPreparationId: string;
        chain: {
          preparation: { id: string; status: string };
          vial: { vialCode: string; status: string };
          lot: { lotNumber: string };
          donor: { donorCode: string };
        }[];
      };
      administration: { day0: string };
    }>(`/api/v1/participants/${cellKit.participantId}/product-chain`);
    expect(chain.body.allocation.arm).toBe('ADMSC');
    const used = chain.body.allocation.chain.find(
      (c) => c.preparation.id === chain.body.allocation.administeredPreparationId,
    )!;
    expect([
      used.donor.donorCode,
      used.lot.lotNumber,
      used.vial.vialCode,
      used.vial.status,
      used.preparation.status,
    ]).toEqual(['DON-1', 'L-1', 'L-1-V2', 'used', 'administered']);
    expect(chain.body.administration.day0).toBe(expectedDay0);
    const salineChain = await lab.get<{
      allocation: {
        arm: string;
        chain: { preparation: { salineBatch: string }; vial: null; lot: null; donor: null }[];
      };
    }>(`/api/v1/participants/${salineKit.participantId}/product-chain`);
    expect(salineChain.body.allocation).toMatchObject({
      arm: 'SALINE',
      chain: [{ preparation: { salineBatch: 'NaCl-B2341' }, vial: null, lot: null, donor: null }],
    });
    expect((await inv.get(`/api/v1/participants/${cellKit.participantId}/product-chain`)).status).toBe(403);

    const sterile = await lab.post<{ postReleaseSterility: string }>(
      `/api/v1/product/preparations/${chain.body.allocation.administeredPreparationId}/sterility`,
      { result: 'growth' },
    );
    expect(sterile.body.postReleaseSterility).toBe('growth');
    const alerts = await server.ctx.database.db
      .selectFrom('outbox')
      .select(['recipient', 'payload_json'])
      .where('kind', '=', 'product_sterility_alert')
      .execute();
    expect(alerts.map((a) => a.recipient).sort()).toEqual(['dsmb@t.local', 'lab@t.local', 'sponsor']);
  });

  it('emergency unblinding reveals the arm to the requesting investigator only, notifies, audits and flags', async () => {
    const target = cellKit;
    expect(
      (
        await nurse.post(`/api/v1/participants/${target.participantId}/emergency-unblinding`, {
          reason: 'Septic arthritis, treating surgeon needs to know',
          signature: { password: PASSWORD },
        })
      ).status,
    ).toBe(403);
    const short = await inv2.post<ErrorBody>(`/api/v1/participants/${target.participantId}/emergency-unblinding`, {
      reason: 'SAE',
      signature: { password: PASSWORD },
    });
    expect(short.status).toBe(400);
    expect(short.body.error.details[0]?.path).toBe('reason');
    const wrongPw = await inv2.post<ErrorBody>(`/api/v1/participants/${target.participantId}/emergency-unblinding`, {
      reason: 'Septic arthritis, treating surgeon needs to know',
      signature: { password: 'wrong' },
    });
    expect(wrongPw.status).toBe(400);
    expect(wrongPw.body.error.details[0]?.path).toBe('signature.password');
    const notRandomized = await inv2.post<ErrorBody>(`/api/v1/participants/${people[1]!.id}/emergency-unblinding`, {
      reason: 'Septic arthritis, treating surgeon needs to know',
      signature: { password: PASSWORD },
    });
    expect(notRandomized.status).toBe(409);
    expect(await server.ctx.database.db.selectFrom('emergency_unblindings').select('id').execute()).toEqual([]);

    const reason = 'Suspected septic arthritis (SAE); the treating surgeon needs to know whether cells were given';
    const u = await inv2.post<{
      unblinding: { id: string; studyId: string; requestedBy: string };
      arm: string;
      armLabel: string;
    }>(`/api/v1/participants/${target.participantId}/emergency-unblinding`, {
      reason,
      signature: { password: PASSWORD },
    });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    expect(u.body.arm).toBe('ADMSC');
    expect(u.body.unblinding).toMatchObject({ studyId: target.studyId, requestedBy: 'inv2@t.local' });

    expect(
      (await inv2.get<{ arm: string }>(`/api/v1/emergency-unblindings/${u.body.unblinding.id}/arm`)).body.arm,
    ).toBe('ADMSC');
    const otherInv = await inv.get<ErrorBody>(`/api/v1/emergency-unblindings/${u.body.unblinding.id}/arm`);
    expect(otherInv.status).toBe(403);
    expect(revealsArm(otherInv.body)).toBe(false);
    for (const c of [inv, nurse, mon]) {
      const view = await c.get<{ randomization: Randomization; emergencyUnblindings: { reason: string }[] }>(
        `/api/v1/participants/${target.participantId}/randomization`,
      );
      expect(view.body.randomization.emergencyUnblinded).toBe(true);
      expect(view.body.emergencyUnblindings.map((x) => x.reason)).toEqual([reason]);
      expect(revealsArm(view.body)).toBe(false);
    }
    const log = await mon.get<{ unblindings: { studyId: string; requestedBy: string }[] }>(
      '/api/v1/emergency-unblindings',
    );
    expect(log.body.unblindings).toMatchObject([{ studyId: target.studyId, requestedBy: 'inv2@t.local' }]);
    expect(revealsArm(log.body)).toBe(false);
    expect((await nurse.get('/api/v1/emergency-unblindings')).status).toBe(403);

    const outbox = await server.ctx.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'emergency_unblinding')
      .execute();
    expect(outbox.map((o) => o.recipient).sort()).toEqual(['dsmb@t.local', 'lab@t.local', 'sponsor']);
    for (const o of outbox) {
      expect(JSON.parse(o.payload_json)).toMatchObject({
        studyId: target.studyId,
        requestedBy: 'inv2@t.local',
        reason,
      });
      expect(o.payload_json).not.toMatch(/ADMSC|SALINE|arm/i);
    }
    const audit = (
      await admin.get<{ records: { action: string; reason: string | null; actor: string }[] }>(
        `/api/v1/audit?entityId=${target.participantId}`,
      )
    ).body.records;
    expect(audit.filter((r) => r.action === 'unblinding.emergency')).toMatchObject([{ actor: 'inv2@t.local', reason }]);
    expect(audit.map((r) => r.action)).toContain('unblinding.arm_viewed');
    expect(audit.map((r) => r.action)).toContain('esignature.signed');
    expect(revealsArm(audit)).toBe(false);
  });

  it('after database lock the statistician sees arms and anyone can verify the revealed list', async () => {
    const commitment = (await mon.get<{ commitment: string }>('/api/v1/randomization/status')).body.commitment;
    expect((await stat.get<ErrorBody>('/api/v1/randomization/allocation-list/reveal')).body.error.message).toMatch(
      /only after database lock/,
    );
    expect(
      (await dm.post('/api/v1/study/lock', { reason: 'final analysis', signature: { password: PASSWORD } })).status,
    ).toBe(200);
    expect((await nurse.get('/api/v1/randomization/allocation-list/reveal')).status).toBe(403);
    const statList = await stat.get<{ randomizations: Randomization[] }>('/api/v1/randomizations');
    expect(statList.body.randomizations.every((r) => r.arm === 'ADMSC' || r.arm === 'SALINE')).toBe(true);
    const invList = await inv.get<{ randomizations: Randomization[] }>('/api/v1/randomizations');
    expect(revealsArm(invList.body)).toBe(false);

    const revealed = await stat.get<AllocationList>('/api/v1/randomization/allocation-list/reveal');
    expect(revealed.status).toBe(200);
    expect(revealed.body.commitment).toBe(commitment);
    expect(revealed.body.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyAllocationList(revealed.body)).toMatchObject({ ok: true, commitment });
    const slots = (
      await stat.get<{ slots: { kit: string; arm: string; studyId: string | null }[] }>(
        '/api/v1/randomization/allocation-list',
      )
    ).body.slots;
    for (const r of statList.body.randomizations) {
      expect(slots.find((s) => s.kit === r.kit)).toMatchObject({ arm: r.arm, studyId: r.studyId });
    }
    const tampered = { ...revealed.body, salt: revealed.body.salt.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    expect(verifyAllocationList(tampered).ok).toBe(false);
    // Randomizing is a clinical write: refused on a locked database.
    const locked = await nurse.post<ErrorBody>(`/api/v1/participants/${people[1]!.id}/randomize`, {});
    expect(locked.body.error.code).toBe('database_locked');
  });
});
