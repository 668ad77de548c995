/**
 * Participant ePRO over real HTTP on both engines: access by code and PIN, the participant's scope
 * (every operation of the OpenAPI document called with the participant cookie), diary days and
 * their windows, bad input in the participant's language that stores nothing, the answers landing
 * in the eCRF's form instances with their scores for the site, AE review signals, withdrawal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays } from '../src/core/schedule/plain-date.js';
import { uniformKoos } from '../src/core/ecrf/test-fixtures.js';
import { describeEachEngine } from './support/engines.js';
import { startTestServer, type TestServer } from './support/server.js';
import { fillPath, listOperations } from './support/openapi-crawl.js';
import { createTeam, ecrfSnapshot, type ErrorBody, type Team } from './api-ecrf-fixtures.js';
import {
  DIARY_OK,
  giveAccess,
  ParticipantClient,
  participantWithDay0,
  setCopenhagenClock,
} from './api-epro-fixtures.js';

interface Summary {
  visitCode: string;
  formId: string;
  state: string;
  status: string;
}

describeEachEngine('participant ePRO API', (engine) => {
  let server: TestServer;
  let team: Team;
  let today: string;
  let diaryP: { id: string; studyId: string };
  let access: { handle: string; code: string };
  let me: ParticipantClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    // 20:00 in Copenhagen today: today's diary day has opened (18:00), yesterday's is late.
    today = setCopenhagenClock(server, '20:00');
    team = await createTeam(server);
    diaryP = await participantWithDay0(team, addCalendarDays(today, -5), 5);
    access = await giveAccess(team, diaryP.id);
    me = new ParticipantClient(server.url);
  }, 120_000);
  afterAll(async () => server?.close());

  describe('sign-in', () => {
    it('refuses a wrong code in Danish and accepts the right one once', async () => {
      const stranger = new ParticipantClient(server.url);
      const wrong = await stranger.login(access.handle, { code: '000000' === access.code ? '111111' : '000000' });
      expect(wrong.status).toBe(401);
      expect((wrong.body as unknown as ErrorBody).error.message).toMatch(/Koden er forkert/);
      const ok = await me.login(access.handle, { code: access.code });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.language).toBe('da');
      expect(ok.headers.get('set-cookie')).toMatch(/sj_participant=.*HttpOnly.*SameSite=Strict/i);
      const again = await new ParticipantClient(server.url, 'en-GB').login(access.handle, { code: access.code });
      expect(again.status).toBe(401);
      // The stored language (Danish) wins over the browser's once the access is known.
      expect((again.body as unknown as ErrorBody).error.message).toMatch(/Koden er forkert/);
      const audit = await server.ctx.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_label'])
        .where('entity_id', '=', diaryP.id)
        .where('action', 'like', 'epro.login%')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['epro.login_failed', 'epro.login', 'epro.login_failed']);
      expect(audit[1]?.actor_label).toBe(`system:participant:${diaryP.studyId}`);
    });

    it('answers a request without a session with 401 in the language of Accept-Language', async () => {
      const en = await new ParticipantClient(server.url, 'en-GB,en;q=0.9').request<ErrorBody>(
        'GET',
        '/api/v1/participant/questionnaires',
      );
      expect(en.status).toBe(401);
      expect(en.body.error.message).toMatch(/not signed in/);
      const da = await new ParticipantClient(server.url).request<ErrorBody>(
        'GET',
        '/api/v1/participant/questionnaires',
      );
      expect(da.body.error.message).toMatch(/ikke logget ind/);
    });

    it('refuses a participant write without the CSRF header', async () => {
      const r = await me.request<ErrorBody>(
        'PUT',
        '/api/v1/participant/questionnaires/D5/pain_diary',
        { values: DIARY_OK, action: 'draft' },
        { 'x-csrf-token': 'wrong' },
      );
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('csrf_failed');
    });
  });

  describe('open questionnaires and diary windows', () => {
    it('lists today (open), the days still accepting late entries, and nothing closed or not yet open', async () => {
      const r = await me.request<Summary[]>('GET', '/api/v1/participant/questionnaires');
      expect(r.status).toBe(200);
      const codes = r.body.map((q) => `${q.visitCode}:${q.state}`);
      // Day 0 = today − 5: D5 is today (open since 18:00), D2–D4 late, D1 closed, D6 tomorrow.
      expect(codes).toEqual(['D2:late', 'D3:late', 'D4:late', 'D5:open']);
      expect(JSON.stringify(r.body)).not.toMatch(/arm|kit|ADMSC|saline|@t\.local/i);
    });

    it('refuses a closed day and a day not yet open with a Danish message, storing nothing', async () => {
      const before = await ecrfSnapshot(server);
      const closed = await me.request<ErrorBody>('PUT', '/api/v1/participant/questionnaires/D1/pain_diary', {
        values: DIARY_OK,
        action: 'submit',
      });
      expect(closed.status).toBe(409);
      expect(closed.body.error.message).toMatch(/Fristen .* er udløbet/);
      const early = await me.request<ErrorBody>('PUT', '/api/v1/participant/questionnaires/D6/pain_diary', {
        values: DIARY_OK,
        action: 'submit',
      });
      expect(early.status).toBe(409);
      expect(early.body.error.message).toMatch(/ikke åbent endnu/);
      const notOurs = await me.request<ErrorBody>('GET', '/api/v1/participant/questionnaires/M3/clinical_exam');
      expect(notOurs.status).toBe(404);
      expect(await ecrfSnapshot(server)).toEqual(before);
    });

    it('refuses out-of-range answers, system items and unknown items with Danish messages per question, storing nothing', async () => {
      const before = await ecrfSnapshot(server);
      const r = await me.request<ErrorBody>('PUT', '/api/v1/participant/questionnaires/D5/pain_diary', {
        values: { ...DIARY_OK, nrs_worst_24h: 11, knee_swelling: 'enormous' },
        action: 'submit',
      });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe('Nogle svar skal rettes, før skemaet kan gemmes.');
      expect(r.body.error.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'values.nrs_worst_24h', message: 'Vælg et tal mellem 0 og 10.' }),
          expect.objectContaining({ path: 'values.knee_swelling', message: 'Vælg et af svarene.' }),
        ]),
      );
      const sys = await me.request<ErrorBody>('PUT', '/api/v1/participant/questionnaires/D5/pain_diary', {
        values: { ...DIARY_OK, entered_at: '2020-01-01T10:00:00+01:00' },
        action: 'submit',
      });
      expect(sys.status).toBe(400);
      expect(sys.body.error.details[0]).toMatchObject({
        path: 'values.entered_at',
        message: 'Dette felt hører ikke til skemaet.',
      });
      const missing = await me.request<ErrorBody>('PUT', '/api/v1/participant/questionnaires/D5/pain_diary', {
        values: { nrs_worst_24h: 3 },
        action: 'submit',
      });
      expect(missing.status).toBe(400);
      expect(missing.body.error.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: 'values.nrs_average_24h', message: 'Besvar venligst dette spørgsmål.' }),
        ]),
      );
      expect(await ecrfSnapshot(server)).toEqual(before);
    });

    it('keeps a partial diary as a draft, resumes it, submits it once and refuses the replay', async () => {
      const draft = await me.request('PUT', '/api/v1/participant/questionnaires/D5/pain_diary', {
        values: { nrs_worst_24h: 8 },
        action: 'draft',
      });
      expect(draft.status, JSON.stringify(draft.body)).toBe(200);
      const resumed = await me.request<{
        values: Record<string, unknown>;
        status: string;
        progress: { answered: number };
      }>('GET', '/api/v1/participant/questionnaires/D5/pain_diary');
      expect(resumed.body.status).toBe('draft');
      expect(resumed.body.values).toEqual({ nrs_worst_24h: 8 });
      expect(resumed.body.progress.answered).toBe(1);
      const answers = {
        nrs_worst_24h: 8,
        nrs_average_24h: 6,
        knee_swelling: 'severe',
        analgesic_taken: true,
        analgesics: [{ analgesic_drug: 'Paracetamol', analgesic_dose_mg: 1000, analgesic_count: 3 }],
        other_symptoms: 'Lidt feber om aftenen',
      };
      const submit = await me.request<{ status: string; late: boolean }>(
        'PUT',
        '/api/v1/participant/questionnaires/D5/pain_diary',
        { values: answers, action: 'submit' },
      );
      expect(submit.status, JSON.stringify(submit.body)).toBe(200);
      expect(submit.body).toMatchObject({ status: 'submitted', late: false });
      const before = await ecrfSnapshot(server);
      const replay = await me.request<ErrorBody>('PUT', '/api/v1/participant/questionnaires/D5/pain_diary', {
        values: answers,
        action: 'submit',
      });
      expect(replay.status).toBe(409);
      expect(replay.body.error.message).toMatch(/allerede sendt/);
      const read = await me.request<ErrorBody>('GET', '/api/v1/participant/questionnaires/D5/pain_diary');
      expect(read.status).toBe(409);
      expect(await ecrfSnapshot(server)).toEqual(before);
      const list = await me.request<Summary[]>('GET', '/api/v1/participant/questionnaires');
      expect(list.body.map((q) => q.visitCode)).toEqual(['D2', 'D3', 'D4']);
    });

    it('accepts a late entry and flags it; the site sees both days, the flag and the compliance', async () => {
      const late = await me.request<{ late: boolean }>('PUT', '/api/v1/participant/questionnaires/D4/pain_diary', {
        values: DIARY_OK,
        action: 'submit',
      });
      expect(late.status, JSON.stringify(late.body)).toBe(200);
      expect(late.body.late).toBe(true);
      const site = await team.nurse.get<{
        diary: { visitCode: string; status: string; late: boolean; nrsWorst: number | null }[];
        compliance: Record<string, number>;
      }>(`/api/v1/participants/${diaryP.id}/epro`);
      expect(site.status).toBe(200);
      const d = Object.fromEntries(site.body.diary.map((x) => [x.visitCode, x]));
      expect(d.D5).toMatchObject({ status: 'submitted', late: false, nrsWorst: 8 });
      expect(d.D4).toMatchObject({ status: 'submitted', late: true });
      expect(site.body.compliance).toEqual({ completed: 2, late: 1, due: 5, missed: 1, of: 30 });
      // The same form instance as site data entry: the eCRF shows it with the derived diary day and late flag.
      const form = await team.nurse.get<{
        values: Record<string, unknown>;
        derived: Record<string, unknown>;
        instance: { status: string };
      }>(`/api/v1/participants/${diaryP.id}/visits/D4/forms/pain_diary`);
      expect(form.body.instance.status).toBe('submitted');
      expect(form.body.derived).toMatchObject({ diary_day: 4, late_entry: true });
      const compliance =
        await team.investigator.get<{ studyId: string; compliance: { completed: number; of: number } }[]>(
          '/api/v1/epro/compliance',
        );
      expect(compliance.body.find((c) => c.studyId === diaryP.studyId)?.compliance).toMatchObject({
        completed: 2,
        of: 30,
      });
    });

    it('raised AE review tasks for the investigator: worst NRS ≥ baseline + 2, severe swelling, free-text symptoms', async () => {
      const tasks = await team.investigator.get<{
        tasks: { participantId: string; source: string; summary: string }[];
      }>(`/api/v1/safety/review-tasks?participantId=${diaryP.id}`);
      expect(tasks.status, JSON.stringify(tasks.body)).toBe(200);
      const summaries = tasks.body.tasks.filter((t) => t.source === 'epro_diary').map((t) => t.summary);
      expect(summaries).toHaveLength(3);
      expect(summaries.some((s) => /D5 .*worst pain 8 ≥ baseline NRS 5 \+ 2/.test(s))).toBe(true);
      expect(summaries.some((s) => /D5 .*severe knee swelling/.test(s))).toBe(true);
      expect(summaries.some((s) => /D5 .*other symptoms/.test(s))).toBe(true);
    });

    it('speaks English after the participant switches language', async () => {
      expect((await me.request('PUT', '/api/v1/participant/language', { language: 'en' })).status).toBe(200);
      const r = await me.request<ErrorBody>('PUT', '/api/v1/participant/questionnaires/D3/pain_diary', {
        values: { ...DIARY_OK, nrs_average_24h: -1 },
        action: 'submit',
      });
      expect(r.body.error.details[0]?.message).toBe('Choose a number between 0 and 10.');
      const q = await me.request<{ title: string }>('GET', '/api/v1/participant/questionnaires/D3/pain_diary');
      expect(q.body.title).toBe('Pain diary');
      await me.request('PUT', '/api/v1/participant/language', { language: 'da' });
    });
  });

  describe('KOOS at a visit window', () => {
    it('a participant answers the KOOS and NRS in the M3 window; the site sees the subscale scores', async () => {
      const p = await participantWithDay0(team, addCalendarDays(today, -91));
      const a = await giveAccess(team, p.id, { channel: 'email', contact: 'karen@example.dk' });
      const client = new ParticipantClient(server.url);
      expect((await client.login(a.handle, { code: a.code })).status).toBe(200);
      const list = await client.request<Summary[]>('GET', '/api/v1/participant/questionnaires');
      expect(list.body.map((q) => `${q.visitCode}/${q.formId}`)).toEqual(['M3/koos', 'M3/nrs']);
      const koos = await client.request<{
        groups: {
          id: string;
          questions: { id: string; label: string; options: { value: number; label: string }[] }[];
        }[];
      }>('GET', '/api/v1/participant/questionnaires/M3/koos');
      expect(koos.status).toBe(200);
      const questions = koos.body.groups.flatMap((g) => g.questions);
      expect(questions).toHaveLength(42);
      expect(questions[0]?.options.map((o) => o.value)).toEqual([0, 1, 2, 3, 4]);
      expect(questions[0]?.options[0]?.label).toMatch(/Trin 0 af 4/);
      const tooHigh = await client.request<ErrorBody>('PUT', '/api/v1/participant/questionnaires/M3/koos', {
        values: { ...uniformKoos(1), S1: 5 },
        action: 'submit',
      });
      expect(tooHigh.status).toBe(400);
      expect(tooHigh.body.error.details[0]).toMatchObject({ path: 'values.S1', message: 'Vælg et af svarene.' });
      const submit = await client.request('PUT', '/api/v1/participant/questionnaires/M3/koos', {
        values: uniformKoos(1),
        action: 'submit',
      });
      expect(submit.status, JSON.stringify(submit.body)).toBe(200);
      const nrs = await client.request('PUT', '/api/v1/participant/questionnaires/M3/nrs', {
        values: { nrs_pain: 3 },
        action: 'submit',
      });
      expect(nrs.status, JSON.stringify(nrs.body)).toBe(200);
      const form = await team.nurse.get<{ derived: Record<string, number> }>(
        `/api/v1/participants/${p.id}/visits/M3/forms/koos`,
      );
      expect(form.body.derived).toMatchObject({
        koos_symptoms: 75,
        koos_pain: 75,
        koos_adl: 75,
        koos_sport: 75,
        koos_qol: 75,
      });
      const nrsForm = await team.nurse.get<{ values: Record<string, unknown> }>(
        `/api/v1/participants/${p.id}/visits/M3/forms/nrs`,
      );
      expect(nrsForm.body.values).toEqual({ nrs_pain: 3, nrs_recall: 'last_7d', nrs_aspect: 'average' });
      const view = await team.nurse.get<{
        questionnaires: { visitCode: string; formId: string; submittedBy: string; scores: Record<string, number> }[];
      }>(`/api/v1/participants/${p.id}/epro`);
      expect(view.body.questionnaires.find((q) => q.visitCode === 'M3' && q.formId === 'koos')).toMatchObject({
        submittedBy: 'participant',
        scores: { koos_pain: 75 },
      });
      // A correction after submission is the site's, with a reason (the eCRF's rule).
      const noReason = await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/M3/forms/nrs`, {
        values: { nrs_pain: 4, nrs_recall: 'last_7d', nrs_aspect: 'average' },
        action: 'submit',
      });
      expect(noReason.status).toBe(400);
    });
  });

  describe("the participant's scope", () => {
    it('every operation outside the participant routes answers 401/403 to the participant cookie', async () => {
      const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
      const ops = listOperations(doc);
      const mine = ops.filter((o) => o.path.startsWith('/api/v1/participant/') || o.path === '/p/');
      expect(mine.length).toBeGreaterThanOrEqual(8);
      const checked: string[] = [];
      for (const op of ops) {
        if (op.isPublic) continue; // public routes: sign-in steps, health, the participant routes themselves
        const path = fillPath(op, { id: diaryP.id, participantId: diaryP.id });
        const r = await me.request<ErrorBody>(op.method, path, op.hasBody ? {} : undefined);
        expect([401, 403], `${op.method} ${op.path} → ${r.status}`).toContain(r.status);
        checked.push(op.operationId);
      }
      expect(checked.length).toBeGreaterThan(50);
      // And with the participant's CSRF token as a staff header, still nothing.
      const r = await me.request('GET', `/api/v1/participants/${diaryP.id}/epro`, undefined, {
        'x-csrf-token': me.csrf ?? '',
      });
      expect(r.status).toBe(401);
    });

    it('the public operations that are not the participant routes give the participant nothing of the trial', async () => {
      const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
      for (const op of listOperations(doc).filter(
        (o) => o.isPublic && o.method === 'GET' && !o.path.startsWith('/api/v1/participant/') && o.path !== '/p/',
      )) {
        const r = await me.request('GET', fillPath(op));
        expect(JSON.stringify(r.body)).not.toContain(diaryP.studyId);
      }
    });

    it('a staff session is not a participant session', async () => {
      const r = await new ParticipantClient(server.url).request(
        'GET',
        '/api/v1/participant/questionnaires',
        undefined,
        { cookie: team.nurse.cookie ?? '' },
      );
      expect(r.status).toBe(401);
    });

    it('staff at another site can neither enrol nor read the participant', async () => {
      expect(
        (
          await team.otherSiteNurse.post(`/api/v1/participants/${diaryP.id}/epro/access`, {
            channel: 'in_person',
            language: 'da',
          })
        ).status,
      ).toBe(403);
      expect((await team.otherSiteNurse.get(`/api/v1/participants/${diaryP.id}/epro`)).status).toBe(403);
      const list = await team.otherSiteNurse.get<{ studyId: string }[]>('/api/v1/epro/compliance');
      expect(list.body.some((c) => c.studyId === diaryP.studyId)).toBe(false);
      expect((await team.statistician.get('/api/v1/epro/compliance')).status).toBe(403);
    });
  });

  describe('PIN, reset and withdrawal', () => {
    it('signs in with a PIN; a reset by the site ends the session and the PIN', async () => {
      expect((await me.request<ErrorBody>('PUT', '/api/v1/participant/pin', { pin: '12' })).status).toBe(400);
      expect((await me.request('PUT', '/api/v1/participant/pin', { pin: '2468' })).status).toBe(200);
      expect((await me.request('POST', '/api/v1/participant/logout')).status).toBe(200);
      expect((await me.request('GET', '/api/v1/participant/me')).status).toBe(401);
      const withPin = await me.login(access.handle, { pin: '2468' });
      expect(withPin.status).toBe(200);
      expect(withPin.body.hasPin).toBe(true);
      const reset = await giveAccess(team, diaryP.id);
      expect((await me.request('GET', '/api/v1/participant/me')).status).toBe(401);
      expect((await me.login(access.handle, { pin: '2468' })).status).toBe(401);
      expect((await me.login(reset.handle, { pin: '2468' })).status).toBe(401);
      expect((await me.login(reset.handle, { code: reset.code })).status).toBe(200);
      access = reset;
    });

    it('locks the access for a while after five wrong PINs', async () => {
      const c = new ParticipantClient(server.url);
      for (let i = 0; i < 4; i++) expect((await c.login(access.handle, { pin: '0000' })).status).toBe(401);
      const locked = await c.login(access.handle, { pin: '0000' });
      expect(locked.status).toBe(403);
      expect((locked.body as unknown as ErrorBody).error.message).toMatch(/For mange forkerte forsøg/);
    });

    it('after withdrawal (no further data) the participant can neither read nor submit, and reminders stop', async () => {
      const w = await team.investigator.post(`/api/v1/participants/${diaryP.id}/withdraw`, {
        scope: 'no_further_data',
        reason: 'wishes to stop',
        withdrawnOn: today,
      });
      expect(w.status, JSON.stringify(w.body)).toBe(200);
      const r = await me.request<ErrorBody>('GET', '/api/v1/participant/questionnaires');
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(/adgang .* er afsluttet/);
      const s = await me.request<ErrorBody>('PUT', '/api/v1/participant/questionnaires/D3/pain_diary', {
        values: DIARY_OK,
        action: 'submit',
      });
      expect(s.status).toBe(403);
    });
  });
});
