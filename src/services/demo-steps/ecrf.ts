/**
 * Demo steps of the eCRFs, through the services only. `demoBaseline` (before randomization, which
 * requires it) fills the baseline forms of every enrolled participant with correlated, plausible
 * values. `demoVisitsAndForms` (after the injections) records the baseline visit on Day 0 and the
 * follow-up visits due so far per the schedule — most in window, some out of window (entered in the
 * deviation register), some missed, the most recent still due — with outcomes that improve over
 * time; then source data verification, automatic and manual queries (some answered, some closed),
 * and a signed and a locked casebook.
 *
 * Treatment effect: the simulated improvement is larger in the cell arm, read through the
 * randomization service (`loadParticipantArms`) to generate values only; no arm is written
 * anywhere or returned in the summary.
 */
import { isTrialError } from '../../core/errors.js';
import type { FormDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import type { ItemDef } from '../../core/protocol/item-types.js';
import { addCalendarDays, compareIsoDates } from '../../core/schedule/plain-date.js';
import type { SeededRandom } from '../../core/simulation/seeded-random.js';
import { KOOS_SUBSCALES, type KoosSubscaleId } from '../../core/scoring/koos-items.js';
import { visitWindowDates } from '../../core/ecrf/participant-schedule.js';
import { codeListsOf } from '../../core/ecrf/form-index.js';
import type { Actor } from '../context.js';
import { createFormInstance, saveFormAtVisit, type FormSaveResult } from '../ecrf.js';
import { currentProtocol, findInstance, requireForm, siteToday } from '../ecrf-store.js';
import { recordVisit, resolveDay0 } from '../ecrf-visits.js';
import { lockCasebook, signCasebook, verifyForm } from '../monitoring.js';
import { answerQuery, closeQuery, listQueries, raiseQuery } from '../queries.js';
import { loadParticipantArms } from '../randomization.js';
import { getScreening } from '../screening.js';
import type { DemoEnv } from './demo-env.js';

/** Mean KOOS subscale scores of knee OA at baseline (0 = extreme problems, 100 = none). */
const BASELINE_KOOS: Record<KoosSubscaleId, number> = { symptoms: 55, pain: 55, adl: 65, sport: 30, qol: 40 };

/** Mean improvement of the KOOS scores over baseline by visit (both arms), and the extra in the cell arm. */
const IMPROVEMENT: Record<string, number> = { M3: 8, M12: 10, M24: 9, Y3: 8, Y4: 7, Y5: 6 };
const CELL_ARM_EXTRA = 6;

const FOLLOW_UPS = ['M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'] as const;

/** Per-participant latent state, kept between the two steps of one demo run. */
interface Profile {
  severity: number;
  koos: Record<KoosSubscaleId, number>;
  responder: number;
  nrs: number;
  indexKnee: 'right' | 'left';
  flexion: number;
}

const PROFILES = new WeakMap<DemoEnv, Map<string, Profile>>();

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round = (v: number, decimals: number): number => Math.round(v * 10 ** decimals) / 10 ** decimals;

function profileOf(env: DemoEnv, participantId: string): Profile {
  let map = PROFILES.get(env);
  if (map === undefined) {
    map = new Map();
    PROFILES.set(env, map);
  }
  let p = map.get(participantId);
  if (p === undefined) {
    const { rng } = env;
    const severity = rng.normal(0, 1);
    const koos = Object.fromEntries(
      (Object.keys(BASELINE_KOOS) as KoosSubscaleId[]).map((s) => [
        s,
        clamp(BASELINE_KOOS[s] - 14 * (0.8 * severity + 0.6 * rng.normal(0, 1)), 5, 95),
      ]),
    ) as Record<KoosSubscaleId, number>;
    p = {
      severity,
      koos,
      responder: rng.normal(0, 6),
      nrs: clamp(Math.round(6 + 1.3 * severity + rng.normal(0, 0.8)), 3, 10),
      indexKnee: rng.chance(0.55) ? 'right' : 'left',
      flexion: Math.round(clamp(122 - 6 * severity + rng.normal(0, 6), 85, 148)),
    };
    map.set(participantId, p);
  }
  return p;
}

/** KOOS item answers whose subscale scores scatter around the targets; now and then an item is skipped. */
function koosAnswers(rng: SeededRandom, targets: Record<KoosSubscaleId, number>): Record<string, number> {
  const values: Record<string, number> = {};
  for (const subscale of KOOS_SUBSCALES) {
    const meanItem = (100 - clamp(targets[subscale.id], 0, 100)) / 25;
    for (const item of subscale.items) {
      if (rng.chance(0.02)) continue;
      values[item] = clamp(Math.round(meanItem + rng.normal(0, 0.7)), 0, 4);
    }
  }
  return values;
}

const ALLELES: Record<string, readonly string[]> = {
  a: ['A*01:01', 'A*02:01', 'A*03:01', 'A*24:02', 'A*11:01'],
  b: ['B*07:02', 'B*08:01', 'B*44:02', 'B*15:01', 'B*40:01'],
  c: ['C*07:01', 'C*07:02', 'C*03:04', 'C*05:01', 'C*04:01'],
  drb1: ['DRB1*15:01', 'DRB1*03:01', 'DRB1*04:01', 'DRB1*01:01', 'DRB1*13:01'],
  dqb1: ['DQB1*06:02', 'DQB1*02:01', 'DQB1*03:01', 'DQB1*05:01', 'DQB1*03:02'],
};
const BEADS = ['A*02:01', 'A*24:02', 'B*07:02', 'B*44:02', 'C*07:01', 'DQ7', 'DR4', 'DQ2'] as const;

/**
 * Plausible values for any form, read from its definition: a code from each code list, numbers
 * inside the soft limits at the item's precision, mostly "no" for yes/no questions, the visit date
 * for dates. Patterned texts (HLA) and clinically correlated items are filled by the callers.
 */
function genericValues(
  protocol: ProtocolDefinition,
  form: FormDef,
  rng: SeededRandom,
  date: string,
): Record<string, unknown> {
  const lists = codeListsOf(protocol);
  const value = (item: ItemDef): unknown => {
    switch (item.type) {
      case 'integer': {
        const lo = item.range.softMin ?? item.range.hardMin;
        const hi = item.range.softMax ?? item.range.hardMax;
        return Math.round(lo + (hi - lo) * rng.next() * rng.next());
      }
      case 'decimal': {
        const lo = item.range.softMin ?? item.range.hardMin;
        const hi = item.range.softMax ?? item.range.hardMax;
        return round(lo + (hi - lo) * (0.25 + 0.5 * rng.next()), item.precision ?? 2);
      }
      case 'code': {
        const codes = (lists.get(item.codeList)?.items ?? []).map((e) => e.code);
        // Ordered scales (MOAKS grades) are mostly low in early OA.
        const code =
          lists.get(item.codeList)?.ordered === true || typeof codes[0] === 'number'
            ? codes[Math.min(codes.length - 1, Math.floor(rng.next() * rng.next() * codes.length))]
            : rng.pick(codes);
        return item.multiple === true ? [code] : code;
      }
      case 'boolean':
        return rng.chance(0.15);
      case 'date':
        return date;
      case 'datetime':
        return `${date}T10:00:00+01:00`;
      case 'partial-date':
        return date.slice(0, 7);
      case 'text':
        return item.pattern === undefined
          ? `demo ${item.id.replaceAll('_', ' ')}`.slice(0, item.maxLength ?? 40)
          : undefined;
      case 'file':
        return undefined;
    }
  };
  const out: Record<string, unknown> = {};
  for (const group of form.itemGroups) {
    const row = (): Record<string, unknown> => {
      const r: Record<string, unknown> = {};
      for (const item of group.items) {
        if (item.derivation !== undefined) continue;
        const v = value(item);
        if (v !== undefined) r[item.id] = v;
      }
      return r;
    };
    if (group.repeating === true) out[group.id] = Array.from({ length: rng.int(1, 2) }, row);
    else Object.assign(out, row());
  }
  return out;
}

function examValues(rng: SeededRandom, profile: Profile, improvement: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    assessor: 'KJ',
    rom_mode: 'active',
    knee_circ_landmark: 'mid_patella',
    thigh_method: 'tape',
  };
  for (const side of ['right', 'left'] as const) {
    const index = side === profile.indexKnee;
    const flexion = index ? profile.flexion + improvement / 3 + rng.normal(0, 3) : 134 + rng.normal(0, 4);
    const effusionRisk = index ? clamp(0.45 + 0.15 * profile.severity - improvement / 60, 0.05, 0.9) : 0.05;
    const stroke = rng.chance(effusionRisk) ? rng.pick(['trace', 'trace', '1+', '2+']) : '0';
    out[`${side}_flexion_deg`] = Math.round(clamp(flexion, 60, 160));
    out[`${side}_extension_deg`] = Math.round(
      clamp(index ? -4 - 2 * profile.severity + rng.normal(0, 2) : rng.normal(0, 1.5), -20, 10),
    );
    out[`${side}_stroke_test`] = stroke;
    out[`${side}_patellar_tap`] = stroke === '2+' || (stroke === '1+' && rng.chance(0.5));
    out[`${side}_knee_circ_cm`] = round(
      clamp(40 + (index ? 1 + (stroke === '0' ? 0 : 0.8) : 0) + rng.normal(0, 1.5), 30, 58),
      1,
    );
    out[`${side}_thigh_circ_cm`] = round(clamp(51 - (index ? 1.2 : 0) + rng.normal(0, 3), 35, 75), 1);
    out[`${side}_thigh_distance_cm`] = 15;
  }
  return out;
}

function hlaTypingValues(rng: SeededRandom, date: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    sample_date: date,
    typing_lab: 'Department of Clinical Immunology, AUH',
    resolution: 'high',
    method: 'NGS',
    db_version: '3.54.0',
  };
  for (const [locus, alleles] of Object.entries(ALLELES)) {
    out[`hla_${locus}_1`] = rng.pick(alleles);
    out[`hla_${locus}_2`] = rng.pick(alleles);
  }
  return out;
}

/** A single-antigen-bead screen. The donor-specific flag is not entered: blinded staff cannot see it. */
function hlaAntibodyValues(rng: SeededRandom, date: string, boost: number): Record<string, unknown> {
  const beads = [...BEADS].filter(() => rng.chance(0.6)).slice(0, 5);
  if (beads.length === 0) beads.push('A*02:01');
  const rows = beads.map((spec) => {
    const mfi = Math.round(clamp(Math.exp(rng.normal(5.5, 1.1)) + (rng.chance(0.1) ? boost : 0), 0, 30000));
    return {
      bead_class: /^(A|B|C)\*/.test(spec) ? 'I' : 'II',
      bead_specificity: spec,
      bead_mfi: mfi,
      bead_positive: mfi >= 1000,
    };
  });
  return {
    sample_date: date,
    assay: 'LABScreen Single Antigen HLA Class I/II',
    assay_lot: `L${rng.int(100, 999)}`,
    lab_cutoff_mfi: 1000,
    class_i_positive: rows.some((r) => r.bead_class === 'I' && r.bead_positive),
    class_ii_positive: rows.some((r) => r.bead_class === 'II' && r.bead_positive),
    beads: rows,
  };
}

function mriMoaksValues(
  protocol: ProtocolDefinition,
  rng: SeededRandom,
  date: string,
  side: string,
): Record<string, unknown> {
  const form = requireForm(protocol, 'mri_moaks');
  return {
    ...genericValues(protocol, form, rng, date),
    knee_side: side,
    reader_id: 'R1',
    read_date: addCalendarDays(date, rng.int(3, 20)),
    reader_blinded: true,
    image_quality: 'adequate',
  };
}

function mriQuantValues(
  protocol: ProtocolDefinition,
  rng: SeededRandom,
  date: string,
  side: string,
): Record<string, unknown> {
  const form = requireForm(protocol, 'mri_quant');
  const v = genericValues(protocol, form, rng, date);
  for (const key of [
    'biomech_region',
    'stress_value',
    'stress_unit',
    'stress_method',
    'strain_value',
    'strain_unit',
    'strain_method',
  ]) {
    delete v[key];
  }
  return {
    ...v,
    knee_side: side,
    field_strength_t: 3,
    analyst_id: 'QA1',
    analysis_date: addCalendarDays(date, rng.int(5, 30)),
    software: 'Chondrometrics',
    software_version: '4.2',
    segmentation_method: 'manual segmentation by trained readers',
  };
}

async function save(
  env: DemoEnv,
  actor: Actor,
  participantId: string,
  visit: string | null,
  formId: string,
  values: Record<string, unknown>,
  action: 'draft' | 'submit' = 'submit',
): Promise<FormSaveResult> {
  return saveFormAtVisit(env.ctx, actor, participantId, visit, formId, { values, action });
}

/** Fills the baseline forms (KOOS, NRS, clinical examination, MRI, HLA) and the screening-visit forms of every enrolled participant. */
export async function demoBaseline(env: DemoEnv): Promise<Record<string, unknown>> {
  const { ctx, rng } = env;
  const protocol = currentProtocol();
  const nurse = await env.actor('coordinator@demo.local');
  const investigator = await env.actor('investigator@demo.local');
  let forms = 0;
  let autoQueries = 0;
  let conmeds = 0;
  for (const [i, p] of env.participants.entries()) {
    const profile = profileOf(env, p.id);
    const screening = await getScreening(ctx, nurse, p.screeningId);
    const scrDate = screening.values.screening_date ?? p.enrolledAt.slice(0, 10);
    const blDate = [addCalendarDays(scrDate, 7), siteToday(ctx)].sort(compareIsoDates)[0]!;
    // Screening visit: demographics, medical history, x-ray, medication in use.
    await save(env, nurse, p.id, 'SCR', 'demographics', {
      ...genericValues(protocol, requireForm(protocol, 'demographics'), rng, scrDate),
      index_knee: profile.indexKnee,
    });
    await save(env, nurse, p.id, 'SCR', 'medical_history', {
      ...genericValues(protocol, requireForm(protocol, 'medical_history'), rng, addCalendarDays(scrDate, -400)),
      prior_knee_surgery: false,
    });
    await save(env, investigator, p.id, 'SCR', 'xray', {
      ...genericValues(protocol, requireForm(protocol, 'xray'), rng, addCalendarDays(scrDate, -rng.int(5, 40))),
      kl_medial: screening.values.kl_grade ?? 3,
      kl_lateral: rng.int(0, 2),
      jsw_medial_mm: screening.values.jsw_mm ?? 2.2,
    });
    forms += 3;
    for (let n = rng.int(0, 2); n > 0; n--) {
      const analgesic = rng.chance(0.7);
      await createFormInstance(ctx, nurse, p.id, 'conmed', {
        action: 'submit',
        values: {
          cm_drug: analgesic
            ? rng.pick(['Paracetamol', 'Ibuprofen', 'Tramadol'])
            : rng.pick(['Amlodipine', 'Atorvastatin', 'Levothyroxine']),
          cm_indication: analgesic
            ? 'knee pain'
            : rng.pick(['hypertension', 'hypercholesterolaemia', 'hypothyroidism']),
          cm_dose: analgesic ? 500 : 10,
          cm_dose_unit: 'mg',
          cm_route: 'oral',
          cm_start: addCalendarDays(scrDate, -rng.int(60, 2000)).slice(0, 7),
          cm_ongoing: true,
          cm_analgesic: analgesic,
        },
      });
      conmeds += 1;
    }
    // Baseline assessments.
    await save(env, nurse, p.id, 'BL', 'koos', koosAnswers(rng, profile.koos));
    await save(env, nurse, p.id, 'BL', 'nrs', { nrs_pain: profile.nrs, nrs_recall: 'last_7d', nrs_aspect: 'average' });
    const exam = examValues(rng, profile, 0);
    // A few hypermobile knees: flexion beyond the soft limit raises an automatic query.
    if (i % 11 === 3) exam[`${profile.indexKnee === 'right' ? 'left' : 'right'}_flexion_deg`] = 152;
    const saved = await save(env, investigator, p.id, 'BL', 'clinical_exam', exam);
    autoQueries += saved.autoQueries.raised;
    await save(env, investigator, p.id, 'BL', 'mri_moaks', mriMoaksValues(protocol, rng, blDate, profile.indexKnee));
    await save(env, investigator, p.id, 'BL', 'mri_quant', mriQuantValues(protocol, rng, blDate, profile.indexKnee));
    await save(env, nurse, p.id, 'BL', 'hla_typing', hlaTypingValues(rng, blDate));
    await save(env, nurse, p.id, 'BL', 'hla_antibody', hlaAntibodyValues(rng, blDate, 0));
    forms += 7;
  }
  return { participants: env.participants.length, forms, medications: conmeds, autoQueries };
}

/** Fills the visits due so far per the schedule, with queries, verification, a signed and a locked casebook. */
export async function demoVisitsAndForms(env: DemoEnv): Promise<Record<string, unknown>> {
  const { ctx, rng } = env;
  const protocol = currentProtocol();
  const nurse = await env.actor('coordinator@demo.local');
  const investigator = await env.actor('investigator@demo.local');
  const monitor = await env.actor('monitor@demo.local');
  const dataManager = await env.actor('data_manager@demo.local');
  const today = siteToday(ctx);
  // Used to simulate a treatment effect only; nothing about the arms leaves this function.
  const cellArm = new Set(
    [...(await loadParticipantArms(ctx)).entries()].filter(([, arm]) => arm === 'ADMSC').map(([id]) => id),
  );
  const counts = {
    visitsDone: 0,
    outOfWindow: 0,
    missed: 0,
    stillDue: 0,
    forms: 0,
    drafts: 0,
    skippedWithdrawn: 0,
    autoQueries: 0,
    manualQueries: 0,
    verified: 0,
    signedCasebooks: 0,
    lockedCasebooks: 0,
  };
  const examInstances: string[] = [];

  for (const p of env.participants) {
    const { day0 } = await resolveDay0(ctx.database.db, p.id);
    if (day0 === null) continue; // not injected: no schedule
    const profile = profileOf(env, p.id);
    try {
      await recordVisit(ctx, nurse, p.id, 'BL', { date: day0 });
      for (const code of FOLLOW_UPS) {
        const w = visitWindowDates(protocol, code, day0)!;
        if (compareIsoDates(w.earliest, today) > 0) break; // not yet due
        const windowOpen = compareIsoDates(w.latest, today) >= 0;
        if (windowOpen && rng.chance(0.5)) {
          counts.stillDue += 1;
          continue;
        }
        if (rng.chance(0.06)) {
          await recordVisit(ctx, nurse, p.id, code, {
            missed: true,
            missedReason: rng.pick(['participant ill on the day', 'participant abroad', 'could not be reached']),
          });
          counts.missed += 1;
          continue;
        }
        const span = Math.round((Date.parse(w.latest) - Date.parse(w.target)) / 86_400_000);
        let date = addCalendarDays(w.target, Math.round(clamp(rng.normal(0, span / 3), -span, span)));
        if (rng.chance(0.08)) {
          date = rng.chance(0.6)
            ? addCalendarDays(w.latest, rng.int(1, 12))
            : addCalendarDays(w.earliest, -rng.int(1, 6));
          counts.outOfWindow += 1;
        }
        if (compareIsoDates(date, today) > 0) date = today;
        await recordVisit(ctx, nurse, p.id, code, { date });
        counts.visitsDone += 1;
        const improvement = IMPROVEMENT[code]! + profile.responder + (cellArm.has(p.id) ? CELL_ARM_EXTRA : 0);
        const targets = Object.fromEntries(
          (Object.keys(profile.koos) as KoosSubscaleId[]).map((s) => [
            s,
            profile.koos[s] + improvement + rng.normal(0, 6),
          ]),
        ) as Record<KoosSubscaleId, number>;
        // The most recent visits are still being entered.
        const action = compareIsoDates(date, addCalendarDays(today, -14)) > 0 && rng.chance(0.5) ? 'draft' : 'submit';
        if (action === 'draft') counts.drafts += 1;
        await save(env, nurse, p.id, code, 'koos', koosAnswers(rng, targets), action);
        await save(env, nurse, p.id, code, 'nrs', {
          nrs_pain: clamp(Math.round(profile.nrs - improvement / 6 + rng.normal(0, 1)), 0, 10),
          nrs_recall: 'last_7d',
          nrs_aspect: 'average',
        });
        counts.forms += 2;
        const visitForms = protocol.visits.find((v) => v.code === code)?.forms ?? [];
        if (visitForms.includes('clinical_exam')) {
          const exam = await save(
            env,
            investigator,
            p.id,
            code,
            'clinical_exam',
            examValues(rng, profile, improvement),
          );
          examInstances.push(exam.instance.id);
          await save(
            env,
            investigator,
            p.id,
            code,
            'mri_moaks',
            mriMoaksValues(protocol, rng, date, profile.indexKnee),
          );
          await save(
            env,
            investigator,
            p.id,
            code,
            'mri_quant',
            mriQuantValues(protocol, rng, date, profile.indexKnee),
          );
          counts.forms += 3;
        }
        if (visitForms.includes('hla_antibody')) {
          await save(env, nurse, p.id, code, 'hla_typing', hlaTypingValues(rng, date));
          await save(
            env,
            nurse,
            p.id,
            code,
            'hla_antibody',
            hlaAntibodyValues(rng, date, cellArm.has(p.id) ? 6000 : 0),
          );
          counts.forms += 2;
        }
        if (visitForms.includes('blinding_assessment')) {
          // Guesses unrelated to the arm, from the protocol's code list (whatever its codes are).
          const guesses = (codeListsOf(protocol).get('blinding_guess')?.items ?? []).map((e) => e.code);
          const guess = () => rng.pick(guesses);
          await save(env, investigator, p.id, code, 'blinding_assessment', {
            participant_guess: guess(),
            investigator_guess: guess(),
          });
          counts.forms += 1;
        }
      }
    } catch (e) {
      // Withdrawn participants: the services refuse visits and data after the withdrawal scope.
      if (isTrialError(e) && e.code === 'conflict') {
        counts.skippedWithdrawn += 1;
        continue;
      }
      throw e;
    }
  }

  // Queries: every automatic query so far; the site answers some, the monitor closes some.
  const auto = await listQueries(ctx, monitor, { origin: 'auto', status: 'open' });
  counts.autoQueries = auto.length;
  for (const [i, q] of auto.entries()) {
    if (i % 2 === 0) {
      await answerQuery(ctx, investigator, q.id, { text: 'Confirmed on the source worksheet: hypermobile knee.' });
      if (i % 4 === 0) await closeQuery(ctx, monitor, q.id, { text: 'Accepted.' });
    }
  }
  // Manual queries by the monitor during source data verification, and verification of baseline forms.
  const questions = [
    ['right_knee_circ_cm', 'The source worksheet says a different knee circumference; please check.'],
    ['assessor', 'Assessor initials differ from the delegation log; please confirm.'],
    ['left_thigh_circ_cm', 'Thigh circumference differs by more than 3 cm from the previous visit; please confirm.'],
  ] as const;
  for (const [i, instanceId] of examInstances.slice(0, 6).entries()) {
    const [itemPath, text] = questions[i % questions.length]!;
    const q = await raiseQuery(ctx, monitor, instanceId, { itemPath, text });
    counts.manualQueries += 1;
    if (i % 3 === 1) {
      await answerQuery(ctx, nurse, q.id, { text: 'Checked against the source: the entered value is correct.' });
    }
  }
  for (const p of env.participants.slice(0, Math.ceil(env.participants.length * 0.4))) {
    for (const formId of ['koos', 'nrs', 'clinical_exam']) {
      if ((await formsWithOpenQueries(env, p.id)).has(formId)) continue;
      const instance = await findInstance(ctx.database.db, p.id, 'BL', formId);
      if (instance === null || instance.status !== 'submitted' || instance.sdvVersion === instance.version) continue;
      await verifyForm(ctx, monitor, instance.id, { version: instance.version });
      counts.verified += 1;
    }
  }
  // One participant's casebook signed by the investigator and locked by the data manager; one more signed.
  for (const p of env.participants.slice(-8)) {
    if (counts.signedCasebooks >= 2) break;
    try {
      await signCasebook(ctx, investigator, p.id, { password: env.password });
      counts.signedCasebooks += 1;
      if (counts.lockedCasebooks === 0) {
        await lockCasebook(ctx, dataManager, p.id, { reason: 'Casebook reviewed and clean' });
        counts.lockedCasebooks += 1;
      }
    } catch (e) {
      if (!(isTrialError(e) && e.code === 'conflict')) throw e;
    }
  }
  return counts;
}

/** Forms of a participant's baseline that have an unresolved query (not verified while queried). */
async function formsWithOpenQueries(env: DemoEnv, participantId: string): Promise<Set<string>> {
  const monitor = await env.actor('monitor@demo.local');
  const open = await listQueries(env.ctx, monitor, { participantId, status: 'unresolved' });
  return new Set(open.filter((q) => q.visitCode === 'BL').map((q) => q.formId));
}
