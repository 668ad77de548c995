/**
 * Visits over real HTTP on both engines: Day 0 from the baseline visit (a leap day), every
 * follow-up visit recorded at both edges of its window and one day outside either edge (accepted,
 * and entered in the deviation register, which a correction back into the window voids), missed
 * visits, reasons for changes, the calendar of due and overdue visits, and the casebook matrix.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { visitWindowDates } from '../src/core/ecrf/participant-schedule.js';
import { STEMJOINT_PROTOCOL } from '../src/core/protocol/stemjoint.js';
import { addCalendarDays } from '../src/core/schedule/plain-date.js';
import { siteToday } from '../src/services/ecrf-store.js';
import { describeEachEngine } from './support/engines.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createTeam, enrolParticipant, type ErrorBody, type Team } from './api-ecrf-fixtures.js';

interface Visit {
  visit: string;
  status: string;
  deviation: boolean;
  target: string | null;
  earliest: string | null;
  latest: string | null;
  doneOn: string | null;
  studyDay: number | null;
  missed: boolean;
  missedReason: string | null;
}
interface Deviation {
  visitCode: string;
  category: string;
  status: string;
  source: string;
  deviationDate: string;
}

const DAY0 = '2020-02-29';
const FOLLOW_UPS = ['M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'] as const;

describeEachEngine('visits, windows and deviations API', (engine) => {
  let server: TestServer;
  let team: Team;
  let p: { id: string; studyId: string };
  const visit = (code: string) => `/api/v1/participants/${p.id}/visits/${code}`;

  beforeAll(async () => {
    server = await startTestServer(engine);
    team = await createTeam(server);
    p = await enrolParticipant(team);
  });
  afterAll(async () => server.close());

  it('takes Day 0 from the baseline visit until the injection is recorded', async () => {
    const before = await team.nurse.get<{ day0: string | null; visits: Visit[] }>(
      `/api/v1/participants/${p.id}/schedule`,
    );
    expect(before.body.day0).toBeNull();
    expect(before.body.visits.map((v) => [v.visit, v.status])).toEqual([
      ['SCR', 'done_in_window'], // the screening date of the screening log
      ['BL', 'due'],
      ...FOLLOW_UPS.map((v) => [v, 'not_yet_due']),
    ]);
    const bl = await team.nurse.request<Visit>('PUT', visit('BL'), { date: DAY0 });
    expect(bl.status, JSON.stringify(bl.body)).toBe(200);
    const after = await team.nurse.get<{ day0: string; day0Source: string; visits: Visit[] }>(
      `/api/v1/participants/${p.id}/schedule`,
    );
    expect(after.body).toMatchObject({ day0: DAY0, day0Source: 'baseline_visit' });
    const m12 = after.body.visits.find((v) => v.visit === 'M12')!;
    expect(m12).toMatchObject({
      target: '2021-02-28',
      earliest: '2021-01-29',
      latest: '2021-03-30',
      status: 'overdue',
    });
  });

  it.each(FOLLOW_UPS)('%s: accepted at both window edges; one day outside is accepted as a deviation', async (code) => {
    const w = visitWindowDates(STEMJOINT_PROTOCOL, code, DAY0)!;
    const put = (date: string, reason?: string) =>
      team.nurse.request<Visit>('PUT', visit(code), reason === undefined ? { date } : { date, reason });
    const deviations = async () =>
      (
        await team.monitor.get<{ deviations: Deviation[] }>(`/api/v1/deviations?participantId=${p.id}`)
      ).body.deviations.filter((d) => d.visitCode === code);

    const early = await put(w.earliest);
    expect(early.status, JSON.stringify(early.body)).toBe(200);
    expect(early.body).toMatchObject({ status: 'done_in_window', deviation: false, doneOn: w.earliest });

    const tooEarly = await put(addCalendarDays(w.earliest, -1), 'visit date entered wrongly');
    expect(tooEarly.body).toMatchObject({ status: 'done_out_of_window', deviation: true });
    expect(await deviations()).toEqual([
      expect.objectContaining({
        category: 'visit_window',
        status: 'open',
        source: 'auto',
        deviationDate: addCalendarDays(w.earliest, -1),
      }),
    ]);

    const late = await put(w.latest, 'corrected from the source');
    expect(late.body).toMatchObject({ status: 'done_in_window', deviation: false });
    expect((await deviations()).map((d) => d.status)).toEqual(['voided']);

    const tooLate = await put(addCalendarDays(w.latest, 1), 'corrected again');
    expect(tooLate.body).toMatchObject({ status: 'done_out_of_window', deviation: true });
    expect((await deviations()).map((d) => d.status)).toEqual(['voided', 'open']);
  });

  it('needs a reason to change a recorded visit, refuses future dates, records missed visits', async () => {
    const noReason = await team.nurse.request<ErrorBody>('PUT', visit('M3'), { date: '2020-05-30' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0]?.path).toBe('reason');
    const future = await team.nurse.request<ErrorBody>('PUT', visit('SCR'), {
      date: addCalendarDays(siteToday(server.ctx), 1),
    });
    expect(future.status).toBe(400);
    expect(future.body.error.details[0]?.path).toBe('date');
    const other = await enrolParticipant(team);
    await team.nurse.request('PUT', `/api/v1/participants/${other.id}/visits/BL`, { date: DAY0 });
    const missed = await team.nurse.request<Visit>('PUT', `/api/v1/participants/${other.id}/visits/M12`, {
      missed: true,
      missedReason: 'participant abroad',
    });
    expect(missed.status, JSON.stringify(missed.body)).toBe(200);
    expect(missed.body).toMatchObject({ status: 'missed', missed: true, missedReason: 'participant abroad' });
    expect((await team.nurse.request('PUT', `/api/v1/participants/${other.id}/visits/D7`, { date: DAY0 })).status).toBe(
      400,
    );
    expect(
      (
        await team.nurse.request('PUT', `/api/v1/participants/${other.id}/visits/M3`, {
          missed: true,
          missedReason: '',
        })
      ).status,
    ).toBe(400);
  });

  it('shows due and overdue visits on the calendar', async () => {
    const today = siteToday(server.ctx);
    const q = await enrolParticipant(team);
    await team.nurse.request('PUT', `/api/v1/participants/${q.id}/visits/BL`, { date: addCalendarDays(today, -91) });
    const cal = await team.monitor.get<{
      entries: { studyId: string; visit: string; status: string; daysOverdue: number | null }[];
      counts: Record<string, number>;
    }>('/api/v1/ecrf/calendar');
    expect(cal.status, JSON.stringify(cal.body)).toBe(200);
    const mine = cal.body.entries.filter((e) => e.studyId === q.studyId);
    expect(mine).toEqual([expect.objectContaining({ visit: 'M3', status: 'due', daysOverdue: null })]);
    // the first participant's unrecorded follow-ups are long overdue — none here: all recorded; the
    // third participant (missed M12) still has overdue visits
    expect(cal.body.entries.some((e) => e.status === 'overdue' && e.daysOverdue! > 0)).toBe(true);
    expect(cal.body.counts.due).toBeGreaterThanOrEqual(1);
    const ahead = await team.nurse.get<{ entries: { studyId: string; visit: string }[] }>(
      `/api/v1/ecrf/calendar?from=${addCalendarDays(today, 250)}&to=${addCalendarDays(today, 320)}`,
    );
    expect(ahead.body.entries.filter((e) => e.studyId === q.studyId).map((e) => e.visit)).toEqual(['M12']);
    expect((await team.statistician.get('/api/v1/ecrf/calendar')).status).toBe(403);
    expect((await team.nurse.get('/api/v1/ecrf/calendar?from=2026-02-30')).status).toBe(400);
  });

  it('builds the casebook matrix with visit windows and cell statuses', async () => {
    await team.nurse.request('PUT', `/api/v1/participants/${p.id}/visits/BL/forms/nrs`, {
      values: { nrs_pain: 3 },
      action: 'draft',
    });
    const cb = await team.monitor.get<{
      day0: string;
      visits: Visit[];
      forms: { formId: string; managedBy: string | null }[];
      cells: { visitCode: string; formId: string; status: string; managedBy: string | null }[];
      deviations: number;
      progress: { expected: number; submitted: number; draft: number };
    }>(`/api/v1/participants/${p.id}/casebook`);
    expect(cb.status, JSON.stringify(cb.body)).toBe(200);
    expect(cb.body.day0).toBe(DAY0);
    expect(cb.body.visits.map((v) => v.visit)).toEqual(['SCR', 'BL', ...FOLLOW_UPS]);
    expect(cb.body.forms.map((f) => f.formId)).toEqual(
      expect.arrayContaining([
        'screening',
        'koos',
        'nrs',
        'clinical_exam',
        'mri_moaks',
        'mri_quant',
        'hla_typing',
        'hla_antibody',
        'administration',
        'blinding_assessment',
      ]),
    );
    expect(cb.body.cells.find((c) => c.visitCode === 'BL' && c.formId === 'nrs')?.status).toBe('draft');
    expect(cb.body.cells.find((c) => c.visitCode === 'M3' && c.formId === 'koos')?.status).toBe('not_started');
    expect(cb.body.cells.find((c) => c.visitCode === 'BL' && c.formId === 'administration')).toMatchObject({
      managedBy: 'product_chain',
    });
    expect(cb.body.cells.some((c) => c.visitCode === 'Y3' && c.formId === 'mri_moaks')).toBe(false);
    expect(cb.body.deviations).toBe(FOLLOW_UPS.length);
    expect(cb.body.progress.draft).toBe(1);
  });
});
