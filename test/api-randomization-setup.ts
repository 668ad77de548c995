/**
 * Shared set-up for the randomization tests: staff accounts of every role and enrolled participants,
 * made through the real services (screening → identity → consent → sign-off → enrolment), so the
 * tests can spend their HTTP requests on what they test.
 */
import type { ServiceContext } from '../src/services/context.js';
import { systemActor } from '../src/services/context.js';
import {
  createScreening,
  enrolParticipant,
  recordConsent,
  setIdentity,
  signOffEligibility,
  type ParticipantView,
} from '../src/services/screening.js';
import { actorForEmail, createUser } from '../src/services/users.js';
import type { StaffRole } from '../src/core/roles.js';
import type { Actor } from '../src/services/context.js';
import { BASELINE_READINESS_FORMS } from '../src/services/baseline-readiness.js';
import { saveFormAtVisit } from '../src/services/ecrf.js';
import { currentProtocol, requireForm } from '../src/services/ecrf-store.js';
import { ApiClient } from './support/server.js';

/** Screening values meeting every criterion; date of birth and sex come from the CPR number. */
export const ELIGIBLE = {
  screening_date: '2026-10-01',
  knee_pain_months: 24,
  nrs_worst: 7,
  kl_grade: 3,
  jsw_mm: 2.1,
  alignment_deg: 3.5,
  oa_compartment: 'medial',
  height_cm: 168,
  weight_kg: 80,
  danish_speaker: true,
  legally_competent: true,
  ia_tumor_infection_fracture: false,
  pregnant_or_breastfeeding: false,
  cognitive_impairment: false,
  cytostatic_treatment: false,
  last_ia_injection_date: null,
  mri_contraindication: false,
  ligament_reconstruction: false,
  meniscal_resection_over_50pct: false,
  meniscal_operations: 0,
  diabetes: false,
  ap_laxity_mm: 1.0,
  knee_instability: false,
  antibiotic_allergy: false,
  severe_systemic_condition: false,
  inflammatory_arthritis: false,
} as const;

export const PASSWORD = 'test-password-1234';

/** One account per role (plus a second investigator), at the default site where the role is site-bound. */
export const ACCOUNTS: { email: string; role: StaffRole; site: string | null }[] = [
  { email: 'inv@t.local', role: 'investigator', site: 'site-auh' },
  { email: 'inv2@t.local', role: 'investigator', site: 'site-auh' },
  { email: 'nurse@t.local', role: 'coordinator', site: 'site-auh' },
  { email: 'lab@t.local', role: 'unblinded_pharmacist', site: 'site-auh' },
  { email: 'mon@t.local', role: 'monitor', site: null },
  { email: 'dm@t.local', role: 'data_manager', site: null },
  { email: 'stat@t.local', role: 'statistician', site: null },
  { email: 'dsmb@t.local', role: 'dsmb', site: null },
  { email: 'admin2@t.local', role: 'admin', site: null },
];

export async function createAccounts(ctx: ServiceContext): Promise<void> {
  for (const a of ACCOUNTS) {
    await createUser(ctx, systemActor('test'), {
      email: a.email,
      displayName: a.email,
      password: PASSWORD,
      grants: [{ role: a.role, siteId: a.site }],
    });
  }
}

export async function loginAs(baseUrl: string, email: string): Promise<ApiClient> {
  const c = new ApiClient(baseUrl);
  const r = await c.login(email, PASSWORD);
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status}`);
  return c;
}

let cprSeq = 1000;

/**
 * Submits every baseline form that randomization requires (spec §4), through the eCRF service, with
 * plausible values built from the form definitions: the first code of each code list, the middle of
 * each numeric range, `false` for required yes/no items. Randomization tests take this as given;
 * the eCRF's own tests cover baseline entry.
 */
export async function completeBaseline(ctx: ServiceContext, actor: Actor, participantId: string): Promise<void> {
  const protocol = currentProtocol();
  for (const formId of BASELINE_READINESS_FORMS) {
    const form = requireForm(protocol, formId);
    const values: Record<string, unknown> = {};
    for (const group of form.itemGroups) {
      for (const item of group.items) {
        const it = item as {
          id: string;
          type: string;
          required?: boolean;
          codeList?: string;
          range?: { hardMin?: number; hardMax?: number; softMin?: number; softMax?: number };
        };
        if (it.type === 'code' && it.codeList) {
          values[it.id] = protocol.codeLists.find((c) => c.id === it.codeList)!.items[0]!.code;
        } else if (it.required) {
          const r = it.range ?? {};
          const lo = r.softMin ?? r.hardMin ?? 0;
          const hi = r.softMax ?? r.hardMax ?? lo;
          if (it.type === 'integer') values[it.id] = Math.round((lo + hi) / 2);
          else if (it.type === 'decimal') values[it.id] = Math.round(((lo + hi) / 2) * 10) / 10;
          else if (it.type === 'boolean') values[it.id] = false;
          else if (it.type === 'date') values[it.id] = '2026-10-02';
          else values[it.id] = 'T1';
        }
      }
    }
    await saveFormAtVisit(ctx, actor, participantId, 'BL', formId, { values, action: 'submit' });
  }
}

/** Enrols `n` participants (KL grades alternate 2, 3 unless given) through the real services. */
export async function enrolParticipants(
  ctx: ServiceContext,
  n: number,
  opts: { klGrades?: number[]; baseline?: boolean } = {},
): Promise<ParticipantView[]> {
  const nurse = await actorForEmail(ctx.database.db, 'nurse@t.local');
  const inv = await actorForEmail(ctx.database.db, 'inv@t.local');
  const out: ParticipantView[] = [];
  for (let i = 0; i < n; i++) {
    const kl = opts.klGrades?.[i % opts.klGrades.length] ?? (i % 2 === 0 ? 2 : 3);
    const s = await createScreening(ctx, nurse, { values: { ...ELIGIBLE, kl_grade: kl } });
    cprSeq += 1;
    await setIdentity(ctx, nurse, s.id, { cpr: `120364-${cprSeq}`, firstName: 'Test', lastName: `Person ${cprSeq}` });
    await recordConsent(ctx, nurse, s.id, {
      documentVersion: '1.0',
      consentedAt: '2026-09-28T10:00:00.000Z',
      signatureMode: 'paper',
    });
    await signOffEligibility(ctx, inv, s.id, { password: PASSWORD });
    const p = await enrolParticipant(ctx, nurse, s.id);
    if (opts.baseline !== false) await completeBaseline(ctx, nurse, p.id);
    out.push(p);
  }
  return out;
}

/** A snapshot of everything a refused randomization must leave untouched. */
export async function randomizationSnapshot(ctx: ServiceContext): Promise<Record<string, unknown>> {
  const db = ctx.database.db;
  return {
    audit: Number((await db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq),
    strata: await db.selectFrom('randomization_strata').selectAll().orderBy('stratum').execute(),
    slots: (await db.selectFrom('allocation_slots').select('kit').where('participant_id', 'is not', null).execute())
      .length,
    randomizations: (await db.selectFrom('randomizations').select('id').execute()).length,
    counter: (
      await db.selectFrom('counters').select('value').where('name', '=', 'randomization').executeTakeFirstOrThrow()
    ).value,
    participants: await db.selectFrom('participants').select(['id', 'status', 'updated_at']).orderBy('id').execute(),
  };
}
