/**
 * The participant's questionnaires: which are open now (diary days D1…D30 from their opening time
 * until the late-entry limit; KOOS and NRS in the visit windows of the follow-up visits), each one
 * rendered for the participant from the protocol definition in their language (with the
 * site-installed KOOS wording when present), and saving answers as a resumable draft or submitting
 * them. Answers are stored through the eCRF engine in the SAME form instances that site staff use,
 * so validation, derived items (KOOS subscales, diary day, late-entry flag) and the audit trail are
 * the eCRF's own. A submitted questionnaire is final for the participant: corrections go through
 * site staff, who must give a reason.
 *
 * Every response here is built field by field from the participant's own data: no arm, kit,
 * staff name or other participant can appear in it.
 */
import { invalid, isTrialError, TrialError, type FieldIssue } from '../core/errors.js';
import { copenhagenDateOf, copenhagenInstant, formatCopenhagen } from '../core/epro/copenhagen-clock.js';
import {
  DEFAULT_DIARY_SETTINGS,
  diaryDayOfVisit,
  diaryDayState,
  diaryDayWindow,
  diaryWindows,
  type DiarySettings,
} from '../core/epro/diary-days.js';
import { koosAnchor, koosText } from '../core/epro/koos-translation.js';
import {
  participantFieldMessage,
  participantMessage,
  type ParticipantLanguage,
} from '../core/epro/participant-messages.js';
import { describeForm, type ItemView } from '../core/ecrf/describe-form.js';
import { isPlainObject } from '../core/ecrf/form-index.js';
import { visitWindowDates } from '../core/ecrf/participant-schedule.js';
import { validateFormData, type SaveMode } from '../core/ecrf/validate-form-data.js';
import type { Condition } from '../core/protocol/condition.js';
import type { ProtocolDefinition } from '../core/protocol/definition-types.js';
import { addCalendarDays } from '../core/schedule/plain-date.js';
import type { Executor } from '../storage/database.js';
import { systemActor, type ServiceContext } from './context.js';
import { saveFormAtVisit } from './ecrf.js';
import { currentProtocol, findInstance, requireForm, type InstanceRecord } from './ecrf-store.js';
import { resolveDay0 } from './ecrf-visits.js';
import { actorForParticipant, participantError, type ParticipantPrincipal } from './epro-access.js';
import { loadKoosTranslation } from './epro-koos-wording.js';
import { createAeReviewTask } from './safety-review-tasks.js';

/** The forms participants answer themselves. */
export const PARTICIPANT_FORMS = ['pain_diary', 'koos', 'nrs'] as const;
export type ParticipantFormId = (typeof PARTICIPANT_FORMS)[number];

/** Values the system sets (the participant never enters them). */
const NRS_DEFAULTS = { nrs_recall: 'last_7d', nrs_aspect: 'average' } as const;
const SYSTEM_ITEMS: Readonly<Record<ParticipantFormId, readonly string[]>> = {
  pain_diary: ['entry_date', 'entered_at'],
  nrs: ['nrs_recall', 'nrs_aspect'],
  koos: [],
};

/** One answer option. */
export interface OptionView {
  value: string | number | boolean;
  label: string;
}

/** One question as the participant page renders it. */
export interface QuestionView {
  id: string;
  type: 'integer' | 'decimal' | 'code' | 'boolean' | 'text';
  label: string;
  help: string | null;
  required: boolean;
  range: { min: number; max: number } | null;
  precision: number | null;
  options: OptionView[] | null;
  maxLength: number | null;
  multiline: boolean;
  /** Shown only when another answer of the same form equals a value. */
  showIf: { item: string; equals: string | number | boolean } | null;
}

/** A group of questions (a KOOS subscale, the diary's pain part, the analgesic rows). */
export interface QuestionGroupView {
  id: string;
  title: string;
  repeating: boolean;
  showIf: { item: string; equals: string | number | boolean } | null;
  questions: QuestionView[];
}

/** An open questionnaire in the participant's list. */
export interface QuestionnaireSummary {
  visitCode: string;
  formId: ParticipantFormId;
  title: string;
  kind: 'diary' | 'visit';
  diaryDay: number | null;
  /** The diary date, or the first day of the visit window. */
  date: string;
  /** `open`, or `late` (a diary day after its date: accepted and flagged). */
  state: 'open' | 'late';
  /** When it can no longer be answered (Copenhagen time with offset). */
  closesAt: string;
  status: 'not_started' | 'draft';
}

/** A questionnaire with its questions and the participant's saved draft answers. */
export interface QuestionnaireView extends QuestionnaireSummary {
  recallPeriod: string | null;
  instructions: string | null;
  groups: QuestionGroupView[];
  values: Record<string, unknown>;
  /** How many questions (outside repeating groups) there are and have been answered. */
  progress: { answered: number; total: number };
}

/** The result of saving. */
export interface QuestionnaireSaveResult {
  visitCode: string;
  formId: ParticipantFormId;
  status: 'draft' | 'submitted';
  /** A diary day entered after its date (flagged for the site). */
  late: boolean;
  savedAt: string;
}

interface Slot {
  visitCode: string;
  formId: ParticipantFormId;
  kind: 'diary' | 'visit';
  diaryDay: number | null;
  date: string;
  state: 'not_yet_open' | 'open' | 'late' | 'closed';
  closesAt: Date;
}

/** Follow-up visits whose KOOS and NRS the participant answers (baseline is done at the site before the injection). */
export function participantVisitCodes(protocol: ProtocolDefinition): string[] {
  return protocol.visits
    .filter((v) => v.kind === 'follow_up' && v.forms.some((f) => f === 'koos' || f === 'nrs'))
    .map((v) => v.code);
}

function isParticipantForm(formId: string): formId is ParticipantFormId {
  return (PARTICIPANT_FORMS as readonly string[]).includes(formId);
}

/** The slot (visit × form) if it is one the participant answers, with its state at `now`. */
function slotFor(
  protocol: ProtocolDefinition,
  day0: string,
  visitCode: string,
  formId: string,
  now: Date,
  settings: DiarySettings,
): Slot | null {
  if (!isParticipantForm(formId)) return null;
  const day = diaryDayOfVisit(visitCode);
  if (formId === 'pain_diary') {
    if (day === null) return null;
    const w = diaryDayWindow(day0, day, settings);
    return {
      visitCode,
      formId,
      kind: 'diary',
      diaryDay: day,
      date: w.entryDate,
      state: diaryDayState(w, now),
      closesAt: w.closesAt,
    };
  }
  if (!participantVisitCodes(protocol).includes(visitCode)) return null;
  const w = visitWindowDates(protocol, visitCode, day0);
  if (w === null) return null;
  const today = copenhagenDateOf(now);
  const state = today < w.earliest ? 'not_yet_open' : today > w.latest ? 'closed' : 'open';
  return {
    visitCode,
    formId,
    kind: 'visit',
    diaryDay: null,
    date: w.earliest,
    state,
    closesAt: copenhagenInstant(addCalendarDays(w.latest, 1), '00:00'),
  };
}

/** Every slot open (or late) at `now`. */
function openSlots(protocol: ProtocolDefinition, day0: string, now: Date, settings: DiarySettings): Slot[] {
  const out: Slot[] = [];
  for (const w of diaryWindows(day0, settings)) {
    const s = slotFor(protocol, day0, w.visitCode, 'pain_diary', now, settings);
    if (s && (s.state === 'open' || s.state === 'late')) out.push(s);
  }
  for (const code of participantVisitCodes(protocol)) {
    for (const formId of ['koos', 'nrs'] as const) {
      const s = slotFor(protocol, day0, code, formId, now, settings);
      if (s && s.state === 'open') out.push(s);
    }
  }
  return out;
}

async function instancesOf(db: Executor, participantId: string): Promise<Map<string, { status: string }>> {
  const rows = await db
    .selectFrom('form_instances')
    .select(['visit_code', 'form_id', 'status'])
    .where('participant_id', '=', participantId)
    .where('form_id', 'in', [...PARTICIPANT_FORMS])
    .execute();
  return new Map(rows.map((r) => [`${r.visit_code}/${r.form_id}`, { status: r.status }]));
}

function summary(
  protocol: ProtocolDefinition,
  slot: Slot,
  status: 'not_started' | 'draft',
  language: ParticipantLanguage,
): QuestionnaireSummary {
  const form = requireForm(protocol, slot.formId);
  return {
    visitCode: slot.visitCode,
    formId: slot.formId,
    title: form.title[language],
    kind: slot.kind,
    diaryDay: slot.diaryDay,
    date: slot.date,
    state: slot.state === 'late' ? 'late' : 'open',
    closesAt: formatCopenhagen(slot.closesAt),
    status,
  };
}

/** The participant's open questionnaires (not yet submitted), diary days first, oldest first. */
export async function listOpenQuestionnaires(
  ctx: ServiceContext,
  principal: ParticipantPrincipal,
  settings: DiarySettings = DEFAULT_DIARY_SETTINGS,
): Promise<QuestionnaireSummary[]> {
  const db = ctx.database.db;
  const { day0 } = await resolveDay0(db, principal.participantId);
  if (day0 === null) return [];
  const protocol = currentProtocol();
  const instances = await instancesOf(db, principal.participantId);
  return openSlots(protocol, day0, ctx.now(), settings).flatMap((slot) => {
    const i = instances.get(`${slot.visitCode}/${slot.formId}`);
    if (i?.status === 'submitted') return [];
    return [summary(protocol, slot, i === undefined ? 'not_started' : 'draft', principal.language)];
  });
}

function simpleShowIf(c: Condition | null): QuestionView['showIf'] {
  if (c === null || c.op !== 'eq' || c.form !== undefined || c.visit !== undefined) return null;
  const v = c.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? { item: c.item, equals: v } : null;
}

function questionOf(item: ItemView, language: ParticipantLanguage, formId: ParticipantFormId): QuestionView | null {
  if (item.derived || SYSTEM_ITEMS[formId].includes(item.id)) return null;
  if (
    item.type !== 'integer' &&
    item.type !== 'decimal' &&
    item.type !== 'code' &&
    item.type !== 'boolean' &&
    item.type !== 'text'
  ) {
    return null;
  }
  const translation = formId === 'koos' ? loadKoosTranslation() : null;
  const licensed =
    item.licensedTextKey === null ? null : koosText(translation, language, 'items', item.licensedTextKey);
  const scale = item.codeList?.id ?? '';
  return {
    id: item.id,
    type: item.type,
    label: licensed ?? item.label[language],
    help: item.help?.[language] ?? null,
    required: item.required,
    range: item.range === null ? null : { min: item.range.hardMin, max: item.range.hardMax },
    precision: item.precision,
    options:
      item.codeList === null
        ? null
        : item.codeList.entries.map((e) => ({
            value: e.code,
            label:
              (typeof e.code === 'number' ? koosAnchor(translation, language, scale, e.code) : null) ??
              e.label[language],
          })),
    maxLength: item.maxLength,
    multiline: item.multiline,
    showIf: simpleShowIf(item.showIf),
  };
}

/** The questions of a form for the participant, in their language. */
export function participantQuestions(
  protocol: ProtocolDefinition,
  formId: ParticipantFormId,
  visitCode: string,
  language: ParticipantLanguage,
): QuestionGroupView[] {
  const view = describeForm(protocol, requireForm(protocol, formId), { visitCode, canSee: () => true });
  const translation = formId === 'koos' ? loadKoosTranslation() : null;
  return view.groups
    .map((g) => ({
      id: g.id,
      title: koosText(translation, language, 'sections', g.id) ?? g.name[language],
      repeating: g.repeating,
      showIf: simpleShowIf(g.showIf),
      questions: g.items.filter((i) => i.applicable).flatMap((i) => questionOf(i, language, formId) ?? []),
    }))
    .filter((g) => g.questions.length > 0);
}

/** Finds the slot a participant asks for, or throws (404 not theirs, 409 not open yet / closed / submitted). */
async function requireOpenSlot(
  ctx: ServiceContext,
  principal: ParticipantPrincipal,
  visitCode: string,
  formId: string,
  settings: DiarySettings,
): Promise<{ slot: Slot; instance: InstanceRecord | null }> {
  const lang = principal.language;
  const db = ctx.database.db;
  const { day0 } = await resolveDay0(db, principal.participantId);
  const protocol = currentProtocol();
  const slot = day0 === null ? null : slotFor(protocol, day0, visitCode, formId, ctx.now(), settings);
  if (slot === null) throw participantError('not_found', 'not_yours', lang);
  if (slot.state === 'not_yet_open') throw participantError('conflict', 'not_yet_open', lang);
  if (slot.state === 'closed') throw participantError('conflict', 'window_closed', lang);
  const instance = await findInstance(db, principal.participantId, visitCode, formId);
  if (instance?.status === 'submitted') throw participantError('conflict', 'already_submitted', lang);
  return { slot, instance };
}

function countProgress(
  groups: readonly QuestionGroupView[],
  values: Record<string, unknown>,
): { answered: number; total: number } {
  let total = 0;
  let answered = 0;
  for (const g of groups) {
    if (g.repeating) continue;
    for (const q of g.questions) {
      if (q.showIf !== null && values[q.showIf.item] !== q.showIf.equals) continue;
      total += 1;
      const v = values[q.id];
      if (v !== undefined && v !== null && v !== '') answered += 1;
    }
  }
  return { answered, total };
}

/** Only what the participant entered (system-set items are left out of what they see). */
function participantValues(formId: ParticipantFormId, values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !SYSTEM_ITEMS[formId].includes(k)));
}

/** One open questionnaire with its questions and saved draft answers. */
export async function getQuestionnaire(
  ctx: ServiceContext,
  principal: ParticipantPrincipal,
  visitCode: string,
  formId: string,
  settings: DiarySettings = DEFAULT_DIARY_SETTINGS,
): Promise<QuestionnaireView> {
  const { slot, instance } = await requireOpenSlot(ctx, principal, visitCode, formId, settings);
  const protocol = currentProtocol();
  const lang = principal.language;
  const form = requireForm(protocol, slot.formId);
  const groups = participantQuestions(protocol, slot.formId, visitCode, lang);
  const values = participantValues(slot.formId, instance?.values ?? {});
  const translation = slot.formId === 'koos' ? loadKoosTranslation() : null;
  return {
    ...summary(protocol, slot, instance === null ? 'not_started' : 'draft', lang),
    recallPeriod: form.recallPeriod?.[lang] ?? null,
    instructions: slot.formId === 'koos' ? translation?.languages[lang].instructions.trim() || null : null,
    groups,
    values,
    progress: countProgress(groups, values),
  };
}

function systemValues(slot: Slot, now: Date): Record<string, unknown> {
  if (slot.formId === 'pain_diary') return { entry_date: slot.date, entered_at: formatCopenhagen(now) };
  if (slot.formId === 'nrs') return { ...NRS_DEFAULTS };
  return {};
}

/** Rewords eCRF field issues for the participant (paths stay `values.<item>`). */
function localizeIssues(
  protocol: ProtocolDefinition,
  formId: ParticipantFormId,
  issues: readonly FieldIssue[],
  language: ParticipantLanguage,
): FieldIssue[] {
  const items = new Map(
    requireForm(protocol, formId).itemGroups.flatMap((g) => g.items.map((i) => [i.id, i] as const)),
  );
  return issues.map((issue) => {
    const itemId = /([A-Za-z0-9_]+)$/.exec(issue.path)?.[1] ?? '';
    const item = items.get(itemId);
    const range = item && (item.type === 'integer' || item.type === 'decimal') ? item.range : null;
    const maxLength = item && item.type === 'text' ? (item.maxLength ?? null) : null;
    return {
      path: issue.path,
      message: participantFieldMessage(issue.code, language, { range, maxLength }),
      ...(issue.code ? { code: issue.code } : {}),
    };
  });
}

/**
 * Saves the participant's answers as a draft (resumable) or submits them. Bad answers give 400 with
 * a message per question in the participant's language and store nothing; a questionnaire that is
 * not open, closed or already submitted gives 404/409 and stores nothing.
 */
export async function saveQuestionnaire(
  ctx: ServiceContext,
  principal: ParticipantPrincipal,
  visitCode: string,
  formId: string,
  input: { values: unknown; action: SaveMode },
  settings: DiarySettings = DEFAULT_DIARY_SETTINGS,
): Promise<QuestionnaireSaveResult> {
  const lang = principal.language;
  const { slot } = await requireOpenSlot(ctx, principal, visitCode, formId, settings);
  const protocol = currentProtocol();
  const form = requireForm(protocol, slot.formId);
  if (!isPlainObject(input.values)) {
    throw invalid(participantMessage('invalid_answers', lang), [
      { path: 'values', message: participantMessage('field_invalid', lang), code: 'type' },
    ]);
  }
  // Only the participant's own questions may be answered: system-set and derived items are refused.
  const allowed = new Set(
    participantQuestions(protocol, slot.formId, visitCode, lang).flatMap((g) =>
      g.repeating ? [g.id] : g.questions.map((q) => q.id),
    ),
  );
  const foreign = Object.keys(input.values).filter((k) => !allowed.has(k));
  if (foreign.length > 0) {
    throw invalid(
      participantMessage('invalid_answers', lang),
      foreign.map((k) => ({
        path: `values.${k}`,
        message: participantMessage('field_unknown', lang),
        code: 'unknown_item',
      })),
    );
  }
  const now = ctx.now();
  const values = { ...input.values, ...systemValues(slot, now) };
  // Checked here first so that the participant gets every message in their language.
  const check = validateFormData(form, protocol, values, { mode: input.action, visitCode });
  if (check.errors.length > 0) {
    throw invalid(
      participantMessage('invalid_answers', lang),
      localizeIssues(protocol, slot.formId, check.errors, lang),
    );
  }
  let saved;
  try {
    saved = await saveFormAtVisit(
      ctx,
      actorForParticipant(principal),
      principal.participantId,
      visitCode,
      slot.formId,
      { values, action: input.action },
    );
  } catch (e) {
    if (!isTrialError(e)) throw e;
    const now2 = await findInstance(ctx.database.db, principal.participantId, visitCode, slot.formId);
    if (now2?.status === 'submitted') throw participantError('conflict', 'already_submitted', lang);
    if (e.code === 'validation_failed') {
      throw invalid(
        participantMessage('invalid_answers', lang),
        localizeIssues(protocol, slot.formId, e.details, lang),
      );
    }
    if (e.code === 'conflict' && /withdr/i.test(e.message)) {
      throw participantError('forbidden', 'no_further_data', lang);
    }
    // A locked casebook or database, a concurrent change: nothing was stored; the site can help.
    throw new TrialError(e.code, participantMessage('unavailable', lang), []);
  }
  const status = saved.instance.status === 'submitted' ? 'submitted' : 'draft';
  if (status === 'submitted' && slot.formId === 'pain_diary') {
    await raiseDiarySignals(ctx, principal, slot, saved.values, saved.instance.id);
  }
  return {
    visitCode,
    formId: slot.formId,
    status,
    late: saved.derived.late_entry === true,
    savedAt: formatCopenhagen(now),
  };
}

/**
 * Diary signals for the investigator (spec: worst NRS ≥ baseline NRS + 2, moderate or severe
 * swelling, free-text symptoms): one AE review task each, keyed by the diary instance so that a
 * signal never makes a second task.
 */
async function raiseDiarySignals(
  ctx: ServiceContext,
  principal: ParticipantPrincipal,
  slot: Slot,
  values: Record<string, unknown>,
  instanceId: string,
): Promise<void> {
  const baselineRow = await findInstance(ctx.database.db, principal.participantId, 'BL', 'nrs');
  const baseline = typeof baselineRow?.values.nrs_pain === 'number' ? baselineRow.values.nrs_pain : null;
  const worst = typeof values.nrs_worst_24h === 'number' ? values.nrs_worst_24h : null;
  const swelling = typeof values.knee_swelling === 'string' ? values.knee_swelling : null;
  const symptoms = typeof values.other_symptoms === 'string' ? values.other_symptoms.trim() : '';
  const actor = systemActor('epro');
  const signals: { key: string; summary: string; data: Record<string, string | number | boolean | null> }[] = [];
  if (worst !== null && baseline !== null && worst >= baseline + 2) {
    signals.push({
      key: 'nrs',
      summary: `Diary ${slot.visitCode} (${slot.date}): worst pain ${worst} ≥ baseline NRS ${baseline} + 2`,
      data: { diaryDay: slot.diaryDay, entryDate: slot.date, nrsWorst: worst, baselineNrs: baseline },
    });
  }
  if (swelling === 'moderate' || swelling === 'severe') {
    signals.push({
      key: 'swelling',
      summary: `Diary ${slot.visitCode} (${slot.date}): ${swelling} knee swelling`,
      data: { diaryDay: slot.diaryDay, entryDate: slot.date, swelling },
    });
  }
  if (symptoms !== '') {
    signals.push({
      key: 'symptoms',
      summary: `Diary ${slot.visitCode} (${slot.date}): other symptoms reported`,
      data: { diaryDay: slot.diaryDay, entryDate: slot.date, text: symptoms.slice(0, 2000) },
    });
  }
  for (const s of signals) {
    await createAeReviewTask(ctx, actor, {
      participantId: principal.participantId,
      source: 'epro_diary',
      sourceRef: `${instanceId}:${s.key}`,
      detail: { summary: s.summary, data: s.data },
    });
  }
}

/** Refusal used by routes for anything a participant may not do (kept here so the wording is in one place). */
export function notYours(language: ParticipantLanguage): TrialError {
  return participantError('not_found', 'not_yours', language);
}
