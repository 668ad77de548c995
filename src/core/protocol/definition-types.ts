import type { ArmCode, ArmContrast, ArmDef } from './arms.js';
import type { Condition } from './condition.js';
import type { Basis, Coding, ItemDef, SdtmHint } from './item-types.js';
import type { LocalizedText } from './localized-text.js';
import type { Role, RoleDef } from './roles.js';

/** One entry of a code list. */
export interface CodeListEntry<C extends string | number = string | number> {
  readonly code: C;
  readonly label: LocalizedText;
  /** External code for the entry (e.g. CDISC controlled terminology). */
  readonly codes?: readonly Coding[];
}

/** A code list whose codes are text (e.g. `female`, `1+`). */
export interface TextCodeList<Id extends string = string> {
  readonly id: Id;
  /** ODM OID, e.g. `CL.SEX`. */
  readonly oid: string;
  readonly name: LocalizedText;
  readonly dataType: 'text';
  /** Entries have an order that means something (severity grades), usable in comparisons. */
  readonly ordered?: boolean;
  readonly items: readonly CodeListEntry<string>[];
  readonly basis?: Basis;
  readonly note?: string;
}

/** A code list whose codes are integers (e.g. KOOS 0–4); values are stored as numbers. */
export interface IntegerCodeList<Id extends string = string> {
  readonly id: Id;
  readonly oid: string;
  readonly name: LocalizedText;
  readonly dataType: 'integer';
  readonly ordered?: boolean;
  readonly items: readonly CodeListEntry<number>[];
  readonly basis?: Basis;
  readonly note?: string;
}

/** A code list (ODM CodeList) with Danish and English labels. */
export type CodeListDef<Id extends string = string> = TextCodeList<Id> | IntegerCodeList<Id>;

/** Who fills in a form or group. */
export const RESPONDENTS = ['site', 'participant', 'reader', 'lab', 'sponsor', 'unblinded_staff'] as const;

/** Who fills in a form or item group. */
export type Respondent = (typeof RESPONDENTS)[number];

/** A group of items (ODM ItemGroupDef); repeating groups hold one row per repetition. */
export interface ItemGroupDef<CL extends string = string> {
  readonly id: string;
  /** ODM OID, e.g. `IG.KOOS.SYMPTOMS`. */
  readonly oid: string;
  readonly name: LocalizedText;
  /** The group holds any number of rows (e.g. one per antibody bead, one per analgesic). */
  readonly repeating?: boolean;
  /** The group is shown only when this holds. */
  readonly showIf?: Condition;
  /** Overrides the form's respondent for this group. */
  readonly respondent?: Respondent;
  readonly items: readonly ItemDef<string, CL>[];
}

/**
 * How a form is used: `scheduled` at the visits of the schedule; `log` repeats at any time (AEs,
 * medication) and may also be reviewed at visits; `event` is filled when something happens
 * (unscheduled visit, end of study); `product_chain` belongs to the cell product, not to a visit.
 */
export const FORM_KINDS = ['scheduled', 'log', 'event', 'product_chain'] as const;

/** How a form is used (see {@link FORM_KINDS}). */
export type FormKind = (typeof FORM_KINDS)[number];

/**
 * Blinding level of a whole form: `open` forms are visible to every role with data access;
 * `unblinded_only` forms (product preparation records) only to the listed roles.
 */
export interface FormBlinding {
  readonly level: 'unblinded_only';
  readonly visibleTo: readonly Role[];
  readonly reason: LocalizedText;
}

/** An eCRF / ePRO form (ODM FormDef). */
export interface FormDef<CL extends string = string> {
  /** Form id, snake_case, stable; used in records, paths and APIs. */
  readonly id: string;
  /** ODM OID, e.g. `F.KOOS`. */
  readonly oid: string;
  readonly title: LocalizedText;
  readonly kind: FormKind;
  /** More than one instance per visit (or per participant for logs). */
  readonly repeating: boolean;
  readonly respondent: Respondent;
  /** Completed by the participant in the ePRO app. */
  readonly epro?: boolean;
  /** Recall period of a questionnaire, e.g. "last week". */
  readonly recallPeriod?: LocalizedText;
  readonly blinding?: FormBlinding;
  /** Default SDTM domain of the form's items. */
  readonly sdtm?: SdtmHint;
  /** Licence notice for instruments whose validated wording is not shipped. */
  readonly licenceNote?: string;
  readonly description?: LocalizedText;
  readonly itemGroups: readonly ItemGroupDef<CL>[];
  readonly basis?: Basis;
  readonly note?: string;
}

/** Visit kinds: screening, baseline/injection, the daily diary, follow-up visits. */
export const VISIT_KINDS = ['screening', 'baseline', 'diary', 'follow_up'] as const;

/** Kind of a visit. */
export type VisitKind = (typeof VISIT_KINDS)[number];

/**
 * Allowed deviation from the target day (days before / after). Windows are configurable data;
 * the spec marks them **default**. A visit outside its window is recorded and flagged, never refused.
 */
export interface VisitWindow {
  readonly before: number;
  readonly after: number;
  readonly basis?: Basis;
}

/** A repeating visit definition: one instance per study day (the diary `D1`…`D30`). */
export interface VisitRepeat {
  readonly fromDay: number;
  readonly toDay: number;
  /** Instance codes are `${codePrefix}${day}`, e.g. `D7`. */
  readonly codePrefix: string;
  /** Entries made after the day itself are accepted and flagged late. */
  readonly flagLateEntries: boolean;
}

/** A visit (ODM StudyEventDef) with its timing and the forms collected at it. */
export interface VisitDef<FormId extends string = string> {
  /** Visit code, e.g. `M3`; the diary definition has code `D`. */
  readonly code: string;
  /** ODM OID, e.g. `SE.M3`. */
  readonly oid: string;
  readonly name: LocalizedText;
  readonly kind: VisitKind;
  /** Target study day (Day 0 = injection); null for screening, which has only a range. */
  readonly targetDay: number | null;
  /** Allowed study-day range when there is no single target (screening −28…−1). */
  readonly dayRange?: { readonly from: number; readonly to: number };
  /** Window around the target day; null when none applies. */
  readonly window: VisitWindow | null;
  /** Present on the repeating diary definition. */
  readonly repeat?: VisitRepeat;
  /** Forms collected at this visit (the schedule of assessments, spec §5). */
  readonly forms: readonly FormId[];
}

/** Inclusion or exclusion. */
export const CRITERION_KINDS = ['inclusion', 'exclusion'] as const;

/** Inclusion or exclusion criterion. */
export type CriterionKind = (typeof CRITERION_KINDS)[number];

/**
 * An eligibility criterion. The protocol declares it (id, names, the items it reads, the exact rule
 * in words); `src/core/eligibility` implements the rule.
 */
export interface CriterionDef<FormId extends string = string, ItemId extends string = string> {
  /** `IC1`…`IC8`, `EC1`…`EC14`; fixed, they appear in APIs, exports and the CONSORT diagram. */
  readonly id: string;
  readonly kind: CriterionKind;
  readonly name: LocalizedText;
  /** The exact semantics (spec §3). */
  readonly rule: LocalizedText;
  /** Form the inputs live in. */
  readonly form: FormId;
  /** Entered items the rule reads. */
  readonly items: readonly ItemId[];
  /** Derived items the rule reads (age, BMI). */
  readonly derivedItems?: readonly ItemId[];
  /** The registry wording this criterion encodes. */
  readonly registryText: string;
}

/** One level of a stratification factor: the item values that fall in it. */
export interface StratumLevel {
  readonly code: string;
  readonly label: LocalizedText;
  readonly values: readonly (string | number | boolean)[];
}

/** A randomization stratification factor read from an item. */
export interface StratumDef<FormId extends string = string, ItemId extends string = string> {
  readonly id: string;
  readonly label: LocalizedText;
  readonly form: FormId;
  readonly item: ItemId;
  readonly levels: readonly StratumLevel[];
  readonly basis?: Basis;
}

/** Randomization procedures the protocol may select. */
export const RANDOMIZATION_METHODS = ['permuted_blocks', 'big_stick'] as const;

/** A randomization procedure. */
export type RandomizationMethod = (typeof RANDOMIZATION_METHODS)[number];

/** Randomization parameters (spec §4); the list generator reads them. */
export interface RandomizationDef {
  readonly method: RandomizationMethod;
  /** Block sizes drawn at random, for permuted blocks. */
  readonly blockSizes: readonly number[];
  /** Maximum tolerated imbalance, for the big-stick alternative. */
  readonly maxImbalance: number;
  /** Stratum ids (see `strata`). */
  readonly strata: readonly string[];
  readonly seedBits: number;
  readonly commitment: 'salted_sha256';
  /** Preconditions the server checks before randomizing. */
  readonly requires: readonly ('eligibility_signed_off' | 'valid_consent' | 'baseline_complete')[];
  readonly basis?: Basis;
}

/** Analysis methods of the statistical analysis plan (spec §8). */
export const ANALYSIS_METHODS = [
  'mmrm_change_from_baseline',
  'logistic_regression',
  'ae_incidence',
  'dsa_incidence',
  'descriptive_ordinal',
] as const;

/** One SAP analysis method. */
export type AnalysisMethod = (typeof ANALYSIS_METHODS)[number];

/** The SAP analysis of one outcome (spec §8, **default**). */
export interface AnalysisDef {
  readonly method: AnalysisMethod;
  readonly contrast: ArmContrast;
  /** Two-sided confidence level. */
  readonly confidenceLevel: number;
  /** Model details as data: covariance, estimation, degrees of freedom, tests, CI method … */
  readonly params: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  readonly sensitivity?: readonly { readonly method: string; readonly description: LocalizedText }[];
  readonly description: LocalizedText;
  readonly basis?: Basis;
}

/** The data an outcome reads: items of one form. */
export interface OutcomeDataRef<FormId extends string = string, ItemId extends string = string> {
  readonly form: FormId;
  readonly items: readonly ItemId[];
}

/** A registered outcome measure mapped to forms, items, visits and its SAP analysis. */
export interface OutcomeDef<
  FormId extends string = string,
  ItemId extends string = string,
  VisitCode extends string = string,
> {
  readonly id: string;
  /** Position in the registry record. */
  readonly registryOrder: number;
  /** The registry title, verbatim. */
  readonly registryTitle: string;
  readonly title: LocalizedText;
  readonly data: readonly OutcomeDataRef<FormId, ItemId>[];
  /** The registry time frame as visit codes (the diary definition counts as `D`). */
  readonly visits: readonly VisitCode[];
  /** Reference visit of a change-from-baseline outcome. */
  readonly baselineVisit?: VisitCode;
  readonly unit?: string;
  readonly analysis: AnalysisDef;
}

/** A regulatory safety clock (spec §7) as data; `src/core/safety` computes due times from it. */
export interface SafetyClockDef {
  readonly id: string;
  readonly label: LocalizedText;
  /** What starts the clock. */
  readonly startsAt: 'site_awareness' | 'sponsor_awareness' | 'initial_report' | 'study_start_anniversary';
  readonly duration: { readonly hours: number } | { readonly days: number } | { readonly months: number };
  /** Who must report to whom. */
  readonly reporter: 'investigator' | 'sponsor';
  readonly recipient: 'sponsor' | 'eudravigilance' | 'ctis';
  readonly appliesTo: LocalizedText;
  readonly legalBasis: string;
  readonly basis?: Basis;
}

/** Blinding rules of the trial (spec §4). */
export interface BlindingDef {
  readonly masking: 'double';
  readonly maskedParties: readonly ('participant' | 'investigator' | 'outcome_assessor')[];
  /** Roles that see the allocation during the trial. */
  readonly unblindedRoles: readonly Role[];
  /** Roles that see it only after database lock. */
  readonly unblindedAfterLockRoles: readonly Role[];
  /** Roles that may see potentially unblinding items unless an item narrows this. */
  readonly potentiallyUnblindingVisibleTo: readonly Role[];
  readonly emergencyUnblinding: {
    readonly allowedRoles: readonly Role[];
    readonly scope: 'single_participant';
    readonly requiresReason: boolean;
    readonly requiresSignature: boolean;
    readonly notify: readonly ('sponsor' | 'dsmb')[];
    readonly flagsParticipantForAnalysis: boolean;
  };
  readonly assessment: { readonly form: string; readonly visits: readonly string[] };
  readonly notes: readonly LocalizedText[];
}

/** A derived-item method the protocol uses, and where it is implemented. */
export interface DerivationMethodDef {
  readonly id: string;
  readonly description: LocalizedText;
  /** Module that implements the method, e.g. `src/core/scoring`. */
  readonly implementedIn: string;
  /** Expected result type. */
  readonly resultType: 'integer' | 'decimal' | 'boolean';
}

/** A trial site. */
export interface SiteDef {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly timeZone: string;
}

/** Study identification and design (spec §1). */
export interface StudyDef {
  /** Sponsor study id, e.g. `STEMJOINT01`. */
  readonly id: string;
  readonly acronym: string;
  /** ODM Study OID. */
  readonly oid: string;
  readonly registryIds: readonly { readonly registry: string; readonly id: string }[];
  readonly title: LocalizedText;
  readonly condition: LocalizedText;
  readonly phase: string;
  readonly studyType: 'interventional';
  readonly primaryPurpose: 'treatment';
  readonly design: {
    readonly allocation: 'randomized';
    readonly model: 'parallel';
    readonly masking: 'double';
    readonly ratio: string;
  };
  readonly enrolmentTarget: number;
  readonly sites: readonly SiteDef[];
  readonly followUpYears: number;
  /** Minimum record retention in years (cell-therapy traceability). */
  readonly retentionYears: number;
  readonly sponsor: string;
}

/** A protocol amendment that produced a version. */
export interface AmendmentDef {
  readonly version: string;
  readonly previousVersion: string | null;
  /** ISO date the version takes effect. */
  readonly effectiveDate: string;
  readonly summary: string;
}

/**
 * The whole protocol definition, loosely typed so that it can also come from JSON. Use
 * `defineProtocol` in code to get literal ids and compile-time reference checks on top of it.
 */
export interface ProtocolDefinition {
  /** Protocol version, e.g. `1.0`; every stored record carries it. */
  readonly version: string;
  readonly amendments: readonly AmendmentDef[];
  readonly study: StudyDef;
  readonly arms: readonly ArmDef[];
  readonly roles: readonly RoleDef[];
  readonly codeLists: readonly CodeListDef[];
  readonly forms: readonly FormDef[];
  readonly visits: readonly VisitDef[];
  readonly criteria: readonly CriterionDef[];
  readonly strata: readonly StratumDef[];
  readonly randomization: RandomizationDef;
  readonly outcomes: readonly OutcomeDef[];
  readonly blinding: BlindingDef;
  readonly safetyClocks: readonly SafetyClockDef[];
  readonly derivationMethods: readonly DerivationMethodDef[];
}

/** Arm codes used where the protocol needs to name arms (re-exported for convenience). */
export type { ArmCode };
