/**
 * The blinded-role crawl (issue 5 acceptance): on a database with randomized participants, product
 * chain records, an administration, a failed preparation and an emergency unblinding, every blinded
 * role requests EVERY GET operation of the OpenAPI document — list endpoints first, then each
 * operation with real ids filled into its path (and id-like query) parameters — and no response
 * may contain a field named in ARM_REVEALING_FIELDS nor the arm codes anywhere in its body.
 * Unblinded roles do see the arms where expected.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARM_CODES, ARM_REVEALING_FIELDS } from '../src/services/blinding.js';
import { actorForEmail } from '../src/services/users.js';
import { systemActor } from '../src/services/context.js';
import { getAllocationList, initAllocationList, randomizeParticipant } from '../src/services/randomization.js';
import {
  addVials,
  createDonor,
  createLot,
  prepareDose,
  recordAdministration,
  recordLotRelease,
  recordNonAdministration,
} from '../src/services/product-chain.js';
import { requestEmergencyUnblinding } from '../src/services/unblinding.js';
import { describeEachEngine } from './support/engines.js';
import { ApiClient, ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from './support/server.js';
import { createAccounts, enrolParticipants, loginAs, PASSWORD } from './api-randomization-setup.js';

const BLINDED: { label: string; email: string; password: string }[] = [
  { label: 'investigator', email: 'inv@t.local', password: PASSWORD },
  { label: 'coordinator', email: 'nurse@t.local', password: PASSWORD },
  { label: 'monitor', email: 'mon@t.local', password: PASSWORD },
  { label: 'data_manager', email: 'dm@t.local', password: PASSWORD },
  { label: 'statistician (before lock)', email: 'stat@t.local', password: PASSWORD },
  { label: 'admin', email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
];

interface Operation {
  path: string;
  operationId: string;
  pathParams: string[];
  queryParams: string[];
}

/** What the crawl has seen: string values by key name, and ids listed by the endpoint whose path ends in a segment. */
interface Harvest {
  byKey: Map<string, Set<string>>;
  bySegment: Map<string, Set<string>>;
}

/** Collects every key of a JSON value, and every short string value under its key name (to fill parameters). */
function walk(value: unknown, keys: Set<string>, byKey: Map<string, Set<string>>): void {
  if (Array.isArray(value)) return value.forEach((v) => walk(v, keys, byKey));
  if (!value || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    keys.add(k);
    if (typeof v === 'string' && v.length > 0 && v.length <= 100) {
      const set = byKey.get(k) ?? new Set<string>();
      if (set.size < 200) set.add(v);
      byKey.set(k, set);
    }
    walk(v, keys, byKey);
  }
}

const take = (values: Iterable<string>, n: number): string[] => [...new Set(values)].slice(0, n);

describeEachEngine('blinded-role crawl of every GET operation', (engine) => {
  let server: TestServer;
  /** Known ids by the path segment that names the resource. */
  const idsBySegment = new Map<string, string[]>();
  let operations: Operation[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine);
    const ctx = server.ctx;
    await createAccounts(ctx);
    const people = await enrolParticipants(ctx, 8);
    const nurse = await actorForEmail(ctx.database.db, 'nurse@t.local');
    const lab = await actorForEmail(ctx.database.db, 'lab@t.local');
    const inv2 = await actorForEmail(ctx.database.db, 'inv2@t.local');
    await initAllocationList(ctx, systemActor('test'), { parameters: { per_stratum: 20 } });
    for (const p of people.slice(0, 7)) await randomizeParticipant(ctx, nurse, p.id);
    const arms = new Map((await getAllocationList(ctx, lab)).slots.map((s) => [s.kit, s.arm]));
    const randomized = await ctx.database.db
      .selectFrom('randomizations')
      .select(['participant_id', 'kit'])
      .orderBy('randomization_number')
      .execute();

    const donor = await createDonor(ctx, lab, {
      donorCode: 'DON-9',
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
      lotNumber: 'LOT-9',
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
      vials: Array.from({ length: 8 }, (_, i) => ({ vialCode: `LOT-9-V${i}`, location: 'LN2 A' })),
    });
    const thawedAt = new Date(Date.now() - 90 * 60_000).toISOString();
    let vialIndex = 0;
    let failedOnce = false;
    for (const r of randomized.slice(0, 5)) {
      const cells = arms.get(r.kit) === 'ADMSC';
      const base = { kit: r.kit, thawedAt, volumeMl: 10, appearance: 'conforms' as const, password: PASSWORD };
      if (cells && !failedOnce) {
        await prepareDose(ctx, lab, {
          ...base,
          vialId: vials[vialIndex++]!.id,
          viableCellsMillion: 12,
          viabilityPct: 55,
        });
        failedOnce = true;
      }
      await prepareDose(
        ctx,
        lab,
        cells
          ? { ...base, vialId: vials[vialIndex++]!.id, viableCellsMillion: 20, viabilityPct: 92 }
          : { ...base, salineBatch: 'NaCl-77' },
      );
    }
    for (const r of randomized.slice(0, 4)) {
      await recordAdministration(ctx, nurse, r.participant_id, {
        kit: r.kit,
        administeredAt: new Date(Date.now() - 30 * 60_000).toISOString(),
        kneeSide: 'left',
        ultrasoundGuided: true,
        volumeMl: 10,
        injector: 'Dr. Inj',
      });
    }
    await recordNonAdministration(ctx, nurse, randomized[5]!.participant_id, { reason: 'declined on the day' });
    await requestEmergencyUnblinding(ctx, inv2, randomized[0]!.participant_id, {
      reason: 'Septic arthritis, the surgeon needs to know',
      password: PASSWORD,
    });

    const db = ctx.database.db;
    const col = async <T extends { id: string }>(rows: Promise<T[]>): Promise<string[]> =>
      (await rows).map((r) => r.id);
    idsBySegment.set('participants', await col(db.selectFrom('participants').select('id').execute()));
    idsBySegment.set('screenings', await col(db.selectFrom('screenings').select('id').execute()));
    idsBySegment.set('users', await col(db.selectFrom('users').select('id').execute()));
    idsBySegment.set('donors', await col(db.selectFrom('donors').select('id').execute()));
    idsBySegment.set('lots', await col(db.selectFrom('product_lots').select('id').execute()));
    idsBySegment.set('vials', await col(db.selectFrom('product_vials').select('id').execute()));
    idsBySegment.set('preparations', await col(db.selectFrom('dose_preparations').select('id').execute()));
    idsBySegment.set('emergency-unblindings', await col(db.selectFrom('emergency_unblindings').select('id').execute()));
    idsBySegment.set('randomizations', await col(db.selectFrom('randomizations').select('id').execute()));

    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[] }>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      ops.get
        ? [
            {
              path,
              operationId: ops.get.operationId,
              pathParams: (ops.get.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
              queryParams: (ops.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
            },
          ]
        : [],
    );
  }, 180_000);
  afterAll(async () => server.close());

  /**
   * Candidate values for one path parameter: the ids of the resource named by the preceding path
   * segment (from the database, or listed by the endpoint of that name), else the values seen under
   * a key of the parameter's name (visitCode, formId, …), else every known id.
   */
  function candidates(path: string, param: string, harvest: Harvest): string[] {
    const segments = path.split('/');
    const segment = segments[segments.indexOf(`{${param}}`) - 1] ?? '';
    const known = idsBySegment.get(segment);
    if (known) return known;
    const listed = harvest.bySegment.get(segment);
    if (listed && listed.size > 0) return take(listed, 40);
    const named = harvest.byKey.get(param);
    if (named && named.size > 0) return take(named, 25);
    return take([...[...idsBySegment.values()].flat(), ...(harvest.byKey.get('id') ?? [])], 30);
  }

  function fill(path: string, values: Record<string, string>): string {
    return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
  }

  it('finds no arm in any response to any blinded role', async () => {
    expect(operations.length).toBeGreaterThan(20);
    for (const id of [
      'listRandomizations',
      'getParticipantRandomization',
      'listEmergencyUnblindings',
      'traceParticipant',
      'listPreparations',
      'getAllocationList',
      'viewEmergencyUnblindingArm',
    ]) {
      expect(operations.map((o) => o.operationId)).toContain(id);
    }
    const coverage: Record<string, { requests: number; ok: number; operations: Set<string> }> = {};
    for (const role of BLINDED) {
      const client = role.email === ADMIN_EMAIL ? new ApiClient(server.url) : await loginAs(server.url, role.email);
      if (role.email === ADMIN_EMAIL) expect((await client.login(role.email, role.password)).status).toBe(200);
      const seen = { requests: 0, ok: 0, operations: new Set<string>() };
      coverage[role.label] = seen;
      const harvest: Harvest = { byKey: new Map(), bySegment: new Map() };
      const check = async (op: Operation, url: string): Promise<void> => {
        const res = await fetch(`${server.url}${url}`, { headers: { cookie: client.cookie ?? '' } });
        const text = await res.text();
        seen.requests += 1;
        seen.operations.add(op.operationId);
        if (res.status === 200) seen.ok += 1;
        expect(res.status, `${role.label} GET ${url}`).toBeLessThan(500);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined; // not JSON (e.g. a static page): only the string check applies
        }
        const searchable = text;
        for (const code of ARM_CODES) {
          expect(searchable.includes(code), `${role.label} GET ${url}: body contains ${code}`).toBe(false);
        }
        if (body === undefined) return;
        const keys = new Set<string>();
        const byKey = new Map<string, Set<string>>();
        walk(body, keys, byKey);
        for (const [k, values] of byKey) {
          const all = harvest.byKey.get(k) ?? new Set<string>();
          for (const v of values) if (all.size < 200) all.add(v);
          harvest.byKey.set(k, all);
        }
        if (op.pathParams.length === 0 && res.status === 200) {
          const segment = op.path.split('/').at(-1)!;
          harvest.bySegment.set(
            segment,
            new Set([...(harvest.bySegment.get(segment) ?? []), ...(byKey.get('id') ?? [])]),
          );
        }
        const leaked = [...keys].filter((k) => ARM_REVEALING_FIELDS.has(k));
        expect(leaked, `${role.label} GET ${url}: arm-revealing fields`).toEqual([]);
      };
      // 1. List endpoints (no path parameters), plain.
      for (const op of operations.filter((o) => o.pathParams.length === 0)) await check(op, op.path);
      // 2. Every operation with real ids in its path parameters, and id-like query parameters filled.
      for (const op of operations) {
        if (op.pathParams.length > 0) {
          let combos: Record<string, string>[] = [{}];
          for (const param of op.pathParams) {
            combos = combos
              .flatMap((c) => candidates(op.path, param, harvest).map((v) => ({ ...c, [param]: v })))
              .slice(0, 120);
          }
          for (const values of combos) await check(op, fill(op.path, values));
        }
        for (const q of op.queryParams.filter((n) => n === 'id' || n.endsWith('Id'))) {
          const values =
            idsBySegment.get(q.replace(/Id$/, 's')) ??
            take([...(harvest.byKey.get(q) ?? []), ...[...idsBySegment.values()].flat()], 60);
          for (const v of values) {
            if (op.pathParams.length === 0) await check(op, `${op.path}?${q}=${encodeURIComponent(v)}`);
          }
        }
      }
      expect(seen.operations.size, role.label).toBe(operations.length);
      console.warn(`crawl ${role.label}: ${seen.requests} requests, ${seen.ok} answered 200`);
    }
    // The crawl did reach data: blinded roles saw randomizations, participants and audit records.
    for (const [label, c] of Object.entries(coverage)) expect(c.ok, label).toBeGreaterThan(5);
  }, 600_000);

  it('unblinded roles do see the arms where expected', async () => {
    const lab = await loginAs(server.url, 'lab@t.local');
    const dsmb = await loginAs(server.url, 'dsmb@t.local');
    for (const c of [lab, dsmb]) {
      const list = await c.get<{ randomizations: { arm?: string }[] }>('/api/v1/randomizations');
      expect(list.body.randomizations.length).toBe(7);
      expect(list.body.randomizations.every((r) => r.arm === 'ADMSC' || r.arm === 'SALINE')).toBe(true);
      const alloc = await c.get<{ slots: { arm: string }[] }>('/api/v1/randomization/allocation-list');
      expect(alloc.body.slots.every((s) => s.arm === 'ADMSC' || s.arm === 'SALINE')).toBe(true);
      const preps = await c.get<{ preparations: { arm: string }[] }>('/api/v1/product/preparations');
      expect(preps.body.preparations.length).toBeGreaterThanOrEqual(5);
      expect(preps.body.preparations.every((p) => p.arm === 'ADMSC' || p.arm === 'SALINE')).toBe(true);
    }
    // The statistician after database lock; blinded roles stay blinded.
    const dm = await loginAs(server.url, 'dm@t.local');
    expect(
      (await dm.post('/api/v1/study/lock', { reason: 'final analysis', signature: { password: PASSWORD } })).status,
    ).toBe(200);
    const stat = await loginAs(server.url, 'stat@t.local');
    const statList = await stat.get<{ randomizations: { arm?: string }[] }>('/api/v1/randomizations');
    expect(statList.body.randomizations.every((r) => r.arm === 'ADMSC' || r.arm === 'SALINE')).toBe(true);
    const inv = await loginAs(server.url, 'inv@t.local');
    const invList = await inv.get('/api/v1/randomizations');
    expect(JSON.stringify(invList.body)).not.toMatch(/ADMSC|SALINE|"arm"/);
  });
});
