/**
 * Demo step of safety, on top of the adverse events the simulated trial recorded (local reactions
 * more often in the cell arm, systemic events, serious events reported by the site): the safety
 * physician and the reference safety information, follow-up versions of a few events, SAE cases
 * with every state of their clocks (closed on time, reported late, a SUSAR unblinded for its
 * assessment when an AD-MSC participant is available, overdue, due soon), diary- and form-triggered
 * AE review tasks, a consistency query and one event entered in error. Only service calls.
 *
 * The demo reads the allocation (as a system actor) only to pick a SUSAR candidate; nothing it
 * returns or records names an arm, and every output a blinded user sees stays pooled.
 */
import type { IsoDate } from '../../core/schedule/plain-date.js';
import { addCalendarDays, calendarDaysBetween } from '../../core/schedule/plain-date.js';
import { TZDate } from '@date-fns/tz';
import {
  COPENHAGEN_TZ,
  NOT_SERIOUS,
  type AeAction,
  type AeOutcome,
  type SeriousnessFlags,
} from '../../core/safety/index.js';
import { isTrialError } from '../../core/errors.js';
import {
  createAdverseEvent,
  listSafetyQueries,
  markAdverseEventEnteredInError,
  updateAdverseEvent,
  type AdverseEventDetail,
} from '../adverse-events.js';
import { systemActor, type Actor } from '../context.js';
import { armOfParticipant, day0OfParticipant, designateSafetyPhysician, issueRsiVersion } from '../safety-access.js';
import {
  classifySusar,
  closeSaeCase,
  getSafetyDashboard,
  recordSaeSubmission,
  unblindCaseForSusar,
} from '../safety-cases.js';
import { copenhagenDate } from '../safety-common.js';
import { scanSafetyDeadlines } from '../safety-notifications.js';
import { assessAdverseEventAsSponsor } from '../adverse-events.js';
import { createAeReviewTask, dismissAeReviewTask, recordAeFromReviewTask } from '../safety-review-tasks.js';
import type { DemoEnv } from './demo-env.js';

const HOUR = 3_600_000;

/**
 * Demo coding. The codes are PLACEHOLDERS in a range MedDRA does not use (9xxxxxxx), so that the demo
 * ships no licensed dictionary content; a site codes with its own licensed MedDRA files.
 */
const TERMS = {
  injectionSitePain: {
    soc: ['90000001', 'General disorders and administration site conditions'],
    pt: ['90000101', 'Injection site pain'],
  },
  jointSwelling: {
    soc: ['90000002', 'Musculoskeletal and connective tissue disorders'],
    pt: ['90000201', 'Joint swelling'],
  },
  jointEffusion: {
    soc: ['90000002', 'Musculoskeletal and connective tissue disorders'],
    pt: ['90000202', 'Joint effusion'],
  },
  backPain: { soc: ['90000002', 'Musculoskeletal and connective tissue disorders'], pt: ['90000203', 'Back pain'] },
  headache: { soc: ['90000003', 'Nervous system disorders'], pt: ['90000301', 'Headache'] },
  nasopharyngitis: { soc: ['90000004', 'Infections and infestations'], pt: ['90000401', 'Nasopharyngitis'] },
  septicArthritis: { soc: ['90000004', 'Infections and infestations'], pt: ['90000402', 'Arthritis bacterial'] },
  myocardialInfarction: { soc: ['90000005', 'Cardiac disorders'], pt: ['90000501', 'Myocardial infarction'] },
  pulmonaryEmbolism: {
    soc: ['90000006', 'Respiratory, thoracic and mediastinal disorders'],
    pt: ['90000601', 'Pulmonary embolism'],
  },
  anaphylaxis: { soc: ['90000007', 'Immune system disorders'], pt: ['90000701', 'Anaphylactic reaction'] },
  fall: { soc: ['90000008', 'Injury, poisoning and procedural complications'], pt: ['90000801', 'Fall'] },
} as const;
type TermKey = keyof typeof TERMS;

const meddra = (key: TermKey): Record<string, string> => ({
  version: '27.1',
  socCode: TERMS[key].soc[0],
  socName: TERMS[key].soc[1],
  ptCode: TERMS[key].pt[0],
  ptName: TERMS[key].pt[1],
});

interface DemoParticipant {
  id: string;
  studyId: string;
  day0: IsoDate;
  arm: 'ADMSC' | 'SALINE' | null;
  baselineNrs: number | null;
}

/** The instant of a local wall-clock time on a Copenhagen date. */
function copenhagenInstant(date: IsoDate, hour: number, minute = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, hour, minute, 0, COPENHAGEN_TZ).getTime()).toISOString();
}

export async function demoSafety(env: DemoEnv): Promise<Record<string, unknown>> {
  const { ctx, rng } = env;
  const db = ctx.database.db;
  const admin = await env.actor('admin@demo.local');
  const inv = await env.actor('investigator@demo.local');
  const nurse = await env.actor('coordinator@demo.local');
  const physician = await env.actor('data_manager@demo.local');
  const epro = systemActor('epro-diary');
  const now = ctx.now();
  const today = copenhagenDate(now);
  const yesterday = addCalendarDays(today, -1);

  await designateSafetyPhysician(ctx, admin, {
    email: 'data_manager@demo.local',
    reason: 'Sponsor safety physician named in the safety management plan',
  });
  await issueRsiVersion(ctx, physician, {
    version: 'IB-2023-1 §6.4',
    title: 'Investigator brochure, edition 1 (2023), section 6.4: expected adverse reactions',
    effectiveFrom: '2023-09-01',
  });

  // The participants still in the study, with Day 0 (the injection) and, for the rates only, the arm.
  const rows = await db
    .selectFrom('participants')
    .innerJoin('screenings', 'screenings.id', 'participants.screening_id')
    .select([
      'participants.id',
      'participants.study_id',
      'participants.status',
      'participants.enrolled_at',
      'screenings.data_json',
    ])
    .orderBy('participants.study_id')
    .execute();
  const injected: DemoParticipant[] = [];
  let anyDay0 = false;
  const candidates: (DemoParticipant & { realDay0: boolean })[] = [];
  for (const r of rows) {
    if (r.status === 'withdrawn') continue;
    const values = JSON.parse(r.data_json) as { screening_date?: string; nrs_worst?: number };
    const day0 = await day0OfParticipant(db, r.id);
    if (day0) anyDay0 = true;
    // Without the randomization module there is no Day 0: assume an injection three weeks after screening.
    const proxy = values.screening_date
      ? addCalendarDays(values.screening_date, 21)
      : copenhagenDate(new Date(r.enrolled_at));
    candidates.push({
      id: r.id,
      studyId: r.study_id,
      day0: day0 ?? proxy,
      realDay0: day0 !== null,
      arm: await armOfParticipant(ctx, r.id),
      baselineNrs: values.nrs_worst ?? null,
    });
  }
  for (const c of candidates) if ((c.realDay0 || !anyDay0) && c.day0 <= yesterday) injected.push(c);

  const made: AdverseEventDetail[] = [];
  const record = async (
    actor: Actor,
    p: DemoParticipant,
    fields: Record<string, unknown>,
  ): Promise<AdverseEventDetail> => {
    const ae = await createAdverseEvent(ctx, actor, { participantId: p.id, ...fields });
    made.push(ae);
    return ae;
  };
  /** Awareness a few days after the onset, never in the future. */
  const awareness = (onset: IsoDate, days: number): string => {
    const at = copenhagenInstant(addCalendarDays(onset, days), 9 + rng.int(0, 6), rng.int(0, 59));
    return at > now.toISOString() ? new Date(now.getTime() - HOUR).toISOString() : at;
  };
  const endOf = (onset: IsoDate, days: number): IsoDate | null => {
    const end = addCalendarDays(onset, days);
    return end <= yesterday ? end : null;
  };
  const local = (
    p: DemoParticipant,
    term: TermKey,
    verbatim: string,
    onset: IsoDate,
    duration: number,
    grade: 1 | 2 | 3,
    action: AeAction[],
    withCausality: boolean,
  ): Record<string, unknown> => {
    const end = endOf(onset, duration);
    const outcome: AeOutcome = end ? 'recovered' : 'recovering';
    return {
      verbatimTerm: verbatim,
      ...(rng.chance(0.85) ? { meddra: meddra(term) } : {}),
      onsetDate: onset,
      endDate: end,
      grade,
      seriousness: NOT_SERIOUS,
      localToIndexKnee: true,
      ...(withCausality
        ? { investigatorCausality: { cellProduct: rng.chance(0.5) ? 'related' : 'not_related', procedure: 'related' } }
        : {}),
      actionTaken: action,
      outcome,
      siteAwarenessAt: awareness(onset, rng.int(1, 3)),
    };
  };

  // --- follow-ups of events the simulated trial recorded (the simulator made the events): the next
  // call brings news, recorded as a new version with its reason.
  const recorded = await db
    .selectFrom('adverse_events')
    .innerJoin('participants', 'participants.id', 'adverse_events.participant_id')
    .select(['adverse_events.id', 'adverse_events.onset_date', 'adverse_events.end_date'])
    .where('adverse_events.status', '=', 'active')
    .where('adverse_events.serious', '=', 0)
    .where('participants.status', '!=', 'withdrawn')
    .orderBy('adverse_events.ae_number')
    .limit(3)
    .execute();
  let followUps = 0;
  for (const ae of recorded) {
    const end = ae.end_date ?? endOf(ae.onset_date, 1);
    await updateAdverseEvent(ctx, inv, ae.id, {
      changes: { actionTaken: ['medication'], ...(end === null ? {} : { outcome: 'recovered', endDate: end }) },
      reason: 'Paracetamol taken for a few days; reported by the participant at the follow-up call',
    });
    followUps += 1;
  }

  // --- serious adverse events ----------------------------------------------------------------------
  const old = injected.filter((p) => calendarDaysBetween(p.day0, today) >= 30);
  const pickFrom = (list: DemoParticipant[], used: Set<string>): DemoParticipant | undefined =>
    list.find((p) => !used.has(p.id));
  const used = new Set<string>();
  const cases: Record<string, string> = {};
  const serious = (flags: Partial<SeriousnessFlags>): SeriousnessFlags => ({ ...NOT_SERIOUS, ...flags });
  const report = async (caseId: string, occurredAt: string): Promise<void> => {
    await recordSaeSubmission(ctx, nurse, caseId, {
      kind: 'investigator_initial_report',
      occurredAt,
      reference: `fax ${rng.int(100, 999)}`,
    });
  };
  const acknowledge = async (caseId: string, occurredAt: string): Promise<void> => {
    await recordSaeSubmission(ctx, physician, caseId, {
      kind: 'sponsor_acknowledgement',
      occurredAt: occurredAt > now.toISOString() ? now.toISOString() : occurredAt,
    });
  };

  // 1. Septic arthritis after the injection: related to the procedure, expected per the RSI; on time; closed.
  const p1 = pickFrom(old, used);
  if (p1) {
    used.add(p1.id);
    const onset = addCalendarDays(p1.day0, 4);
    const aware = copenhagenInstant(onset, 16, 20);
    const ae = await record(inv, p1, {
      verbatimTerm: 'Septic arthritis of the index knee',
      meddra: meddra('septicArthritis'),
      onsetDate: onset,
      endDate: addCalendarDays(onset, 16),
      grade: 3,
      seriousness: serious({ hospitalisation: true }),
      localToIndexKnee: true,
      investigatorCausality: { cellProduct: 'not_related', procedure: 'related' },
      actionTaken: ['hospitalisation', 'joint_aspiration', 'medication', 'surgery'],
      outcome: 'recovered',
      narrative:
        'Fever 38.9 °C and a hot, swollen knee four days after the injection. Aspirate: Staphylococcus aureus. Arthroscopic lavage and 6 weeks of antibiotics.',
      siteAwarenessAt: aware,
    });
    const caseId = ae.caseId!;
    await report(caseId, new Date(Date.parse(aware) + 5 * HOUR).toISOString());
    await acknowledge(caseId, new Date(Date.parse(aware) + 6 * HOUR).toISOString());
    await assessAdverseEventAsSponsor(ctx, physician, ae.id, {
      causality: { cellProduct: 'not_related', procedure: 'related' },
      expectedness: 'expected',
      rsiVersion: 'IB-2023-1 §6.4',
      comment: 'Septic arthritis is a listed risk of intra-articular injection.',
    });
    await classifySusar(ctx, physician, caseId, { susar: false, rationale: 'Expected (RSI §6.4): not a SUSAR.' });
    await closeSaeCase(ctx, physician, caseId, { reason: 'Recovered; final follow-up received' });
    cases.closed = caseId;
  }

  // 2. Myocardial infarction, unrelated; the site's report was late.
  const p2 = pickFrom(old, used);
  if (p2) {
    used.add(p2.id);
    const onset = addCalendarDays(p2.day0, Math.min(60, calendarDaysBetween(p2.day0, yesterday)));
    const aware = copenhagenInstant(onset, 11, 5);
    const ae = await record(inv, p2, {
      verbatimTerm: 'Myocardial infarction (NSTEMI)',
      meddra: meddra('myocardialInfarction'),
      onsetDate: onset,
      endDate: null,
      grade: 3,
      seriousness: serious({ hospitalisation: true }),
      localToIndexKnee: false,
      investigatorCausality: { cellProduct: 'not_related', procedure: 'not_related' },
      actionTaken: ['hospitalisation', 'medication'],
      outcome: 'recovering',
      narrative: 'Chest pain at home; admitted to cardiology; PCI of the LAD. Known hypertension.',
      siteAwarenessAt: aware,
    });
    const late = Math.min(Date.parse(aware) + 31 * HOUR, now.getTime() - HOUR);
    await report(ae.caseId!, new Date(late).toISOString());
    await acknowledge(ae.caseId!, new Date(late + HOUR).toISOString());
    await updateAdverseEvent(ctx, inv, ae.id, {
      changes: { outcome: 'recovered', endDate: endOf(onset, 9) ?? yesterday },
      reason: 'Discharge letter received',
    });
    cases.late = ae.caseId!;
  }

  // 3. SUSAR: anaphylaxis on the day of injection in a participant given cells (only when the arm is known).
  const p3 = old.find((p) => p.arm === 'ADMSC' && !used.has(p.id));
  if (p3) {
    used.add(p3.id);
    const aware = copenhagenInstant(p3.day0, 10, 40);
    const ae = await record(inv, p3, {
      verbatimTerm: 'Anaphylactic reaction 20 minutes after the injection',
      meddra: meddra('anaphylaxis'),
      onsetDate: p3.day0,
      endDate: addCalendarDays(p3.day0, 1),
      grade: 4,
      seriousness: serious({ lifeThreatening: true, hospitalisation: true }),
      localToIndexKnee: false,
      investigatorCausality: { cellProduct: 'related', procedure: 'not_related' },
      actionTaken: ['medication', 'hospitalisation'],
      outcome: 'recovered',
      narrative: 'Generalised urticaria, hypotension 80/45 and wheeze; adrenaline i.m. twice; observed overnight.',
      siteAwarenessAt: aware,
    });
    const caseId = ae.caseId!;
    await report(caseId, new Date(Date.parse(aware) + 2 * HOUR).toISOString());
    const ack = new Date(Date.parse(aware) + 3 * HOUR).toISOString();
    await acknowledge(caseId, ack);
    await assessAdverseEventAsSponsor(ctx, physician, ae.id, {
      causality: { cellProduct: 'related', procedure: 'not_related' },
      expectedness: 'unexpected',
      rsiVersion: 'IB-2023-1 §6.4',
      comment: 'Anaphylaxis is not listed in the RSI.',
    });
    await unblindCaseForSusar(ctx, physician, caseId, {
      reason: 'SUSAR assessment of a life-threatening unexpected related event',
      password: env.password,
    });
    const classified = await classifySusar(ctx, physician, caseId, {
      susar: true,
      rationale: 'Unexpected (not in RSI §6.4), related to the cell product, life-threatening.',
    });
    const initialDue = classified.deadlines.find((d) => d.kind === 'susar_initial')!;
    await recordSaeSubmission(ctx, physician, caseId, {
      kind: 'susar_initial_report',
      occurredAt: new Date(Math.min(Date.parse(initialDue.due) - 2 * 86_400_000, now.getTime())).toISOString(),
      reference: 'EU-EC-10001',
    });
    cases.susar = caseId;
  }

  // 4. Pulmonary embolism reported by phone two days ago: nobody has sent the report — overdue.
  const p4 = pickFrom(injected, used);
  if (p4) {
    used.add(p4.id);
    const aware = new Date(now.getTime() - 50 * HOUR);
    const onset = copenhagenDate(new Date(aware.getTime() - 20 * HOUR));
    const ae = await record(nurse, p4, {
      verbatimTerm: 'Pulmonary embolism',
      meddra: meddra('pulmonaryEmbolism'),
      onsetDate: onset < p4.day0 ? p4.day0 : onset,
      endDate: null,
      grade: 4,
      seriousness: serious({ lifeThreatening: true, hospitalisation: true }),
      localToIndexKnee: false,
      actionTaken: ['hospitalisation', 'medication'],
      outcome: 'recovering',
      narrative:
        'Daughter phoned: admitted with dyspnoea, CT-confirmed bilateral pulmonary embolism; on anticoagulation.',
      siteAwarenessAt: aware.toISOString(),
    });
    cases.overdue = ae.caseId!;
  }

  // 5. A fall with a wrist fracture this morning: the 24-hour clock is running.
  const p5 = pickFrom(injected, used);
  if (p5) {
    used.add(p5.id);
    const aware = new Date(now.getTime() - 3 * HOUR);
    const ae = await record(inv, p5, {
      verbatimTerm: 'Fall with distal radius fracture',
      meddra: meddra('fall'),
      onsetDate: copenhagenDate(new Date(aware.getTime() - HOUR)),
      endDate: null,
      grade: 3,
      seriousness: serious({ hospitalisation: true }),
      localToIndexKnee: false,
      investigatorCausality: { cellProduct: 'not_related', procedure: 'not_related' },
      actionTaken: ['hospitalisation', 'surgery'],
      outcome: 'recovering',
      siteAwarenessAt: aware.toISOString(),
    });
    cases.dueSoon = ae.caseId!;
  }

  // --- AE review tasks from the diary and a vital-sign finding ----------------------------------------
  const tasks = { created: 0, aeRecorded: 0, dismissed: 0 };
  const diaryPeople = injected.filter((p) => !used.has(p.id)).slice(0, 10);
  for (const [i, p] of diaryPeople.entries()) {
    const day = rng.int(1, 4);
    const baseline = p.baselineNrs ?? 5;
    const signal =
      i % 3 === 0
        ? {
            summary: `Worst pain NRS ${Math.min(10, baseline + 3)} on diary day ${day} (baseline ${baseline})`,
            data: { diaryDay: day, nrsWorst: Math.min(10, baseline + 3), baselineNrs: baseline },
          }
        : i % 3 === 1
          ? {
              summary: `Moderate swelling reported on diary day ${day}`,
              data: { diaryDay: day, kneeSwelling: 'moderate' },
            }
          : {
              summary: `Free-text symptom on diary day ${day}: "warm knee, hard to sleep"`,
              data: { diaryDay: day, otherSymptom: 'warm knee, hard to sleep' },
            };
    const { task } = await createAeReviewTask(ctx, epro, {
      participantId: p.id,
      source: 'epro_diary',
      sourceRef: `demo-diary:${p.studyId}:D${day}`,
      detail: signal,
    });
    tasks.created += 1;
    const onset = addCalendarDays(p.day0, day);
    if (i < 3 && onset <= yesterday) {
      try {
        await recordAeFromReviewTask(
          ctx,
          inv,
          task.id,
          local(
            p,
            i % 3 === 1 ? 'jointSwelling' : 'injectionSitePain',
            i % 3 === 1 ? 'Swelling of the index knee (diary)' : 'Knee pain after the injection (diary)',
            onset,
            rng.int(2, 6),
            2,
            ['medication'],
            true,
          ),
        );
        tasks.aeRecorded += 1;
      } catch (e) {
        if (!isTrialError(e)) throw e;
      }
    } else if (i < 6) {
      await dismissAeReviewTask(ctx, inv, task.id, {
        reason: rng.pick([
          'Within the participant’s usual day-to-day variation; no new event',
          'Same episode as the injection-site reaction already recorded',
          'Phoned the participant: symptom gone by the next morning',
        ]),
      });
      tasks.dismissed += 1;
    }
  }
  const vitals = pickFrom(injected, used);
  if (vitals) {
    await createAeReviewTask(ctx, nurse, {
      participantId: vitals.id,
      source: 'ecrf_vital_signs',
      sourceRef: `demo-vitals:${vitals.studyId}:M3`,
      detail: {
        summary: 'Temperature 38.3 °C at the M3 visit (out of range > 38.0 °C)',
        data: { item: 'temperature_c', value: 38.3, upperLimit: 38 },
      },
    });
    tasks.created += 1;
  }

  // --- a record left for the data manager: recovered without an end date (query), and a duplicate -----
  const q = injected.find((p) => !used.has(p.id) && p.day0 <= addCalendarDays(yesterday, -3));
  if (q) {
    await record(nurse, q, {
      verbatimTerm: 'Stiffness of the treated knee',
      onsetDate: addCalendarDays(q.day0, 2),
      endDate: null,
      grade: 1,
      seriousness: NOT_SERIOUS,
      localToIndexKnee: true,
      actionTaken: ['none'],
      outcome: 'recovered',
      siteAwarenessAt: awareness(addCalendarDays(q.day0, 2), 1),
    });
    const dup = await record(nurse, q, {
      verbatimTerm: 'Stiffness of the treated knee',
      onsetDate: addCalendarDays(q.day0, 2),
      endDate: null,
      grade: 1,
      seriousness: NOT_SERIOUS,
      localToIndexKnee: true,
      actionTaken: ['none'],
      outcome: 'recovering',
      siteAwarenessAt: awareness(addCalendarDays(q.day0, 2), 1),
    });
    await markAdverseEventEnteredInError(ctx, nurse, dup.id, {
      reason: 'Duplicate of the event recorded a minute earlier',
    });
  }

  const scan = await scanSafetyDeadlines(ctx, now);
  const dashboard = await getSafetyDashboard(ctx, systemActor('demo'));
  const active = await db
    .selectFrom('adverse_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return {
    adverseEvents: Number(active.n),
    followUps,
    seriousCases: dashboard.counts.openCases + (cases.closed ? 1 : 0),
    overdueDeadlines: dashboard.counts.overdue,
    dueSoonDeadlines: dashboard.counts.dueSoon,
    susarCases: cases.susar ? 1 : 0,
    reviewTasks: tasks,
    openQueries: (await listSafetyQueries(ctx, systemActor('demo'))).length,
    notificationsEnqueued: scan.notified.length,
    safetyPhysician: physician.email,
  };
}
