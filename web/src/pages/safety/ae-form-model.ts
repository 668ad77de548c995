/**
 * The AE form's model: the draft as typed (strings and flags), turning a draft into the API body
 * with field-level problems found in the browser, the changes a follow-up makes to the current
 * version, and the server's field details mapped onto the form's fields. The server checks
 * everything again; the browser's checks only save a round trip.
 */
import { describePartialDateProblem } from '../../../../src/core/safety/partial-date.js';
import {
  SERIOUSNESS_CRITERIA,
  type AeAction,
  type AeChanges,
  type AeOutcome,
  type AeRecord,
  type AeView,
  type Causality,
  type MeddraInput,
  type SeriousnessFlags,
} from '../../api/safety-api.js';
import type { FieldDetail } from '../../api/client.js';
import type { StringKey } from '../randomization/page-strings.js';
import { cphInputValue, instantFromCphInput } from '../randomization/trial-format.js';
import type { SafetyStrings } from './safety-i18n.js';

/** A message key of the safety strings' `errors` group. */
export type AeErrorKey = Extract<StringKey<SafetyStrings>, `errors.${string}`>;

/** The form as typed. */
export interface AeDraft {
  participantId: string;
  verbatimTerm: string;
  meddraVersion: string;
  lltCode: string;
  lltName: string;
  ptCode: string;
  ptName: string;
  socCode: string;
  socName: string;
  onsetDate: string;
  endDate: string;
  grade: string;
  seriousness: SeriousnessFlags;
  localToIndexKnee: '' | 'yes' | 'no';
  causalityCell: '' | Causality;
  causalityProcedure: '' | Causality;
  actionTaken: AeAction[];
  outcome: '' | AeOutcome;
  narrative: string;
  siteAwarenessAt: string;
  seriousAwarenessAt: string;
  reason: string;
}

const NOT_SERIOUS: SeriousnessFlags = {
  death: false,
  lifeThreatening: false,
  hospitalisation: false,
  disability: false,
  congenitalAnomaly: false,
  importantMedicalEvent: false,
};

/** An empty form for a new AE; awareness defaults to now (Copenhagen). */
export function emptyDraft(participantId: string, now: Date = new Date()): AeDraft {
  return {
    participantId,
    verbatimTerm: '',
    meddraVersion: '',
    lltCode: '',
    lltName: '',
    ptCode: '',
    ptName: '',
    socCode: '',
    socName: '',
    onsetDate: '',
    endDate: '',
    grade: '',
    seriousness: { ...NOT_SERIOUS },
    localToIndexKnee: '',
    causalityCell: '',
    causalityProcedure: '',
    actionTaken: [],
    outcome: '',
    narrative: '',
    siteAwarenessAt: cphInputValue(now),
    seriousAwarenessAt: '',
    reason: '',
  };
}

/** The current version of an AE as a draft, for a follow-up. */
export function draftFromAe(ae: AeView, now: Date = new Date()): AeDraft {
  const m = ae.meddra;
  return {
    participantId: ae.participantId,
    verbatimTerm: ae.verbatimTerm,
    meddraVersion: m?.version ?? '',
    lltCode: m?.lltCode ?? '',
    lltName: m?.lltName ?? '',
    ptCode: m?.ptCode ?? '',
    ptName: m?.ptName ?? '',
    socCode: m?.socCode ?? '',
    socName: m?.socName ?? '',
    onsetDate: ae.onsetDate,
    endDate: ae.endDate ?? '',
    grade: String(ae.grade),
    seriousness: { ...ae.seriousness },
    localToIndexKnee: ae.localToIndexKnee === null ? '' : ae.localToIndexKnee ? 'yes' : 'no',
    causalityCell: ae.investigatorCausality?.cellProduct ?? '',
    causalityProcedure: ae.investigatorCausality?.procedure ?? '',
    actionTaken: [...ae.actionTaken],
    outcome: ae.outcome,
    narrative: ae.narrative ?? '',
    siteAwarenessAt: cphInputValue(new Date(ae.siteAwarenessAt)),
    seriousAwarenessAt: ae.serious ? '' : cphInputValue(now),
    reason: '',
  };
}

/** Whether any seriousness criterion is ticked. */
export const isSeriousDraft = (d: AeDraft): boolean => SERIOUSNESS_CRITERIA.some((c) => d.seriousness[c]);

/** The clinical record a draft describes (the fields of one AE version). */
export type AeRecordInput = Omit<AeRecord, 'meddra'> & { meddra: MeddraInput | null };

/** What a valid draft becomes. */
export interface BuiltAe {
  participantId: string;
  record: AeRecordInput;
  siteAwarenessAt: string;
  /** Only when given (new serious event, or becoming serious in a follow-up). */
  seriousAwarenessAt: string | null;
  reason: string;
}

function partialDateError(value: string): AeErrorKey | null {
  const problem = describePartialDateProblem(value);
  if (problem === null) return null;
  return problem.endsWith('out of range') ? 'errors.dateRange' : 'errors.partialDate';
}

/**
 * Checks a draft and builds the body. `mayAssess`: whether the user may record the investigator's
 * causality (otherwise it is left out); `followUp`: a reason is required and the site awareness is
 * not sent again.
 */
export function buildAe(
  d: AeDraft,
  opts: { mayAssess: boolean; followUp: boolean; wasSerious: boolean },
): { built: BuiltAe | null; errors: Record<string, AeErrorKey> } {
  const errors: Record<string, AeErrorKey> = {};
  if (d.participantId === '') errors.participantId = 'errors.chooseOne';
  if (d.verbatimTerm.trim() === '') errors.verbatimTerm = 'errors.required';

  let meddra: MeddraInput | null = null;
  const codes = { lltCode: d.lltCode.trim(), ptCode: d.ptCode.trim(), socCode: d.socCode.trim() };
  const names = { lltName: d.lltName.trim(), ptName: d.ptName.trim(), socName: d.socName.trim() };
  const anyMeddra = [d.meddraVersion.trim(), ...Object.values(codes), ...Object.values(names)].some((v) => v !== '');
  if (anyMeddra) {
    if (!/^\d{1,2}\.\d$/.test(d.meddraVersion.trim())) errors['meddra.version'] = 'errors.meddraVersion';
    for (const [k, v] of Object.entries(codes)) {
      if (v !== '' && !/^\d{8}$/.test(v)) errors[`meddra.${k}`] = 'errors.meddraCode';
    }
    if (Object.values(codes).every((v) => v === '')) errors['meddra.lltCode'] = 'errors.meddraOneCode';
    meddra = {
      version: d.meddraVersion.trim(),
      lltCode: codes.lltCode || null,
      lltName: names.lltName || null,
      ptCode: codes.ptCode || null,
      ptName: names.ptName || null,
      socCode: codes.socCode || null,
      socName: names.socName || null,
    };
  }

  const onset = d.onsetDate.trim();
  const end = d.endDate.trim();
  if (onset === '') errors.onsetDate = 'errors.required';
  else {
    const e = partialDateError(onset);
    if (e) errors.onsetDate = e;
  }
  if (end !== '') {
    const e = partialDateError(end);
    if (e) errors.endDate = e;
  }
  const grade = Number(d.grade);
  if (!/^[1-5]$/.test(d.grade)) errors.grade = 'errors.grade';
  else if (grade === 5 && !d.seriousness.death) errors.seriousness = 'errors.grade5Death';
  if (d.outcome === '') errors.outcome = 'errors.chooseOne';
  else if (d.outcome === 'fatal' && !d.seriousness.death) errors.seriousness = 'errors.fatalDeath';
  if (d.actionTaken.length === 0) errors.actionTaken = 'errors.action';
  else if (d.actionTaken.includes('none') && d.actionTaken.length > 1) errors.actionTaken = 'errors.actionNone';

  let causality: AeRecord['investigatorCausality'] = null;
  if (opts.mayAssess && (d.causalityCell !== '' || d.causalityProcedure !== '')) {
    if (d.causalityCell === '' || d.causalityProcedure === '') errors.causality = 'errors.chooseOne';
    else causality = { cellProduct: d.causalityCell, procedure: d.causalityProcedure };
  }

  const siteAwarenessAt = instantFromCphInput(d.siteAwarenessAt);
  if (!opts.followUp) {
    if (!siteAwarenessAt) errors.siteAwarenessAt = 'errors.dateTime';
    else if (Date.parse(siteAwarenessAt) > Date.now() + 60_000) errors.siteAwarenessAt = 'errors.future';
  }
  const serious = isSeriousDraft(d);
  let seriousAwarenessAt: string | null = null;
  const asksSeriousAwareness = serious && (opts.followUp ? !opts.wasSerious : true);
  if (asksSeriousAwareness && d.seriousAwarenessAt.trim() !== '') {
    seriousAwarenessAt = instantFromCphInput(d.seriousAwarenessAt);
    if (!seriousAwarenessAt) errors.seriousAwarenessAt = 'errors.dateTime';
    else if (Date.parse(seriousAwarenessAt) > Date.now() + 60_000) errors.seriousAwarenessAt = 'errors.future';
  }
  if (opts.followUp && d.reason.trim() === '') errors.reason = 'errors.required';

  if (Object.keys(errors).length > 0) return { built: null, errors };
  return {
    built: {
      participantId: d.participantId,
      record: {
        verbatimTerm: d.verbatimTerm.trim(),
        meddra,
        onsetDate: onset,
        endDate: end === '' ? null : end,
        grade,
        seriousness: { ...d.seriousness },
        localToIndexKnee: d.localToIndexKnee === '' ? null : d.localToIndexKnee === 'yes',
        investigatorCausality: causality,
        actionTaken: [...d.actionTaken],
        outcome: d.outcome as AeOutcome,
        narrative: d.narrative.trim() === '' ? null : d.narrative.trim(),
      },
      siteAwarenessAt: siteAwarenessAt ?? '',
      seriousAwarenessAt,
      reason: d.reason.trim(),
    },
    errors,
  };
}

const normalizedMeddra = (m: MeddraInput | AeRecord['meddra'] | null): string =>
  m === null
    ? 'null'
    : JSON.stringify([
        m.version,
        m.lltCode ?? null,
        m.lltName ?? null,
        m.ptCode ?? null,
        m.ptName ?? null,
        m.socCode ?? null,
        m.socName ?? null,
      ]);

/**
 * The fields of `next` that differ from `current`. The investigator's causality is only sent when
 * the user may assess it (a coordinator's follow-up leaves it as it is).
 */
export function changesBetween(current: AeRecord, next: AeRecordInput, mayAssess: boolean): AeChanges {
  const out: AeChanges = {};
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  if (next.verbatimTerm !== current.verbatimTerm) out.verbatimTerm = next.verbatimTerm;
  if (normalizedMeddra(next.meddra) !== normalizedMeddra(current.meddra)) out.meddra = next.meddra;
  if (next.onsetDate !== current.onsetDate) out.onsetDate = next.onsetDate;
  if (next.endDate !== current.endDate) out.endDate = next.endDate;
  if (next.grade !== current.grade) out.grade = next.grade;
  if (!same(next.seriousness, current.seriousness)) out.seriousness = next.seriousness;
  if (next.localToIndexKnee !== current.localToIndexKnee) out.localToIndexKnee = next.localToIndexKnee;
  if (mayAssess && !same(next.investigatorCausality, current.investigatorCausality)) {
    out.investigatorCausality = next.investigatorCausality;
  }
  if (!same([...next.actionTaken].sort(), [...current.actionTaken].sort())) out.actionTaken = next.actionTaken;
  if (next.outcome !== current.outcome) out.outcome = next.outcome;
  if ((next.narrative ?? null) !== (current.narrative ?? null)) out.narrative = next.narrative;
  return out;
}

/**
 * The form field a server detail belongs to: `body.` and `changes.` prefixes go, list indexes go
 * (`actionTaken.0` is `actionTaken`), seriousness and causality details go to their groups.
 */
export function fieldOfDetail(detail: FieldDetail): string {
  let parts = detail.path.split(/[.[\]]/).filter((s) => s !== '');
  if (parts[0] === 'body') parts = parts.slice(1);
  if (parts[0] === 'changes') parts = parts.slice(1);
  const [first = '', second] = parts;
  if (first === 'seriousness') return 'seriousness';
  if (first === 'investigatorCausality') return 'causality';
  if (first === 'meddra') return second ? `meddra.${second}` : 'meddra.lltCode';
  return first;
}

/** The safety message key for a server message, or null when it is not one of the AE messages. */
export function aeMessageKey(message: string): AeErrorKey | null {
  const rules: [RegExp, AeErrorKey][] = [
    [/^must be a date YYYY-MM-DD/, 'errors.partialDate'],
    [/^(year|month|day) out of range$/, 'errors.dateRange'],
    [/^must be an 8-digit MedDRA code$/, 'errors.meddraCode'],
    [/^must be a MedDRA version/, 'errors.meddraVersion'],
    [/^give at least one MedDRA code/, 'errors.meddraOneCode'],
    [/CTCAE grade 1–5/, 'errors.grade'],
    [/^name at least one action/, 'errors.action'],
    [/^"none" cannot be combined/, 'errors.actionNone'],
    [/^the end \(.*\) is before the onset/, 'errors.endBeforeOnset'],
    [/^the onset \(.*\) is in the future/, 'errors.onsetFuture'],
    [/^the end \(.*\) is in the future/, 'errors.endFuture'],
    [/^the site cannot have become aware/, 'errors.awarenessBeforeOnset'],
    [/^CTCAE grade 5 is death/, 'errors.grade5Death'],
    [/^a fatal outcome requires/, 'errors.fatalDeath'],
    [/^is in the future$/, 'errors.future'],
    [/^only for a serious event$/, 'errors.onlySerious'],
    [/^only when the event becomes serious$/, 'errors.onlyBecomingSerious'],
    [/^is before the site became aware of the event$/, 'errors.beforeSiteAwareness'],
    [/^(must be an ISO 8601 instant|missing UTC offset)/, 'errors.dateTime'],
    [/^must be one of /, 'errors.chooseOne'],
  ];
  for (const [re, key] of rules) if (re.test(message)) return key;
  return null;
}
