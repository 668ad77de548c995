/**
 * The eCRF engine over real HTTP on both engines: KOOS with its subscale scores, the clinical
 * examination with derived effusion, field-level errors that store nothing, draft vs submit,
 * changes after submission (reason required; the audit trail shows who, when, old, new and why),
 * monitors who see but cannot enter, blinded items, repeating forms, attachments, withdrawal and
 * the baseline readiness that randomization reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CLINICAL_EXAM, SAMPLE_NRS, sampleHlaAntibody, uniformKoos } from '../src/core/ecrf/test-fixtures.js';
import { scoreKoos } from '../src/core/scoring/score-koos.js';
import { checkBaselineReadiness } from '../src/services/baseline-readiness.js';
import { systemActor } from '../src/services/context.js';
import { saveFormAtVisit } from '../src/services/ecrf.js';
import { describeEachEngine } from './support/engines.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createTeam, ecrfSnapshot, enrolParticipant, type ErrorBody, type Team } from './api-ecrf-fixtures.js';

interface SaveResult {
  instance: { id: string; status: string; version: number; submittedBy: string | null; protocolVersion: string };
  values: Record<string, unknown>;
  derived: Record<string, number | boolean | null>;
  warnings: { path: string; code?: string }[];
  masked: string[];
  changes: { path: string; before: unknown; after: unknown }[];
  autoQueries: { raised: number; closed: number };
}
interface FormView {
  instance: SaveResult['instance'] | null;
  values: Record<string, unknown>;
  derived: Record<string, unknown>;
  masked: string[];
  definition: {
    groups: { id: string; items: { id: string; visible: boolean; applicable: boolean; derived: boolean }[] }[];
  };
  itemStates: Record<string, { warnings: unknown[]; openQueries: number }>;
}
interface HistoryEntry {
  seq: number;
  at: string;
  by: string;
  action: string;
  reason: string | null;
  changes: { path: string; before: unknown; after: unknown }[];
}

const KOOS_PARTIAL = { S1: 1, S2: 4, S3: 2, S4: 1, P1: 3, P2: 2, P3: 1, P4: 2, Q1: 3, Q4: 2, A1: 0 } as const;

describeEachEngine('eCRF forms API', (engine) => {
  let server: TestServer;
  let team: Team;
  let p: { id: string; studyId: string };
  const form = (visit: string, formId: string) => `/api/v1/participants/${p.id}/visits/${visit}/forms/${formId}`;

  beforeAll(async () => {
    server = await startTestServer(engine);
    team = await createTeam(server);
    p = await enrolParticipant(team);
  });
  afterAll(async () => server.close());

  it('scores a KOOS submitted through the API, exactly as scoreKoos, unrounded', async () => {
    const r = await team.nurse.request<SaveResult>('PUT', form('BL', 'koos'), {
      values: KOOS_PARTIAL,
      action: 'submit',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.instance).toMatchObject({
      status: 'submitted',
      version: 1,
      submittedBy: 'nurse@t.local',
      protocolVersion: '1.0',
    });
    const expected = scoreKoos(KOOS_PARTIAL);
    expect(r.body.derived).toEqual({
      koos_symptoms: expected.symptoms,
      koos_pain: null, // 4 of 9 answered: below the threshold of 5
      koos_adl: null,
      koos_sport: null,
      koos_qol: expected.qol,
    });
    expect(r.body.derived.koos_symptoms).toBe(100 - (8 * 25) / 4);
    const all0 = await team.nurse.request<SaveResult>('PUT', form('M3', 'koos'), {
      values: uniformKoos(0),
      action: 'submit',
    });
    expect(all0.body.derived).toEqual({
      koos_symptoms: 100,
      koos_pain: 100,
      koos_adl: 100,
      koos_sport: 100,
      koos_qol: 100,
    });
    const all4 = await team.nurse.request<SaveResult>('PUT', form('M12', 'koos'), {
      values: uniformKoos(4),
      action: 'submit',
    });
    expect(all4.body.derived).toEqual({ koos_symptoms: 0, koos_pain: 0, koos_adl: 0, koos_sport: 0, koos_qol: 0 });
    const read = await team.monitor.get<FormView>(form('BL', 'koos'));
    expect(read.status).toBe(200);
    expect(read.body.values).toEqual(KOOS_PARTIAL);
    expect(read.body.derived.koos_symptoms).toBe(expected.symptoms);
  });

  it('derives effusion from the clinical examination on the server', async () => {
    const r = await team.nurse.request<SaveResult>('PUT', form('BL', 'clinical_exam'), {
      values: SAMPLE_CLINICAL_EXAM,
      action: 'submit',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.derived).toEqual({ right_effusion: true, left_effusion: false });
    const tap = { ...SAMPLE_CLINICAL_EXAM, right_stroke_test: '0', right_patellar_tap: false, left_patellar_tap: true };
    const changed = await team.nurse.request<SaveResult>('PUT', form('BL', 'clinical_exam'), {
      values: tap,
      action: 'submit',
      reason: 'transcription error: stroke test was 0; tap on the left',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.derived).toEqual({ right_effusion: false, left_effusion: true });
  });

  it('refuses bad input with field-level errors and stores nothing', async () => {
    const before = await ecrfSnapshot(server);
    const bad = await team.nurse.request<ErrorBody>('PUT', form('M3', 'clinical_exam'), {
      values: {
        ...SAMPLE_CLINICAL_EXAM,
        right_flexion_deg: '120',
        left_flexion_deg: 175,
        right_knee_circ_cm: 41.25,
        right_stroke_test: '5+',
        colour: 'blue',
        right_effusion: true,
      },
      action: 'draft',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.map((d) => [d.path, d.code])).toEqual([
      ['values.right_flexion_deg', 'type'],
      ['values.right_stroke_test', 'code_list'],
      ['values.right_effusion', 'derived'],
      ['values.right_knee_circ_cm', 'precision'],
      ['values.left_flexion_deg', 'hard_range'],
      ['values.colour', 'unknown_item'],
    ]);
    const koos = await team.nurse.request<ErrorBody>('PUT', form('M24', 'koos'), {
      values: { S1: 5, S9: 1, P1: 'often' },
      action: 'submit',
    });
    expect(koos.status).toBe(400);
    expect(koos.body.error.details.map((d) => d.path)).toEqual(['values.S1', 'values.P1', 'values.S9']);
    const missing = await team.nurse.request<ErrorBody>('PUT', form('M3', 'nrs'), {
      values: { nrs_pain: 4 },
      action: 'submit',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d) => [d.path, d.code])).toEqual([
      ['values.nrs_recall', 'required'],
      ['values.nrs_aspect', 'required'],
    ]);
    const notObject = await team.nurse.request<ErrorBody>('PUT', form('M3', 'nrs'), {
      values: [1, 2],
      action: 'submit',
    });
    expect(notObject.status).toBe(400);
    const wrongVisit = await team.nurse.request<ErrorBody>('PUT', form('Y3', 'clinical_exam'), {
      values: {},
      action: 'draft',
    });
    expect(wrongVisit.status).toBe(400);
    expect(wrongVisit.body.error.details[0]?.path).toBe('visitCode');
    expect((await team.nurse.request('PUT', form('M7', 'koos'), { values: {}, action: 'draft' })).status).toBe(404);
    expect((await team.nurse.request('PUT', form('M3', 'no_such_form'), { values: {}, action: 'draft' })).status).toBe(
      404,
    );
    // the injection is kept by the product chain, adverse events by the safety module
    expect(
      (await team.nurse.request('PUT', form('BL', 'administration'), { values: {}, action: 'draft' })).status,
    ).toBe(409);
    expect(await ecrfSnapshot(server)).toEqual(before);
    const view = await team.nurse.get<FormView>(form('M3', 'clinical_exam'));
    expect(view.body.instance).toBeNull();
  });

  it('keeps drafts incomplete, then submits; a submitted value changed without a reason is refused, with a reason it is audited', async () => {
    const draft = await team.nurse.request<SaveResult>('PUT', form('BL', 'nrs'), {
      values: { nrs_pain: 6 },
      action: 'draft',
    });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    expect(draft.body.instance).toMatchObject({ status: 'draft', version: 1, submittedBy: null });
    const edited = await team.nurse.request<SaveResult>('PUT', form('BL', 'nrs'), {
      values: { nrs_pain: 7, nrs_recall: 'last_7d' },
      action: 'draft',
    });
    expect(edited.body.instance.version).toBe(2);
    const submitted = await team.nurse.request<SaveResult>('PUT', form('BL', 'nrs'), {
      values: SAMPLE_NRS,
      action: 'submit',
    });
    expect(submitted.body.instance).toMatchObject({ status: 'submitted', version: 3 });
    const id = submitted.body.instance.id;

    const before = await ecrfSnapshot(server);
    const noReason = await team.nurse.request<ErrorBody>('PUT', `/api/v1/form-instances/${id}`, {
      values: { ...SAMPLE_NRS, nrs_pain: 5 },
      action: 'submit',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details).toEqual([expect.objectContaining({ path: 'reason' })]);
    const backToDraft = await team.nurse.request<ErrorBody>('PUT', `/api/v1/form-instances/${id}`, {
      values: SAMPLE_NRS,
      action: 'draft',
      reason: 'x',
    });
    expect(backToDraft.status).toBe(400);
    const stale = await team.nurse.request<ErrorBody>('PUT', `/api/v1/form-instances/${id}`, {
      values: { ...SAMPLE_NRS, nrs_pain: 5 },
      action: 'submit',
      reason: 'r',
      expectedVersion: 2,
    });
    expect(stale.status).toBe(409);
    expect(await ecrfSnapshot(server)).toEqual(before);

    // Re-submitting identical values is a no-op, not a change.
    const same = await team.nurse.request<SaveResult>('PUT', `/api/v1/form-instances/${id}`, {
      values: SAMPLE_NRS,
      action: 'submit',
    });
    expect(same.status).toBe(200);
    expect(same.body.instance.version).toBe(3);
    expect(same.body.changes).toEqual([]);

    const withReason = await team.investigator.request<SaveResult>('PUT', `/api/v1/form-instances/${id}`, {
      values: { ...SAMPLE_NRS, nrs_pain: 5 },
      action: 'submit',
      reason: 'participant corrected the score on the paper source',
      expectedVersion: 3,
    });
    expect(withReason.status, JSON.stringify(withReason.body)).toBe(200);
    expect(withReason.body.instance.version).toBe(4);
    expect(withReason.body.changes).toEqual([{ path: 'nrs_pain', before: 6, after: 5 }]);

    const history = await team.monitor.get<{ history: HistoryEntry[] }>(`/api/v1/form-instances/${id}/history`);
    expect(history.status).toBe(200);
    const last = history.body.history.at(-1)!;
    expect(last).toMatchObject({
      by: 'inv@t.local',
      action: 'form.changed',
      reason: 'participant corrected the score on the paper source',
      changes: [{ path: 'nrs_pain', before: 6, after: 5 }],
    });
    expect(Date.parse(last.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(history.body.history.map((h) => h.action)).toEqual([
      'form.draft_saved',
      'form.draft_saved',
      'form.submitted',
      'form.changed',
    ]);
    expect(history.body.history[1]?.changes).toEqual([
      { path: 'nrs_pain', before: 6, after: 7 },
      { path: 'nrs_recall', before: null, after: 'last_7d' },
    ]);
    // The same change is in the hash-chained audit log.
    const audit = await server.ctx.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', id)
      .where('action', '=', 'form.changed')
      .executeTakeFirstOrThrow();
    expect(audit.actor_label).toBe('inv@t.local');
    expect(JSON.parse(audit.before_json!)).toMatchObject({ values: { nrs_pain: 6 } });
    expect(JSON.parse(audit.after_json!)).toMatchObject({ values: { nrs_pain: 5 } });
    expect(audit.reason).toBe('participant corrected the score on the paper source');
  });

  it('lets a monitor and a data manager see but never enter data; other sites see nothing', async () => {
    const before = await ecrfSnapshot(server);
    for (const client of [team.monitor, team.dataManager, team.statistician]) {
      expect((await client.request('PUT', form('M24', 'nrs'), { values: SAMPLE_NRS, action: 'submit' })).status).toBe(
        403,
      );
      expect(
        (await client.request('PUT', `/api/v1/participants/${p.id}/visits/M3`, { date: '2026-01-01' })).status,
      ).toBe(403);
    }
    expect((await team.monitor.get(form('BL', 'nrs'))).status).toBe(200);
    expect((await team.otherSiteNurse.get(form('BL', 'nrs'))).status).toBe(403);
    expect(
      (await team.otherSiteNurse.request('PUT', form('M24', 'nrs'), { values: SAMPLE_NRS, action: 'submit' })).status,
    ).toBe(403);
    expect((await team.otherSiteNurse.get(`/api/v1/participants/${p.id}/casebook`)).status).toBe(403);
    expect(await ecrfSnapshot(server)).toEqual(before);
  });

  it('clears values of hidden items and reports them', async () => {
    const r = await team.nurse.request<SaveResult>('PUT', `/api/v1/participants/${p.id}/forms/end_of_study`, {
      values: {
        eos_status: 'completed',
        eos_date: '2026-11-01',
        last_contact_date: '2026-11-01',
        eos_reason: 'other',
        eos_reason_other: 'x',
      },
      action: 'draft',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.values).toEqual({ eos_status: 'completed', eos_date: '2026-11-01', last_contact_date: '2026-11-01' });
    expect(
      r.body.warnings
        .filter((w) => w.code === 'cleared_hidden')
        .map((w) => w.path)
        .sort(),
    ).toEqual(['values.eos_reason', 'values.eos_reason_other']);
  });

  it('keeps repeating forms as numbered instances (concomitant medication)', async () => {
    const cm = {
      cm_drug: 'Paracetamol',
      cm_indication: 'knee pain',
      cm_route: 'oral',
      cm_start: '2026-01',
      cm_ongoing: true,
    };
    const first = await team.nurse.post<SaveResult & { instance: { repeatNo: number } }>(
      `/api/v1/participants/${p.id}/forms/conmed/instances`,
      { values: cm, action: 'draft' },
    );
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await team.nurse.post<SaveResult & { instance: { repeatNo: number } }>(
      `/api/v1/participants/${p.id}/forms/conmed/instances`,
      { values: { ...cm, cm_drug: 'Ibuprofen' }, action: 'draft' },
    );
    expect([first.body.instance.repeatNo, second.body.instance.repeatNo]).toEqual([1, 2]);
    expect(
      (await team.nurse.request('PUT', `/api/v1/participants/${p.id}/forms/conmed`, { values: cm, action: 'draft' }))
        .status,
    ).toBe(400);
    const casebook = await team.nurse.get<{ logs: { formId: string; instances: { repeatNo: number }[] }[] }>(
      `/api/v1/participants/${p.id}/casebook`,
    );
    expect(casebook.body.logs.find((l) => l.formId === 'conmed')?.instances.map((i) => i.repeatNo)).toEqual([1, 2]);
  });

  it('hides potentially unblinding antibody results from blinded roles, and blinded writers can neither enter nor erase them', async () => {
    const bl = sampleHlaAntibody([{ spec: 'A*02:01', positive: false, dsa: true, mfi: 300 }]);
    const strip = (v: Record<string, unknown>) => ({
      ...v,
      beads: (v.beads as Record<string, unknown>[]).map(({ bead_donor_specific: _d, ...rest }) => rest),
    });
    // A blinded nurse cannot enter the donor-specific flag …
    const refused = await team.nurse.request<ErrorBody>('PUT', form('BL', 'hla_antibody'), {
      values: bl,
      action: 'submit',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({ path: 'values.beads[0].bead_donor_specific', code: 'blinded' }),
    ]);
    // … but can submit the rest of the form.
    const saved = await team.nurse.request<SaveResult>('PUT', form('BL', 'hla_antibody'), {
      values: strip(bl),
      action: 'submit',
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // The derived (potentially unblinding) values are hidden from every blinded reader.
    for (const client of [team.nurse, team.monitor, team.statistician]) {
      const view = await client.get<FormView>(form('BL', 'hla_antibody'));
      expect(view.status).toBe(200);
      expect(view.body.derived).toEqual({});
      expect(view.body.masked).toEqual(['dsa_detected']);
      const items = view.body.definition.groups.flatMap((g) => g.items);
      expect(items.find((i) => i.id === 'bead_donor_specific')?.visible).toBe(false);
      expect(items.find((i) => i.id === 'de_novo_dsa')?.applicable).toBe(false);
      const history = await client.get<{ history: HistoryEntry[] }>(
        `/api/v1/form-instances/${saved.body.instance.id}/history`,
      );
      expect(JSON.stringify(history.body)).not.toContain('dsa_detected');
    }
  });

  it('derives de novo DSA at M3 from the baseline beads, and recomputes it when the baseline changes', async () => {
    // Donor-specific flags come from an unblinded source (a laboratory interface, here a system actor).
    const lab = systemActor('tissue-typing-lab');
    const q = await enrolParticipant(team);
    const m3 = await saveFormAtVisit(server.ctx, lab, q.id, 'M3', 'hla_antibody', {
      values: sampleHlaAntibody([{ spec: 'A*02:01', positive: true, dsa: true, mfi: 4200 }]),
      action: 'submit',
    });
    expect(m3.derived).toEqual({ dsa_detected: true, de_novo_dsa: null }); // no baseline screen yet
    await saveFormAtVisit(server.ctx, lab, q.id, 'BL', 'hla_antibody', {
      values: sampleHlaAntibody([{ spec: 'A*02:01', positive: false, dsa: true, mfi: 300 }]),
      action: 'submit',
    });
    const derived = async () =>
      JSON.parse(
        (
          await server.ctx.database.db
            .selectFrom('form_instances')
            .select('derived_json')
            .where('id', '=', m3.instance.id)
            .executeTakeFirstOrThrow()
        ).derived_json,
      ) as Record<string, unknown>;
    expect(await derived()).toEqual({ dsa_detected: true, de_novo_dsa: true });
    await saveFormAtVisit(server.ctx, lab, q.id, 'BL', 'hla_antibody', {
      values: sampleHlaAntibody([{ spec: 'A*02:01', positive: true, dsa: true, mfi: 2500 }]),
      action: 'submit',
      reason: 'baseline re-read: pre-formed antibody',
    });
    expect(await derived()).toEqual({ dsa_detected: true, de_novo_dsa: false });
    const recomputed = await server.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', m3.instance.id)
      .where('action', '=', 'form.derived_recomputed')
      .execute();
    expect(recomputed).toHaveLength(2);
    // Blinded readers see neither the flags nor the derived result.
    const view = await team.nurse.get<FormView>(`/api/v1/form-instances/${m3.instance.id}`);
    expect(view.body.derived).toEqual({});
    expect(view.body.masked.sort()).toEqual(['beads[0].bead_donor_specific', 'de_novo_dsa', 'dsa_detected']);
    expect(
      JSON.stringify((await team.monitor.get(`/api/v1/form-instances/${m3.instance.id}/history`)).body),
    ).not.toMatch(/donor_specific|dsa/);
  });

  it('stores attachments content-addressed and refuses references to files never uploaded', async () => {
    const content = Buffer.from('%PDF-1.4 MRI report of the index knee');
    const up = await team.nurse.post<{ sha256: string; size: number; name: string; mediaType: string }>(
      `/api/v1/participants/${p.id}/attachments`,
      {
        name: 'mri-report.pdf',
        mediaType: 'application/pdf',
        contentBase64: content.toString('base64'),
      },
    );
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const { createHash } = await import('node:crypto');
    expect(up.body).toEqual({
      sha256: createHash('sha256').update(content).digest('hex'),
      name: 'mri-report.pdf',
      mediaType: 'application/pdf',
      size: content.length,
    });
    const again = await team.nurse.post<{ sha256: string }>(`/api/v1/participants/${p.id}/attachments`, {
      name: 'copy.pdf',
      mediaType: 'application/pdf',
      contentBase64: content.toString('base64'),
    });
    expect(again.body.sha256).toBe(up.body.sha256);
    const rows = await server.ctx.database.db
      .selectFrom('ecrf_attachments')
      .selectAll()
      .where('sha256', '=', up.body.sha256)
      .execute();
    expect(rows).toHaveLength(1);
    const down = await team.monitor.get<{ contentBase64: string; name: string }>(
      `/api/v1/participants/${p.id}/attachments/${up.body.sha256}`,
    );
    expect(down.status).toBe(200);
    expect(Buffer.from(down.body.contentBase64, 'base64').equals(content)).toBe(true);
    expect(
      (
        await team.nurse.post(`/api/v1/participants/${p.id}/attachments`, {
          name: 'x.exe',
          mediaType: 'application/x-msdownload',
          contentBase64: 'AAAA',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await team.nurse.post(`/api/v1/participants/${p.id}/attachments`, {
          name: 'big.pdf',
          mediaType: 'application/pdf',
          contentBase64: Buffer.alloc(720 * 1024).toString('base64'),
        })
      ).status,
    ).toBe(400);
    expect((await team.otherSiteNurse.get(`/api/v1/participants/${p.id}/attachments/${up.body.sha256}`)).status).toBe(
      403,
    );

    // The scanned consent form is a file item of the consent form.
    const consent = (doc: unknown) => ({ consent_given: true, signature_mode: 'wet_ink', consent_document: doc });
    const ok = await team.nurse.request<SaveResult>('PUT', form('SCR', 'consent'), {
      values: consent(up.body),
      action: 'draft',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const unknown = await team.nurse.request<ErrorBody>('PUT', form('SCR', 'consent'), {
      values: consent({ ...up.body, sha256: 'b'.repeat(64) }),
      action: 'draft',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0]).toMatchObject({ path: 'values.consent_document', code: 'attachment' });
  });

  it('reports the baseline readiness that randomization requires', async () => {
    const fresh = await enrolParticipant(team);
    const db = server.ctx.database.db;
    expect(await checkBaselineReadiness(db, fresh.id)).toEqual({
      complete: false,
      missing: ['koos', 'nrs', 'clinical_exam'],
    });
    const at = (formId: string) => `/api/v1/participants/${fresh.id}/visits/BL/forms/${formId}`;
    await team.nurse.request('PUT', at('koos'), { values: uniformKoos(2), action: 'submit' });
    await team.nurse.request('PUT', at('nrs'), { values: SAMPLE_NRS, action: 'draft' });
    expect(await checkBaselineReadiness(db, fresh.id)).toEqual({ complete: false, missing: ['nrs', 'clinical_exam'] });
    await team.nurse.request('PUT', at('nrs'), { values: SAMPLE_NRS, action: 'submit' });
    await team.nurse.request('PUT', at('clinical_exam'), { values: SAMPLE_CLINICAL_EXAM, action: 'submit' });
    expect(await checkBaselineReadiness(db, fresh.id)).toEqual({ complete: true, missing: [] });
  });

  it('respects the withdrawal scope: after no_further_data only the end-of-study form', async () => {
    const w = await enrolParticipant(team);
    const withdrawn = await team.nurse.post(`/api/v1/participants/${w.id}/withdraw`, {
      scope: 'no_further_data',
      reason: 'does not want more contact',
      withdrawnOn: '2026-11-01',
    });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    const refused = await team.nurse.request<ErrorBody>('PUT', `/api/v1/participants/${w.id}/visits/BL/forms/nrs`, {
      values: SAMPLE_NRS,
      action: 'submit',
    });
    expect(refused.status).toBe(409);
    expect(
      (await team.nurse.request('PUT', `/api/v1/participants/${w.id}/visits/M3`, { date: '2026-11-10' })).status,
    ).toBe(409);
    const eos = await team.nurse.request('PUT', `/api/v1/participants/${w.id}/forms/end_of_study`, {
      values: {
        eos_status: 'early_termination',
        eos_date: '2026-11-01',
        eos_reason: 'consent_withdrawn',
        follow_up_data_allowed: false,
        last_contact_date: '2026-11-01',
      },
      action: 'submit',
    });
    expect(eos.status, JSON.stringify(eos.body)).toBe(200);
  });

  describe('form definitions for pages', () => {
    it('describes items with types, units, limits, code lists and conditions', async () => {
      const r = await team.nurse.get<{ groups: { items: Record<string, unknown>[] }[] }>(
        '/api/v1/ecrf/forms/clinical_exam?visitCode=BL',
      );
      expect(r.status).toBe(200);
      const items = r.body.groups.flatMap((g) => g.items);
      expect(items.find((i) => i.id === 'right_knee_circ_cm')).toMatchObject({
        type: 'decimal',
        precision: 1,
        unit: { ucum: 'cm' },
        range: { hardMin: 20, hardMax: 80 },
        required: true,
      });
      expect(items.find((i) => i.id === 'right_effusion')).toMatchObject({
        derived: true,
        derivationMethod: 'expression',
      });
      expect(
        (items.find((i) => i.id === 'right_stroke_test')?.codeList as { entries: unknown[] }).entries,
      ).toHaveLength(5);
      expect((await team.nurse.get('/api/v1/ecrf/forms/nope')).status).toBe(404);
    });
  });
});
