/**
 * Data cleaning and oversight over real HTTP on both engines: automatic queries from soft edit
 * checks (raised on submission, closed when corrected, not raised again for a confirmed value),
 * the manual query lifecycle with its thread and audit, query counts, source data verification
 * with the changes since verification, form and casebook locks, the investigator's casebook
 * signature (voided by a later change), and the database lock: every eCRF write route answers 409
 * and changes nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_CLINICAL_EXAM, SAMPLE_KOOS, SAMPLE_NRS } from '../src/core/ecrf/test-fixtures.js';
import { ecrfRoutes } from '../src/server/routes/ecrf-routes.js';
import { describeEachEngine } from './support/engines.js';
import { startTestServer, type TestServer } from './support/server.js';
import {
  createTeam,
  ecrfSnapshot,
  enrolParticipant,
  PASSWORDS,
  type ErrorBody,
  type Team,
} from './api-ecrf-fixtures.js';

interface Query {
  id: string;
  status: string;
  origin: string;
  itemPath: string | null;
  checkCode: string | null;
  answer: string | null;
  reopenCount: number;
  closedBy: string | null;
  studyId: string;
  events?: { action: string; by: string; text: string | null }[];
}
interface SaveResult {
  instance: { id: string; version: number; locked: boolean };
  autoQueries: { raised: number; closed: number };
}
interface Sdv {
  status: string;
  verifiedVersion: number | null;
  changes: { path: string; verified: unknown; current: unknown }[];
}
interface Casebook {
  locked: boolean;
  signature: { signedBy: string; signatureId: string } | null;
}

describeEachEngine('queries, monitoring and locking API', (engine) => {
  let server: TestServer;
  let team: Team;
  let p: { id: string; studyId: string };
  let examId: string;
  const exam = () => `/api/v1/participants/${p.id}/visits/BL/forms/clinical_exam`;
  const queries = async (filter: string) =>
    (await team.monitor.get<{ queries: Query[] }>(`/api/v1/queries?participantId=${p.id}&${filter}`)).body.queries;

  beforeAll(async () => {
    server = await startTestServer(engine);
    team = await createTeam(server);
    p = await enrolParticipant(team);
  });
  afterAll(async () => server.close());

  it('raises an automatic query for a value outside its soft limits on submission, and closes it when corrected', async () => {
    const draft = await team.nurse.request<SaveResult>('PUT', exam(), {
      values: { ...SAMPLE_CLINICAL_EXAM, right_flexion_deg: 155 },
      action: 'draft',
    });
    expect(draft.body.autoQueries).toEqual({ raised: 0, closed: 0 }); // drafts raise nothing
    const r = await team.nurse.request<SaveResult>('PUT', exam(), {
      values: { ...SAMPLE_CLINICAL_EXAM, right_flexion_deg: 155 },
      action: 'submit',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.autoQueries).toEqual({ raised: 1, closed: 0 });
    examId = r.body.instance.id;
    const open = await queries('status=unresolved');
    expect(open).toEqual([
      expect.objectContaining({
        origin: 'auto',
        itemPath: 'right_flexion_deg',
        checkCode: 'soft_range',
        status: 'open',
        studyId: p.studyId,
      }),
    ]);
    const view = await team.nurse.get<{ itemStates: Record<string, { warnings: unknown[]; openQueries: number }> }>(
      exam(),
    );
    expect(view.body.itemStates.right_flexion_deg).toMatchObject({
      openQueries: 1,
      warnings: [expect.objectContaining({ code: 'soft_range' })],
    });

    const fixed = await team.nurse.request<SaveResult>('PUT', exam(), {
      values: SAMPLE_CLINICAL_EXAM,
      action: 'submit',
      reason: 'goniometer misread',
    });
    expect(fixed.body.autoQueries).toEqual({ raised: 0, closed: 1 });
    const closed = await team.monitor.get<Query>(`/api/v1/queries/${open[0]!.id}`);
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'system' });
    expect(closed.body.events?.map((e) => e.action)).toEqual(['raised', 'auto_closed']);

    // The value comes back: asked again. Confirmed by the site and closed by the monitor: not again.
    const back = await team.nurse.request<SaveResult>('PUT', exam(), {
      values: { ...SAMPLE_CLINICAL_EXAM, right_flexion_deg: 155 },
      action: 'submit',
      reason: 'source says 155',
    });
    expect(back.body.autoQueries.raised).toBe(1);
    const [again] = await queries('status=open&origin=auto');
    expect(
      (
        await team.nurse.post(`/api/v1/queries/${again!.id}/answer`, {
          text: 'confirmed: hypermobile knee, 155° on the source',
        })
      ).status,
    ).toBe(200);
    expect((await team.monitor.post(`/api/v1/queries/${again!.id}/close`, { text: 'accepted' })).status).toBe(200);
    const other = await team.nurse.request<SaveResult>('PUT', exam(), {
      values: { ...SAMPLE_CLINICAL_EXAM, right_flexion_deg: 155, assessor: 'MH' },
      action: 'submit',
      reason: 'assessor initials corrected',
    });
    expect(other.body.autoQueries).toEqual({ raised: 0, closed: 0 });
  });

  it('runs the manual query lifecycle: open → answered → re-opened → answered → closed, each step audited', async () => {
    expect(
      (await team.nurse.post(`/api/v1/form-instances/${examId}/queries`, { itemPath: 'right_knee_circ_cm', text: 'x' }))
        .status,
    ).toBe(403);
    const bad = await team.monitor.post<ErrorBody>(`/api/v1/form-instances/${examId}/queries`, {
      itemPath: 'right_knee',
      text: 'Please check',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]?.path).toBe('itemPath');
    const raised = await team.monitor.post<Query>(`/api/v1/form-instances/${examId}/queries`, {
      itemPath: 'right_knee_circ_cm',
      text: 'Source says 41.0 cm — please check',
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(201);
    expect(raised.body).toMatchObject({
      origin: 'manual',
      status: 'open',
      itemPath: 'right_knee_circ_cm',
      reopenCount: 0,
    });
    const id = raised.body.id;
    expect((await team.monitor.post(`/api/v1/queries/${id}/answer`, { text: 'me' })).status).toBe(403);
    expect((await team.nurse.post(`/api/v1/queries/${id}/close`, {})).status).toBe(403);
    expect(
      (await team.nurse.post<Query>(`/api/v1/queries/${id}/answer`, { text: 'Checked: 41.5 is right' })).body,
    ).toMatchObject({ status: 'answered', answer: 'Checked: 41.5 is right' });
    expect((await team.nurse.post(`/api/v1/queries/${id}/answer`, { text: 'again' })).status).toBe(409);
    expect(
      (await team.monitor.post<Query>(`/api/v1/queries/${id}/reopen`, { text: 'The worksheet says 41.0' })).body,
    ).toMatchObject({ status: 'open', reopenCount: 1 });
    await team.investigator.post(`/api/v1/queries/${id}/answer`, { text: 'Worksheet corrected; 41.5 confirmed' });
    const done = await team.dataManager.post<Query>(`/api/v1/queries/${id}/close`, { text: 'resolved' });
    expect(done.body.status).toBe('closed');
    const thread = await team.nurse.get<Query>(`/api/v1/queries/${id}`);
    expect(thread.body.events?.map((e) => [e.action, e.by])).toEqual([
      ['raised', 'monitor@t.local'],
      ['answered', 'nurse@t.local'],
      ['reopened', 'monitor@t.local'],
      ['answered', 'inv@t.local'],
      ['closed', 'dm@t.local'],
    ]);
    const audit = await server.ctx.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label'])
      .where('entity_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'query.raised',
      'query.answered',
      'query.reopened',
      'query.answered',
      'query.closed',
    ]);
    // A query on the whole form has no item path.
    const whole = await team.dataManager.post<Query>(`/api/v1/form-instances/${examId}/queries`, {
      text: 'Assessor differs from the injector?',
    });
    expect(whole.body.itemPath).toBeNull();
  });

  it('counts queries per site, participant, form and age', async () => {
    const s = await team.dataManager.get<{
      byStatus: Record<string, number>;
      unresolved: {
        total: number;
        bySite: Record<string, number>;
        byParticipant: Record<string, number>;
        byForm: Record<string, number>;
        byAge: Record<string, number>;
      };
    }>('/api/v1/queries/summary');
    expect(s.status).toBe(200);
    expect(s.body.unresolved).toMatchObject({
      total: 1,
      bySite: { 'site-auh': 1 },
      byParticipant: { [p.studyId]: 1 },
      byForm: { clinical_exam: 1 },
      byAge: { '0-7d': 1 },
    });
    expect(s.body.byStatus.closed).toBeGreaterThanOrEqual(3);
    expect((await team.otherSiteNurse.get<{ queries: Query[] }>('/api/v1/queries')).body.queries).toEqual([]);
    expect((await team.statistician.get('/api/v1/queries')).status).toBe(403);
  });

  it('verifies a form against source documents and shows what changed since', async () => {
    const current = await team.monitor.get<{ instance: { version: number }; sdv: Sdv }>(
      `/api/v1/form-instances/${examId}`,
    );
    expect(current.body.sdv.status).toBe('not_verified');
    const version = current.body.instance.version;
    expect((await team.nurse.post(`/api/v1/form-instances/${examId}/sdv`, { version })).status).toBe(403);
    expect((await team.monitor.post(`/api/v1/form-instances/${examId}/sdv`, { version: version - 1 })).status).toBe(
      409,
    );
    const verified = await team.monitor.post<{ sdv: Sdv }>(`/api/v1/form-instances/${examId}/sdv`, { version });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body.sdv).toMatchObject({ status: 'verified', verifiedVersion: version, changes: [] });
    const worklist = async () =>
      (
        await team.monitor.get<{ forms: { instanceId: string; sdvStatus: string }[] }>(
          `/api/v1/ecrf/sdv-worklist?participantId=${p.id}`,
        )
      ).body.forms;
    expect((await worklist()).some((f) => f.instanceId === examId)).toBe(false);

    await team.nurse.request('PUT', exam(), {
      values: { ...SAMPLE_CLINICAL_EXAM, right_flexion_deg: 155, assessor: 'MH', left_knee_circ_cm: 40.1 },
      action: 'submit',
      reason: 're-measured',
    });
    const after = await team.monitor.get<{ sdv: Sdv }>(`/api/v1/form-instances/${examId}`);
    expect(after.body.sdv).toMatchObject({
      status: 'changed_since_verification',
      verifiedVersion: version,
      changes: [{ path: 'left_knee_circ_cm', verified: 39.8, current: 40.1 }],
    });
    expect(await worklist()).toEqual([
      expect.objectContaining({ instanceId: examId, sdvStatus: 'changed_since_verification' }),
    ]);
    const cb = await team.monitor.get<{
      cells: { visitCode: string; formId: string; instance: { sdv: string } | null }[];
    }>(`/api/v1/participants/${p.id}/casebook`);
    expect(cb.body.cells.find((c) => c.visitCode === 'BL' && c.formId === 'clinical_exam')?.instance?.sdv).toBe(
      'changed_since_verification',
    );
  });

  it('locks a form (data manager), refusing changes until unlocked with a reason', async () => {
    const unresolved = await queries('status=unresolved');
    const refused = await team.dataManager.post<ErrorBody>(`/api/v1/form-instances/${examId}/lock`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.details[0]?.path).toBe('queries');
    for (const q of unresolved) {
      await team.dataManager.post(`/api/v1/queries/${q.id}/close`, { text: 'closed for lock' });
    }
    expect((await team.monitor.post(`/api/v1/form-instances/${examId}/lock`, {})).status).toBe(403);
    const locked = await team.dataManager.post<{ locked: boolean }>(`/api/v1/form-instances/${examId}/lock`, {
      reason: 'clean',
    });
    expect(locked.status, JSON.stringify(locked.body)).toBe(200);
    expect(locked.body.locked).toBe(true);
    const before = await ecrfSnapshot(server);
    expect(
      (await team.nurse.request('PUT', exam(), { values: SAMPLE_CLINICAL_EXAM, action: 'submit', reason: 'x' })).status,
    ).toBe(409);
    expect(
      (await team.monitor.post(`/api/v1/form-instances/${examId}/queries`, { text: 'late question' })).status,
    ).toBe(409);
    expect(await ecrfSnapshot(server)).toEqual(before);
    expect((await team.dataManager.post(`/api/v1/form-instances/${examId}/unlock`, {})).status).toBe(400);
    const unlocked = await team.dataManager.post<{ locked: boolean }>(`/api/v1/form-instances/${examId}/unlock`, {
      reason: 'site found a transcription error',
    });
    expect(unlocked.body.locked).toBe(false);
    const history = await team.monitor.get<{ history: { action: string; reason: string | null }[] }>(
      `/api/v1/form-instances/${examId}/history`,
    );
    expect(history.body.history.slice(-2)).toEqual([
      expect.objectContaining({ action: 'form.locked', reason: 'clean' }),
      expect.objectContaining({ action: 'form.unlocked', reason: 'site found a transcription error' }),
    ]);
  });

  it('takes the investigator’s e-signature of the casebook, voided by a later change; locks the casebook', async () => {
    const sign = (client = team.investigator, password: string = PASSWORDS.investigator) =>
      client.post<Casebook>(`/api/v1/participants/${p.id}/casebook/sign`, { signature: { password } });
    await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/BL/forms/nrs`, {
      values: { nrs_pain: 4 },
      action: 'draft',
    });
    expect((await sign()).status).toBe(409); // a draft is left
    await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/BL/forms/nrs`, {
      values: SAMPLE_NRS,
      action: 'submit',
    });
    expect((await sign(team.nurse, PASSWORDS.nurse)).status).toBe(403);
    const wrong = await sign(team.investigator, 'not-my-password');
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { details: [{ path: 'signature.password' }] } });
    const signed = await sign();
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.signature).toMatchObject({ signedBy: 'inv@t.local' });
    const sig = await server.ctx.database.db
      .selectFrom('signatures')
      .selectAll()
      .where('id', '=', signed.body.signature!.signatureId)
      .executeTakeFirstOrThrow();
    expect(sig).toMatchObject({ entity_type: 'casebook', entity_id: p.id, meaning: 'approval' });

    await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/BL/forms/koos`, {
      values: SAMPLE_KOOS,
      action: 'submit',
    });
    const cb = await team.monitor.get<{ casebook: Casebook }>(`/api/v1/participants/${p.id}/casebook`);
    expect(cb.body.casebook.signature).toBeNull();
    const voided = await server.ctx.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', p.id)
      .where('action', '=', 'casebook.signature_voided')
      .execute();
    expect(voided).toHaveLength(1);
    expect((await sign()).status).toBe(200);

    const lock = await team.dataManager.post<Casebook>(`/api/v1/participants/${p.id}/casebook/lock`, {
      reason: 'last visit done',
    });
    expect(lock.status, JSON.stringify(lock.body)).toBe(200);
    expect(lock.body).toMatchObject({ locked: true, signature: { signedBy: 'inv@t.local' } });
    const before = await ecrfSnapshot(server);
    expect(
      (
        await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/M3/forms/nrs`, {
          values: SAMPLE_NRS,
          action: 'submit',
        })
      ).status,
    ).toBe(409);
    expect(
      (await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/M3`, { date: '2026-01-10' })).status,
    ).toBe(409);
    expect((await team.monitor.post(`/api/v1/form-instances/${examId}/queries`, { text: 'late' })).status).toBe(409);
    expect(await ecrfSnapshot(server)).toEqual(before);
    expect((await team.dataManager.post(`/api/v1/participants/${p.id}/casebook/unlock`, { reason: '' })).status).toBe(
      400,
    );
    const unlocked = await team.dataManager.post<Casebook>(`/api/v1/participants/${p.id}/casebook/unlock`, {
      reason: 'late lab result to enter',
    });
    expect(unlocked.body.locked).toBe(false);
  });

  it('after database lock every eCRF write route answers 409 and changes nothing', async () => {
    const q = await team.monitor.post<Query>(`/api/v1/form-instances/${examId}/queries`, {
      itemPath: 'assessor',
      text: 'who is MH?',
    });
    const answered = await team.monitor.post<Query>(`/api/v1/form-instances/${examId}/queries`, { text: 'second' });
    await team.nurse.post(`/api/v1/queries/${answered.body.id}/answer`, { text: 'ok' });
    const nrs = await team.nurse.get<{ instance: { id: string; version: number } }>(
      `/api/v1/participants/${p.id}/visits/BL/forms/nrs`,
    );
    const pdf = Buffer.from('%PDF locked').toString('base64');
    const calls: Record<string, [client: keyof Team, method: string, path: string, body: unknown]> = {
      recordVisit: ['nurse', 'PUT', `/api/v1/participants/${p.id}/visits/M3`, { date: '2026-01-10' }],
      saveFormAtVisit: [
        'nurse',
        'PUT',
        `/api/v1/participants/${p.id}/visits/M3/forms/nrs`,
        { values: SAMPLE_NRS, action: 'submit' },
      ],
      saveParticipantForm: [
        'nurse',
        'PUT',
        `/api/v1/participants/${p.id}/forms/end_of_study`,
        { values: { eos_status: 'completed' }, action: 'draft' },
      ],
      createFormInstance: [
        'nurse',
        'POST',
        `/api/v1/participants/${p.id}/forms/conmed/instances`,
        { values: { cm_drug: 'x' }, action: 'draft' },
      ],
      saveFormInstance: [
        'nurse',
        'PUT',
        `/api/v1/form-instances/${nrs.body.instance.id}`,
        { values: { ...SAMPLE_NRS, nrs_pain: 1 }, action: 'submit', reason: 'r' },
      ],
      raiseQuery: ['monitor', 'POST', `/api/v1/form-instances/${examId}/queries`, { text: 'q' }],
      answerQuery: ['nurse', 'POST', `/api/v1/queries/${q.body.id}/answer`, { text: 'a' }],
      closeQuery: ['monitor', 'POST', `/api/v1/queries/${q.body.id}/close`, {}],
      reopenQuery: ['monitor', 'POST', `/api/v1/queries/${answered.body.id}/reopen`, { text: 'r' }],
      verifyForm: [
        'monitor',
        'POST',
        `/api/v1/form-instances/${nrs.body.instance.id}/sdv`,
        { version: nrs.body.instance.version },
      ],
      lockForm: ['dataManager', 'POST', `/api/v1/form-instances/${nrs.body.instance.id}/lock`, {}],
      unlockForm: ['dataManager', 'POST', `/api/v1/form-instances/${nrs.body.instance.id}/unlock`, { reason: 'r' }],
      lockCasebook: ['dataManager', 'POST', `/api/v1/participants/${p.id}/casebook/lock`, {}],
      unlockCasebook: ['dataManager', 'POST', `/api/v1/participants/${p.id}/casebook/unlock`, { reason: 'r' }],
      signCasebook: [
        'investigator',
        'POST',
        `/api/v1/participants/${p.id}/casebook/sign`,
        { signature: { password: PASSWORDS.investigator } },
      ],
      uploadAttachment: [
        'nurse',
        'POST',
        `/api/v1/participants/${p.id}/attachments`,
        { name: 'a.pdf', mediaType: 'application/pdf', contentBase64: pdf },
      ],
    };
    const writeRoutes = ecrfRoutes()
      .filter((r) => r.method !== 'GET')
      .map((r) => r.operationId)
      .sort();
    expect(Object.keys(calls).sort()).toEqual(writeRoutes);

    const lock = await team.dataManager.post('/api/v1/study/lock', {
      reason: 'final analysis',
      signature: { password: PASSWORDS.dataManager },
    });
    expect(lock.status, JSON.stringify(lock.body)).toBe(200);
    const before = await ecrfSnapshot(server);
    for (const [operationId, [client, method, path, body]] of Object.entries(calls)) {
      const r = await team[client].request<ErrorBody>(method, path, body);
      expect([operationId, r.status, r.body.error?.code]).toEqual([operationId, 409, 'database_locked']);
    }
    expect(await ecrfSnapshot(server)).toEqual(before);
    // Reading still works.
    expect((await team.monitor.get(`/api/v1/participants/${p.id}/casebook`)).status).toBe(200);
    const unlock = await team.dataManager.post('/api/v1/study/unlock', {
      reason: 'query from the regulator',
      signature: { password: PASSWORDS.dataManager },
    });
    expect(unlock.status).toBe(200);
    expect(
      (
        await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/M3/forms/nrs`, {
          values: SAMPLE_NRS,
          action: 'submit',
        })
      ).status,
    ).toBe(200);
  });
});
