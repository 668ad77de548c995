/**
 * The visit plan of spec §5 as data (Day 0 = injection day). Kept self-contained so that it can
 * later be read from the typed protocol definition; every function of the schedule module takes a
 * plan as a parameter and defaults to this one.
 */

/** One planned visit. Windows are inclusive calendar-day offsets from Day 0. */
export interface PlannedVisit {
  /** Fixed visit code (`SCR`, `BL`, `M3`, …). */
  readonly code: string;
  /** Human label. */
  readonly label: string;
  /**
   * `screening` and `baseline` happen before or on Day 0; `followup` visits are the scheduled visits
   * after baseline; `diary` marks a single diary day (the plan lists them compactly in `diary`).
   */
  readonly kind: 'screening' | 'baseline' | 'diary' | 'followup';
  /** Target day relative to Day 0 (for screening: the last allowed day). */
  readonly targetDay: number;
  /** First allowed day relative to Day 0. */
  readonly earliestDay: number;
  /** Last allowed day relative to Day 0. */
  readonly latestDay: number;
}

/** A repeated daily diary (`D1` … `D30`): each entry belongs to its own day; late entries are flagged. */
export interface DiaryPlan {
  /** Code prefix; day n is `${prefix}${n}`. */
  readonly prefix: string;
  readonly label: string;
  readonly firstDay: number;
  readonly lastDay: number;
}

/** A complete visit plan. */
export interface VisitPlan {
  readonly visits: readonly PlannedVisit[];
  readonly diary: DiaryPlan;
}

/** Follow-up visit codes of STEMJOINT, in schedule order. */
export const STEMJOINT_FOLLOWUP_VISIT_CODES = ['M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'] as const;
/** A STEMJOINT follow-up visit code. */
export type StemjointFollowupVisitCode = (typeof STEMJOINT_FOLLOWUP_VISIT_CODES)[number];

/** Builds a visit symmetric around its target day (± `window` days). */
const followup = (code: string, label: string, targetDay: number, window: number): PlannedVisit => ({
  code,
  label,
  kind: 'followup',
  targetDay,
  earliestDay: targetDay - window,
  latestDay: targetDay + window,
});

/**
 * STEMJOINT plan (spec §5). The windows are protocol defaults. Y4 is day 1461 as in the spec (the
 * data dictionary's proposal says 1460; the spec is the source of truth).
 */
export const STEMJOINT_VISIT_PLAN: VisitPlan = {
  visits: [
    { code: 'SCR', label: 'Screening', kind: 'screening', targetDay: -1, earliestDay: -28, latestDay: -1 },
    { code: 'BL', label: 'Baseline and injection', kind: 'baseline', targetDay: 0, earliestDay: 0, latestDay: 0 },
    followup('M3', '3 months', 91, 14),
    followup('M12', '12 months', 365, 30),
    followup('M24', '24 months', 730, 30),
    followup('Y3', '3 years', 1095, 60),
    followup('Y4', '4 years', 1461, 60),
    followup('Y5', '5 years', 1826, 60),
  ],
  diary: { prefix: 'D', label: 'Pain diary', firstDay: 1, lastDay: 30 },
};
