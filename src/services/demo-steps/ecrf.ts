/**
 * Demo step of the eCRFs, through the services only, on top of the simulated trial (which already
 * holds the screening, demographics, KOOS, NRS, clinical examination, anti-HLA antibodies, visits,
 * end-of-study forms and the automatic queries its soft limits raised): the forms the simulator
 * leaves out — medical history, knee x-ray and concomitant medication at screening, MRI (MOAKS and
 * quantitative) and HLA typing at baseline, MRI at every follow-up with an examination, the blinding
 * assessment where the protocol asks for it, the most recent visits' MRI reads still in draft — then
 * source data verification, answered and closed automatic and manual queries, and a signed and a
 * locked casebook. No arm is read or written here.
 */
import { isTrialError } from '../../core/errors.js';
import type { ProtocolDefinition } from '../../core/protocol/definition-types.js';
import { addCalendarDays, compareIsoDates } from '../../core/schedule/plain-date.js';
import type { SeededRandom } from '../../core/simulation/seeded-random.js';
import { syntheticItemValues } from '../../core/simulation/synthetic-form-values.js';
import { codeListsOf } from '../../core/ecrf/form-index.js';
import type { Actor } from '../context.js';
import { createFormInstance, saveFormAtVisit } from '../ecrf.js';
import { currentProtocol, findInstance, requireForm, siteToday } from '../ecrf-store.js';
import { lockCasebook, signCasebook, verifyForm } from '../monitoring.js';
import { answerQuery, closeQuery, listQueries, raiseQuery } from '../queries.js';
import { getScreening } from '../screening.js';
import type { DemoEnv } from './demo-env.js';

const ALLELES: Record<string, readonly string[]> = {
  a: ['A*01:01', 'A*02:01', 'A*03:01', 'A*24:02', 'A*11:01'],
  b: ['B*07:02', 'B*08:01', 'B*44:02', 'B*15:01', 'B*40:01'],
  c: ['C*07:01', 'C*07:02', 'C*03:04', 'C*05:01', 'C*04:01'],
  drb1: ['DRB1*15:01', 'DRB1*03:01', 'DRB1*04:01', 'DRB1*01:01', 'DRB1*13:01'],
  dqb1: ['DQB1*06:02', 'DQB1*02:01', 'DQB1*03:01', 'DQB1*05:01', 'DQB1*03:02'],
};

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

function mriMoaksValues(
  protocol: ProtocolDefinition,
  rng: SeededRandom,
  date: string,
  side: string,
): Record<string, unknown> {
  const form = requireForm(protocol, 'mri_moaks');
  return {
    ...syntheticItemValues(protocol, form, rng, date),
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
  const v = syntheticItemValues(protocol, form, rng, date);
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

function conmedValues(rng: SeededRandom, scrDate: string): Record<string, unknown> {
  const analgesic = rng.chance(0.7);
  return {
    cm_drug: analgesic
      ? rng.pick(['Paracetamol', 'Ibuprofen', 'Tramadol'])
      : rng.pick(['Amlodipine', 'Atorvastatin', 'Levothyroxine']),
    cm_indication: analgesic ? 'knee pain' : rng.pick(['hypertension', 'hypercholesterolaemia', 'hypothyroidism']),
    cm_dose: analgesic ? 500 : 10,
    cm_dose_unit: 'mg',
    cm_route: 'oral',
    cm_start: addCalendarDays(scrDate, -rng.int(60, 2000)).slice(0, 7),
    cm_ongoing: true,
    cm_analgesic: analgesic,
  };
}

/** Fills the forms the simulator leaves out, then queries, verification, a signed and a locked casebook. */
export async function demoForms(env: DemoEnv): Promise<Record<string, unknown>> {
  const { ctx, rng } = env;
  const db = ctx.database.db;
  const protocol = currentProtocol();
  const nurse = await env.actor('coordinator@demo.local');
  const investigator = await env.actor('investigator@demo.local');
  const monitor = await env.actor('monitor@demo.local');
  const dataManager = await env.actor('data_manager@demo.local');
  const today = siteToday(ctx);
  const counts = {
    forms: 0,
    medications: 0,
    drafts: 0,
    skippedWithdrawn: 0,
    autoQueries: 0,
    manualQueries: 0,
    verified: 0,
    signedCasebooks: 0,
    lockedCasebooks: 0,
  };
  const formsAt = (code: string): readonly string[] => protocol.visits.find((v) => v.code === code)?.forms ?? [];
  const blindingGuesses = (codeListsOf(protocol).get('blinding_guess')?.items ?? []).map((e) => e.code);
  const examInstances: string[] = [];

  for (const p of env.participants) {
    const save = async (
      actor: Actor,
      visit: string | null,
      formId: string,
      values: Record<string, unknown>,
      action: 'draft' | 'submit' = 'submit',
    ): Promise<void> => {
      await saveFormAtVisit(ctx, actor, p.id, visit, formId, { values, action });
      counts.forms += 1;
      if (action === 'draft') counts.drafts += 1;
    };
    const screening = await getScreening(ctx, nurse, p.screeningId);
    const scrDate = screening.values.screening_date ?? p.enrolledAt.slice(0, 10);
    const demographics = await findInstance(db, p.id, 'SCR', 'demographics');
    const indexKnee = demographics?.values.index_knee === 'left' ? 'left' : 'right';
    const visits = await db
      .selectFrom('ecrf_visits')
      .select(['visit_code', 'visit_date'])
      .where('participant_id', '=', p.id)
      .where('missed', '=', 0)
      .execute();
    const visitDate = new Map(visits.map((v) => [v.visit_code, v.visit_date]));
    try {
      // Screening visit: medical history, x-ray, medication in use.
      await save(nurse, 'SCR', 'medical_history', {
        ...syntheticItemValues(protocol, requireForm(protocol, 'medical_history'), rng, addCalendarDays(scrDate, -400)),
        prior_knee_surgery: false,
      });
      await save(investigator, 'SCR', 'xray', {
        ...syntheticItemValues(protocol, requireForm(protocol, 'xray'), rng, addCalendarDays(scrDate, -rng.int(5, 40))),
        kl_medial: screening.values.kl_grade ?? 3,
        kl_lateral: rng.int(0, 2),
        jsw_medial_mm: screening.values.jsw_mm ?? 2.2,
      });
      for (let n = rng.int(0, 2); n > 0; n--) {
        await createFormInstance(ctx, nurse, p.id, 'conmed', { action: 'submit', values: conmedValues(rng, scrDate) });
        counts.medications += 1;
      }
      // Baseline and follow-up imaging, HLA typing and the blinding assessment.
      for (const visit of protocol.visits) {
        const date = visitDate.get(visit.code);
        if (date === undefined || date === null || visit.code === 'SCR') continue;
        const forms = formsAt(visit.code);
        // The most recent visits' MRI reads are still being entered.
        const action = compareIsoDates(date, addCalendarDays(today, -21)) > 0 ? 'draft' : 'submit';
        if (forms.includes('mri_moaks')) {
          await save(investigator, visit.code, 'mri_moaks', mriMoaksValues(protocol, rng, date, indexKnee), action);
        }
        if (forms.includes('mri_quant')) {
          await save(investigator, visit.code, 'mri_quant', mriQuantValues(protocol, rng, date, indexKnee), action);
        }
        if (forms.includes('hla_typing')) await save(nurse, visit.code, 'hla_typing', hlaTypingValues(rng, date));
        if (forms.includes('blinding_assessment')) {
          // Guesses unrelated to the arm, from the protocol's code list (whatever its codes are).
          await save(investigator, visit.code, 'blinding_assessment', {
            participant_guess: rng.pick(blindingGuesses),
            investigator_guess: rng.pick(blindingGuesses),
          });
        }
        if (forms.includes('clinical_exam') && visit.code !== 'BL') {
          const exam = await findInstance(db, p.id, visit.code, 'clinical_exam');
          if (exam !== null) examInstances.push(exam.id);
        }
      }
    } catch (e) {
      // Withdrawn participants: the services refuse data after the withdrawal scope.
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
