import type { VisitDef } from '../definition-types.js';
import { t } from './helpers.js';

/** Forms reviewed at every post-injection visit (safety log and medication). */
const SAFETY_REVIEW = ['adverse_event', 'conmed'] as const;

/** Patient-reported outcomes collected at every follow-up visit. */
const PROS = ['koos', 'nrs'] as const;

/** Examination and imaging collected at baseline and through 24 months. */
const EXAM_IMAGING = ['clinical_exam', 'mri_moaks', 'mri_quant'] as const;

const followUpWindow = (days: number) => ({ before: days, after: days, basis: 'default' }) as const;

/**
 * The STEMJOINT schedule (spec §5; Day 0 = injection day). Windows are configurable defaults; a
 * visit outside its window is recorded and flagged as a deviation, never refused. The diary is one
 * repeating visit definition `D` with instances D1…D30.
 */
export const STEMJOINT_VISITS = [
  {
    code: 'SCR',
    oid: 'SE.SCR',
    name: t('Screening', 'Screening'),
    kind: 'screening',
    targetDay: null,
    dayRange: { from: -28, to: -1 },
    window: null,
    forms: ['screening', 'consent', 'demographics', 'medical_history', 'xray', 'conmed'],
  },
  {
    code: 'BL',
    oid: 'SE.BL',
    name: t('Baseline og injektion', 'Baseline and injection'),
    kind: 'baseline',
    targetDay: 0,
    window: null,
    forms: [...PROS, ...EXAM_IMAGING, 'hla_typing', 'hla_antibody', 'administration', ...SAFETY_REVIEW],
  },
  {
    code: 'D',
    oid: 'SE.DIARY',
    name: t('Smertedagbog dag 1–30', 'Pain diary day 1–30'),
    kind: 'diary',
    targetDay: null,
    dayRange: { from: 1, to: 30 },
    window: { before: 0, after: 0, basis: 'spec' },
    repeat: { fromDay: 1, toDay: 30, codePrefix: 'D', flagLateEntries: true },
    forms: ['pain_diary', ...SAFETY_REVIEW],
  },
  {
    code: 'M3',
    oid: 'SE.M3',
    name: t('3 måneder', '3 months'),
    kind: 'follow_up',
    targetDay: 91,
    window: followUpWindow(14),
    forms: [...PROS, ...EXAM_IMAGING, 'hla_typing', 'hla_antibody', 'blinding_assessment', ...SAFETY_REVIEW],
  },
  {
    code: 'M12',
    oid: 'SE.M12',
    name: t('12 måneder', '12 months'),
    kind: 'follow_up',
    targetDay: 365,
    window: followUpWindow(30),
    forms: [...PROS, ...EXAM_IMAGING, 'blinding_assessment', ...SAFETY_REVIEW],
  },
  {
    code: 'M24',
    oid: 'SE.M24',
    name: t('24 måneder', '24 months'),
    kind: 'follow_up',
    targetDay: 730,
    window: followUpWindow(30),
    forms: [...PROS, ...EXAM_IMAGING, ...SAFETY_REVIEW],
  },
  {
    code: 'Y3',
    oid: 'SE.Y3',
    name: t('3 år', '3 years'),
    kind: 'follow_up',
    targetDay: 1095,
    window: followUpWindow(60),
    forms: [...PROS, ...SAFETY_REVIEW],
  },
  {
    code: 'Y4',
    oid: 'SE.Y4',
    name: t('4 år', '4 years'),
    kind: 'follow_up',
    targetDay: 1461,
    window: followUpWindow(60),
    forms: [...PROS, ...SAFETY_REVIEW],
  },
  {
    code: 'Y5',
    oid: 'SE.Y5',
    name: t('5 år', '5 years'),
    kind: 'follow_up',
    targetDay: 1826,
    window: followUpWindow(60),
    forms: [...PROS, ...SAFETY_REVIEW],
  },
] as const satisfies readonly VisitDef[];
