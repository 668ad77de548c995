/**
 * Synthetic people for the demo and the simulator: a screening record drawn so that the screen-
 * failure reasons occur in plausible proportions for a knee-OA injection trial, and a matching
 * (synthetic, modulus-11-valid) CPR number and name. Everything is drawn from the seeded generator.
 */
import type { ScreeningRecord } from '../eligibility/screening-items.js';
import { addCalendarDays, type IsoDate } from '../schedule/plain-date.js';
import type { SeededRandom } from './seeded-random.js';

export interface SyntheticPerson {
  values: ScreeningRecord;
  identity: { cpr: string; firstName: string; lastName: string; phone: string };
  /** What the person does when approached, before any data are collected. */
  approach: 'participates' | 'declines' | 'not_reached';
}

/** Probabilities of each screen-failure cause (independent; a person may have several). */
export interface ScreenFailureRates {
  ageOutOfRange: number;
  bmiAtLeast35: number;
  klGrade4: number;
  jswOutOfRange: number;
  malalignment: number;
  diabetes: number;
  recentInjection: number;
  instability: number;
  mriContraindication: number;
  inflammatoryArthritis: number;
  declines: number;
  notReached: number;
}

export const DEFAULT_SCREEN_FAILURE_RATES: ScreenFailureRates = {
  ageOutOfRange: 0.04,
  bmiAtLeast35: 0.06,
  klGrade4: 0.05,
  jswOutOfRange: 0.04,
  malalignment: 0.03,
  diabetes: 0.05,
  recentInjection: 0.03,
  instability: 0.02,
  mriContraindication: 0.02,
  inflammatoryArthritis: 0.02,
  declines: 0.08,
  notReached: 0.03,
};

const FEMALE = [
  'Anne',
  'Kirsten',
  'Hanne',
  'Mette',
  'Susanne',
  'Lene',
  'Inge',
  'Karen',
  'Birgit',
  'Jette',
  'Lone',
  'Tove',
];
const MALE = ['Jens', 'Peter', 'Michael', 'Lars', 'Henrik', 'Søren', 'Niels', 'Ole', 'Poul', 'Bent', 'Erik', 'Torben'];
const LAST = [
  'Jensen',
  'Nielsen',
  'Hansen',
  'Pedersen',
  'Andersen',
  'Christensen',
  'Larsen',
  'Sørensen',
  'Rasmussen',
  'Jørgensen',
  'Petersen',
  'Madsen',
  'Kristensen',
  'Olsen',
  'Thomsen',
];

const WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A modulus-11-valid CPR number for a date of birth (1900–1999 or 2000–2036) and sex. */
export function syntheticCpr(dateOfBirth: IsoDate, sex: 'female' | 'male', rng: SeededRandom): string {
  const [y, m, d] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const ddmmyy = `${pad2(d)}${pad2(m)}${pad2(y % 100)}`;
  const centuryDigit = y < 2000 ? rng.int(0, 3) : 4;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const mid = `${centuryDigit}${rng.int(0, 9)}${rng.int(0, 9)}`;
    const partial = `${ddmmyy}${mid}`;
    const sum = partial.split('').reduce((s, ch, i) => s + Number(ch) * (WEIGHTS[i] as number), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check === 10) continue;
    if ((check % 2 === 1) !== (sex === 'male')) continue;
    return `${ddmmyy}-${mid}${check}`;
  }
  throw new Error('could not draw a CPR number');
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function syntheticPerson(
  rng: SeededRandom,
  screeningDate: IsoDate,
  rates: ScreenFailureRates = DEFAULT_SCREEN_FAILURE_RATES,
): SyntheticPerson {
  const sex = rng.chance(0.58) ? 'female' : 'male';
  const age = rng.chance(rates.ageOutOfRange) ? rng.pick([rng.int(33, 39), rng.int(76, 82)]) : rng.int(40, 75);
  const dateOfBirth = addCalendarDays(screeningDate, -(age * 365.25 + rng.int(1, 360)) | 0);
  const heightCm = round1(sex === 'female' ? rng.normal(166, 6.5) : rng.normal(179, 7));
  const bmi = rng.chance(rates.bmiAtLeast35) ? rng.normal(37, 1.5) : Math.min(34.5, Math.max(20, rng.normal(28, 3)));
  const weightKg = round1(bmi * (heightCm / 100) ** 2);
  const kl = rng.chance(rates.klGrade4) ? 4 : rng.chance(0.5) ? 2 : 3;
  const jsw = rng.chance(rates.jswOutOfRange) ? round1(rng.pick([0.6, 0.8, 3.4, 3.8])) : round1(1 + rng.next() * 2);
  const values: ScreeningRecord = {
    screening_date: screeningDate,
    date_of_birth: dateOfBirth,
    sex,
    knee_pain_months: rng.chance(0.03) ? rng.int(2, 5) : rng.int(6, 120),
    nrs_worst: rng.chance(0.03) ? rng.int(1, 3) : rng.int(4, 10),
    kl_grade: kl,
    jsw_mm: jsw,
    alignment_deg: round1(rng.chance(rates.malalignment) ? 5.5 + rng.next() * 4 : rng.next() * 5),
    oa_compartment: rng.pick(['medial', 'medial', 'medial', 'lateral', 'dual'] as const),
    height_cm: heightCm,
    weight_kg: weightKg,
    danish_speaker: !rng.chance(0.01),
    legally_competent: true,
    ia_tumor_infection_fracture: false,
    ...(sex === 'female' ? { pregnant_or_breastfeeding: false } : {}),
    cognitive_impairment: false,
    cytostatic_treatment: rng.chance(0.005),
    last_ia_injection_date: rng.chance(rates.recentInjection)
      ? addCalendarDays(screeningDate, -rng.int(10, 80))
      : rng.chance(0.3)
        ? addCalendarDays(screeningDate, -rng.int(120, 900))
        : null,
    mri_contraindication: rng.chance(rates.mriContraindication),
    ligament_reconstruction: rng.chance(0.01),
    meniscal_resection_over_50pct: rng.chance(0.01),
    meniscal_operations: rng.chance(0.15) ? 1 : rng.chance(0.02) ? 2 : 0,
    diabetes: rng.chance(rates.diabetes),
    ap_laxity_mm: round1(rng.chance(rates.instability) ? 3 + rng.next() * 3 : rng.next() * 2.8),
    knee_instability: false,
    antibiotic_allergy: rng.chance(0.01),
    severe_systemic_condition: rng.chance(0.01),
    inflammatory_arthritis: rng.chance(rates.inflammatoryArthritis),
  };
  const approach = rng.chance(rates.notReached)
    ? 'not_reached'
    : rng.chance(rates.declines)
      ? 'declines'
      : 'participates';
  return {
    values,
    identity: {
      cpr: syntheticCpr(dateOfBirth, sex, rng),
      firstName: rng.pick(sex === 'female' ? FEMALE : MALE),
      lastName: rng.pick(LAST),
      phone: `+45 ${rng.int(20, 99)} ${rng.int(10, 99)} ${rng.int(10, 99)} ${rng.int(10, 99)}`,
    },
    approach,
  };
}
