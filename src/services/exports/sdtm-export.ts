/**
 * SDTM-shaped datasets (SDTMIG v3.4 names) as CSV or CDISC Dataset-JSON 1.1: DM, DS, SV, IE, EX,
 * EC, AE, CM, QS (KOOS items and subscales, NRS, pain diary), MK (examination, MOAKS, quantitative
 * MRI), GF (HLA typing) and IS (anti-HLA antibodies). Each dataset is one streamed pass over the
 * participants. USUBJID is `<STUDYID>-<study id>`; study days (--DY) count from Day 0 (the
 * injection, RFSTDTC) with no day zero. Blinded exports drop the arm variables, write EX without
 * rows (EC carries the masked administration) and never contain potentially unblinding results.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FormDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import { findForm, resolveVisit } from '../../core/protocol/protocol-queries.js';
import type { ItemDef } from '../../core/protocol/item-types.js';
import { currentStemjointProtocol } from '../../core/protocol/stemjoint-registry.js';
import type { Executor } from '../../storage/database.js';
import { csvLine } from './csv-text.js';
import { daysBetween, isoDatePart } from './export-dates.js';
import type { MultiFileOptions, MultiFileSummary } from './export-options.js';
import { readParticipantPages, type ClinicalRecord, type ExportParticipant } from './export-reader.js';
import type { ExportViewer } from './export-viewer.js';
import { metaDataVersionOid } from './odm-names.js';
import { fileSink, type FileTarget, type TextSink, type WrittenFile } from './output-target.js';
import { createDefineCollector, defineXml, type DefineCollector } from './sdtm-define-xml.js';
import { domainVariables, SDTM_DOMAINS, type SdtmDomain, type SdtmVariable } from './sdtm-domains.js';
import { exportCode, formatDerivedValue, formatItemValue } from './value-format.js';
import {
  XPT_MAX_CHAR_LENGTH,
  xptEndPadding,
  xptLibraryHeader,
  xptMemberHeader,
  xptRow,
  type XptDataset,
} from './xpt-writer.js';

/** The SDTM file formats: CSV, CDISC Dataset-JSON 1.1, SAS transport (XPT) version 5. */
export const SDTM_FILE_FORMATS = ['csv', 'json', 'xpt'] as const;
/** One SDTM file format. */
export type SdtmFileFormat = (typeof SDTM_FILE_FORMATS)[number];

/** One dataset row, by variable name. */
export type SdtmRow = Record<string, string | number | null>;

/** Options of {@link writeSdtmExport}. */
export interface SdtmOptions extends MultiFileOptions {
  readonly fileFormat: SdtmFileFormat;
}

/** What the domain writers share: the options and the define.xml collector that watches every row. */
interface DomainRun extends SdtmOptions {
  readonly define: DefineCollector;
}

const ARM_LABEL: Readonly<Record<string, string>> = {
  ADMSC: 'AD-MSC 20 x 10^6 cells intra-articular',
  SALINE: 'Saline 10 mL intra-articular',
};

const yn = (b: unknown): string | null => (b === true ? 'Y' : b === false ? 'N' : null);
const upper = (s: unknown): string | null =>
  typeof s === 'string' && s !== '' ? s.replace(/_/g, ' ').toUpperCase() : null;
const trunc = (s: string, max = 40): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** ISO date part of a date or date-time. */
const datePart = isoDatePart;

/** SDTM study day of a date relative to Day 0 (the reference start): no day zero. */
export function studyDay(dtc: string | null | undefined, day0: string | null): number | null {
  const d = datePart(dtc);
  if (d === null || day0 === null) return null;
  const diff = daysBetween(day0, d);
  if (diff === null) return null;
  return diff >= 0 ? diff + 1 : diff;
}

const visitCache = new WeakMap<
  ProtocolDefinition,
  Map<string, { VISITNUM: number | null; VISIT: string | null; VISITDY: number | null }>
>();

/** VISITNUM, VISIT and VISITDY of a visit code (diary day n is VISITNUM 2 + n/100); memoised per protocol. */
export function visitOf(
  protocol: ProtocolDefinition,
  visitCode: string | null,
): { VISITNUM: number | null; VISIT: string | null; VISITDY: number | null } {
  if (visitCode === null) return { VISITNUM: null, VISIT: null, VISITDY: null };
  let cache = visitCache.get(protocol);
  if (!cache) visitCache.set(protocol, (cache = new Map()));
  let v = cache.get(visitCode);
  if (!v) cache.set(visitCode, (v = computeVisit(protocol, visitCode)));
  return v;
}

function computeVisit(
  protocol: ProtocolDefinition,
  visitCode: string | null,
): { VISITNUM: number | null; VISIT: string | null; VISITDY: number | null } {
  if (visitCode === null) return { VISITNUM: null, VISIT: null, VISITDY: null };
  const r = resolveVisit(protocol, visitCode);
  if (!r) return { VISITNUM: null, VISIT: visitCode, VISITDY: null };
  const index = protocol.visits.indexOf(r.visit);
  const repeatIndex = protocol.visits.findIndex((v) => v.repeat !== undefined);
  // Visits after the diary keep integer numbers; each diary day is a fraction of the visit before it.
  if (r.visit.repeat !== undefined && r.day !== null) {
    return { VISITNUM: Number((index + r.day / 100).toFixed(2)), VISIT: `DIARY DAY ${r.day}`, VISITDY: r.day };
  }
  const num = repeatIndex >= 0 && index > repeatIndex ? index : index + 1;
  return { VISITNUM: num, VISIT: r.visit.name.en.toUpperCase(), VISITDY: r.visit.targetDay };
}

interface Ctx {
  protocol: ProtocolDefinition;
  viewer: ExportViewer;
  studyId: string;
}

function base(ctx: Ctx, domain: string, p: ExportParticipant): SdtmRow {
  return { STUDYID: ctx.studyId, DOMAIN: domain, USUBJID: `${ctx.studyId}-${p.studyId}` };
}

/** Day 0 of a participant (injection date), the reference start of the study days. */
const day0Of = (p: ExportParticipant): string | null => p.administration?.day0 ?? null;

function visitDate(p: ExportParticipant, visitCode: string | null): string | null {
  return p.visits.find((v) => v.visitCode === visitCode)?.visitDate ?? null;
}

function recordsOf(p: ExportParticipant, formId: string): ClinicalRecord[] {
  return p.records.filter((r) => r.formId === formId);
}

const text = (form: FormDef, item: ItemDef, v: unknown): string | null =>
  formatItemValue(form.id, item, v, { booleans: 'yn' });

// ------------------------------------------------------------------------------------------------
// Domains

function dmRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const eos = p.records.find((r) => r.formId === 'end_of_study');
  const died = eos?.values.eos_reason === 'death';
  const administered = p.administration?.status === 'administered' ? p.administration.administeredAt : null;
  const row: SdtmRow = {
    ...base(ctx, 'DM', p),
    SUBJID: p.studyId,
    RFSTDTC: administered ?? p.randomization?.randomizedAt ?? null,
    RFENDTC: (typeof eos?.values.eos_date === 'string' ? eos.values.eos_date : null) ?? datePart(p.withdrawnAt),
    RFXSTDTC: administered,
    RFXENDTC: administered,
    RFICDTC: p.consent?.consentedAt ?? null,
    RFPENDTC:
      (typeof eos?.values.last_contact_date === 'string' ? eos.values.last_contact_date : null) ??
      (typeof eos?.values.eos_date === 'string' ? eos.values.eos_date : null),
    DTHDTC: died && typeof eos?.values.death_date === 'string' ? eos.values.death_date : null,
    DTHFL: died ? 'Y' : null,
    SITEID: p.siteCode,
    BRTHDTC: p.yearOfBirth === null ? null : String(p.yearOfBirth),
    AGE: p.age,
    AGEU: p.age === null ? null : 'YEARS',
    SEX: p.sex === 'female' ? 'F' : p.sex === 'male' ? 'M' : p.sex === null ? null : 'U',
    RACE: null,
    COUNTRY: 'DNK',
  };
  if (ctx.viewer.unblinded) {
    const arm = p.randomization?.arm ?? null;
    row.ARMCD = arm;
    row.ARM = arm ? (ARM_LABEL[arm] ?? arm) : null;
    row.ACTARMCD = administered && arm ? arm : null;
    row.ACTARM = administered && arm ? (ARM_LABEL[arm] ?? arm) : null;
    row.ARMNRS = !p.randomization ? 'NOT ASSIGNED' : !administered ? 'ASSIGNED, NOT TREATED' : null;
  }
  return [row];
}

const DS_DECOD: Readonly<Record<string, string>> = {
  consent_withdrawn: 'WITHDRAWAL BY SUBJECT',
  lost_to_follow_up: 'LOST TO FOLLOW-UP',
  adverse_event: 'ADVERSE EVENT',
  death: 'DEATH',
  investigator_decision: 'PHYSICIAN DECISION',
  not_treated: 'OTHER',
  sponsor_terminated: 'STUDY TERMINATED BY SPONSOR',
  other: 'OTHER',
};

function dsRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const day0 = day0Of(p);
  const rows: SdtmRow[] = [];
  const add = (term: string, decod: string, cat: string, dtc: string | null): void => {
    rows.push({
      ...base(ctx, 'DS', p),
      DSTERM: term,
      DSDECOD: decod,
      DSCAT: cat,
      DSSTDTC: dtc,
      DSSTDY: studyDay(dtc, day0),
    });
  };
  if (p.consent) {
    add('INFORMED CONSENT OBTAINED', 'INFORMED CONSENT OBTAINED', 'PROTOCOL MILESTONE', p.consent.consentedAt);
  }
  if (p.randomization) add('RANDOMIZED', 'RANDOMIZED', 'PROTOCOL MILESTONE', p.randomization.randomizedAt);
  const eos = p.records.find((r) => r.formId === 'end_of_study');
  if (eos) {
    const status = eos.values.eos_status;
    const reason = typeof eos.values.eos_reason === 'string' ? eos.values.eos_reason : null;
    const date = typeof eos.values.eos_date === 'string' ? eos.values.eos_date : null;
    if (status === 'completed') add('COMPLETED', 'COMPLETED', 'DISPOSITION EVENT', date);
    else {
      add(
        typeof eos.values.eos_reason_other === 'string'
          ? eos.values.eos_reason_other
          : (upper(reason) ?? 'EARLY TERMINATION'),
        reason ? (DS_DECOD[reason] ?? 'OTHER') : 'OTHER',
        'DISPOSITION EVENT',
        date,
      );
    }
  } else if (p.status === 'withdrawn') {
    add('WITHDRAWAL OF CONSENT', 'WITHDRAWAL BY SUBJECT', 'DISPOSITION EVENT', p.withdrawnAt);
  }
  return rows;
}

function svRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const day0 = day0Of(p);
  const rows: SdtmRow[] = [];
  const seen = new Set<string>();
  for (const v of p.visits) {
    seen.add(v.visitCode);
    rows.push({
      ...base(ctx, 'SV', p),
      ...visitOf(ctx.protocol, v.visitCode),
      SVPRESP: 'Y',
      SVOCCUR: v.missed ? 'N' : 'Y',
      SVREASOC: null,
      SVSTDTC: v.visitDate,
      SVENDTC: v.visitDate,
      SVSTDY: studyDay(v.visitDate, day0),
      SVENDY: studyDay(v.visitDate, day0),
    });
  }
  // The injection visit is recorded by the product chain even when no visit date was entered.
  if (!seen.has('BL') && p.administration?.status === 'administered' && p.administration.day0) {
    rows.push({
      ...base(ctx, 'SV', p),
      ...visitOf(ctx.protocol, 'BL'),
      SVPRESP: 'Y',
      SVOCCUR: 'Y',
      SVREASOC: null,
      SVSTDTC: p.administration.day0,
      SVENDTC: p.administration.day0,
      SVSTDY: 1,
      SVENDY: 1,
    });
  }
  if (!seen.has('SCR') && p.screeningDate) {
    rows.unshift({
      ...base(ctx, 'SV', p),
      ...visitOf(ctx.protocol, 'SCR'),
      SVPRESP: 'Y',
      SVOCCUR: 'Y',
      SVREASOC: null,
      SVSTDTC: p.screeningDate,
      SVENDTC: p.screeningDate,
      SVSTDY: studyDay(p.screeningDate, day0),
      SVENDY: studyDay(p.screeningDate, day0),
    });
  }
  return rows.sort((a, b) => Number(a.VISITNUM ?? 0) - Number(b.VISITNUM ?? 0));
}

/** IE rows need the eligibility assessment, which enrolled participants passed: criteria not met are listed when recorded. */
function ieRows(): SdtmRow[] {
  return [];
}

function ecRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const a = p.administration;
  if (!a || !p.randomization) return [];
  const given = a.status === 'administered';
  return [
    {
      ...base(ctx, 'EC', p),
      ECREFID: p.randomization.kit,
      ECTRT: 'STEMJOINT STUDY PRODUCT (MASKED)',
      ECMOOD: 'PERFORMED',
      ECOCCUR: given ? 'Y' : 'N',
      ECREASOC: given ? null : a.reason,
      ECDOSE: given ? a.volumeMl : null,
      ECDOSU: given ? 'mL' : null,
      ECROUTE: 'INTRA-ARTICULAR',
      ECLOC: 'KNEE',
      ECLAT: upper(a.kneeSide),
      ECSTDTC: given ? a.administeredAt : null,
      ECENDTC: given ? a.administeredAt : null,
      ECSTDY: given ? 1 : null,
    },
  ];
}

function exRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const a = p.administration;
  const arm = p.randomization?.arm ?? null;
  if (!ctx.viewer.unblinded || !a || a.status !== 'administered' || arm === null) return [];
  const cells = arm === 'ADMSC';
  return [
    {
      ...base(ctx, 'EX', p),
      EXTRT: cells ? 'ALLOGENEIC ADIPOSE-DERIVED MESENCHYMAL STEM CELLS' : 'SODIUM CHLORIDE 0.9%',
      EXDOSE: cells ? 20 : a.volumeMl,
      EXDOSU: cells ? '10^6 CELLS' : 'mL',
      EXDOSFRM: cells ? 'SUSPENSION' : 'SOLUTION',
      EXROUTE: 'INTRA-ARTICULAR',
      EXLOC: 'KNEE',
      EXLAT: upper(a.kneeSide),
      EXLOT: a.lot,
      EXSTDTC: a.administeredAt,
      EXENDTC: a.administeredAt,
      EXSTDY: 1,
      EXENDY: 1,
    },
  ];
}

const AE_OUT: Readonly<Record<string, string>> = {
  recovered: 'RECOVERED/RESOLVED',
  recovering: 'RECOVERING/RESOLVING',
  not_recovered: 'NOT RECOVERED/NOT RESOLVED',
  recovered_with_sequelae: 'RECOVERED/RESOLVED WITH SEQUELAE',
  fatal: 'FATAL',
  unknown: 'UNKNOWN',
};

function aeRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const day0 = day0Of(p);
  return recordsOf(p, 'adverse_event').map((r) => {
    const v = r.values;
    const s = (k: string): string | null => (typeof v[k] === 'string' ? (v[k] as string) : null);
    const code = (k: string): number | null =>
      typeof v[k] === 'string' && /^\d+$/.test(v[k] as string) ? Number(v[k]) : null;
    const actions = Array.isArray(v.ae_action) ? (v.ae_action as string[]).filter((a) => a !== 'none') : [];
    return {
      ...base(ctx, 'AE', p),
      AESPID: r.extras?.aeNumber ?? null,
      AETERM: s('ae_term'),
      AELLT: r.extras?.lltName ?? null,
      AELLTCD: code('meddra_llt_code'),
      AEDECOD: r.extras?.ptName ?? null,
      AEPTCD: code('meddra_pt_code'),
      AESOC: r.extras?.socName ?? null,
      AESOCCD: code('meddra_soc_code'),
      AELOC: v.index_knee_event === true ? 'KNEE' : null,
      AESER: yn(r.derived.ae_serious),
      AEACNOTH: actions.length > 0 ? actions.map((a) => upper(a)).join('; ') : null,
      AEREL:
        v.causality_cells_investigator === 'related'
          ? 'RELATED'
          : v.causality_cells_investigator === 'not_related'
            ? 'NOT RELATED'
            : null,
      AEOUT: AE_OUT[s('ae_outcome') ?? ''] ?? null,
      AESCONG: yn(v.ae_congenital_anomaly),
      AESDISAB: yn(v.ae_disability),
      AESDTH: yn(v.ae_death),
      AESHOSP: yn(v.ae_hospitalisation),
      AESLIFE: yn(v.ae_life_threatening),
      AESMIE: yn(v.ae_important_medical_event),
      AETOXGR: v.ctcae_grade === undefined ? null : String(v.ctcae_grade),
      AESTDTC: s('ae_onset'),
      AEENDTC: s('ae_end'),
      AESTDY: s('ae_onset')?.length === 10 ? studyDay(s('ae_onset'), day0) : null,
      AEENDY: s('ae_end')?.length === 10 ? studyDay(s('ae_end'), day0) : null,
      AEENRF: v.ae_ongoing === true ? 'ONGOING' : null,
    };
  });
}

function cmRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const day0 = day0Of(p);
  const rows: SdtmRow[] = [];
  for (const r of recordsOf(p, 'conmed')) {
    const v = r.values;
    const s = (k: string): string | null => (typeof v[k] === 'string' ? (v[k] as string) : null);
    rows.push({
      ...base(ctx, 'CM', p),
      CMTRT: s('cm_drug'),
      CMCAT: 'CONCOMITANT MEDICATION',
      CMCLASCD: s('cm_atc'),
      CMINDC: s('cm_indication'),
      CMDOSE: typeof v.cm_dose === 'number' ? v.cm_dose : null,
      CMDOSU: s('cm_dose_unit'),
      CMDOSFRQ: s('cm_frequency'),
      CMROUTE: upper(s('cm_route')),
      CMSTDTC: s('cm_start'),
      CMENDTC: s('cm_end'),
      CMENRF: v.cm_ongoing === true ? 'ONGOING' : null,
      CMSTDY: s('cm_start')?.length === 10 ? studyDay(s('cm_start'), day0) : null,
    });
  }
  // Analgesics recorded in the pain diary.
  for (const r of recordsOf(p, 'pain_diary')) {
    const date = typeof r.values.entry_date === 'string' ? r.values.entry_date : null;
    const rowsOf = Array.isArray(r.values.analgesics) ? (r.values.analgesics as Record<string, unknown>[]) : [];
    for (const a of rowsOf) {
      rows.push({
        ...base(ctx, 'CM', p),
        CMTRT: typeof a.analgesic_drug === 'string' ? a.analgesic_drug : null,
        CMCAT: 'ANALGESIC (PAIN DIARY)',
        CMCLASCD: null,
        CMINDC: 'KNEE PAIN',
        CMDOSE: typeof a.analgesic_dose_mg === 'number' ? a.analgesic_dose_mg : null,
        CMDOSU: 'mg',
        CMDOSFRQ: typeof a.analgesic_count === 'number' ? `${a.analgesic_count} TIMES IN THE DAY` : null,
        CMROUTE: null,
        CMSTDTC: date,
        CMENDTC: date,
        CMENRF: null,
        CMSTDY: studyDay(date, day0),
      });
    }
  }
  return rows;
}

/** A finding row's result columns for one value. */
function result(
  prefix: string,
  form: FormDef,
  item: ItemDef,
  raw: unknown,
  derived: boolean,
  derivedValue: boolean | number | null | undefined,
): SdtmRow | null {
  const orres = derived ? formatDerivedValue(item, derivedValue, { booleans: 'yn' }) : text(form, item, raw);
  if (orres === null) return null;
  const numeric = derived
    ? typeof derivedValue === 'number'
      ? derivedValue
      : null
    : typeof raw === 'number'
      ? raw
      : null;
  const unit =
    (item.type === 'integer' || item.type === 'decimal') && item.unit && item.unit.ucum !== '{score}'
      ? item.unit.ucum
      : null;
  return {
    [`${prefix}ORRES`]: orres,
    [`${prefix}ORRESU`]: unit,
    [`${prefix}STRESC`]: orres,
    [`${prefix}STRESN`]: numeric,
    [`${prefix}STRESU`]: unit,
  };
}

const recallLabels = new Map<string, string | null>();
function recallLabel(protocol: ProtocolDefinition, code: string): string | null {
  let label = recallLabels.get(code);
  if (label === undefined) {
    label =
      protocol.codeLists
        .find((c) => c.id === 'nrs_recall')
        ?.items.find((e) => e.code === code)
        ?.label.en.toUpperCase() ?? null;
    recallLabels.set(code, label);
  }
  return label;
}

function qsRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const day0 = day0Of(p);
  const rows: SdtmRow[] = [];
  for (const formId of ['koos', 'nrs', 'pain_diary']) {
    const form = findForm(ctx.protocol, formId);
    if (!form || !ctx.viewer.canSeeForm(ctx.protocol, formId)) continue;
    for (const r of recordsOf(p, formId)) {
      const dtc =
        formId === 'pain_diary'
          ? typeof r.values.entry_date === 'string'
            ? r.values.entry_date
            : null
          : visitDate(p, r.visitCode);
      const recall =
        formId === 'nrs'
          ? exportCode('nrs_recall', String(r.values.nrs_recall ?? ''))
          : formId === 'pain_diary'
            ? 'last_24h'
            : 'last_7d';
      const recallText = recallLabel(ctx.protocol, recall);
      const visit = visitOf(ctx.protocol, r.visitCode);
      const day = studyDay(dtc, day0);
      for (const group of form.itemGroups) {
        if (group.repeating === true) continue;
        for (const item of group.items) {
          if (
            item.sdtm?.domain !== 'QS' ||
            !item.sdtm.testCode ||
            !ctx.viewer.canSeeItem(ctx.protocol, formId, item.id)
          ) {
            continue;
          }
          const res = result('QS', form, item, r.values[item.id], item.derivation !== undefined, r.derived[item.id]);
          if (!res) continue;
          rows.push({
            ...base(ctx, 'QS', p),
            QSTESTCD: item.sdtm.testCode,
            QSTEST: trunc(item.sdtm.test ?? item.label.en),
            QSCAT: item.sdtm.category ?? form.sdtm?.category ?? null,
            QSSCAT: formId === 'koos' ? group.name.en.toUpperCase() : null,
            ...res,
            QSDRVFL: item.derivation ? 'Y' : null,
            QSEVINTX: recallText,
            ...visit,
            QSDTC: dtc,
            QSDY: day,
          });
        }
      }
    }
  }
  return rows;
}

/** Location text of an MRI item: its label after the first comma ("Cartilage loss (area), Patella, medial" → "PATELLA, MEDIAL"). */
function locationOfLabel(label: string): string | null {
  const i = label.indexOf(', ');
  return i < 0 ? null : label.slice(i + 2).toUpperCase();
}

const mkNames = new WeakMap<ItemDef, { test: string; loc: string | null }>();
function mkDescriptor(item: ItemDef): { test: string; loc: string | null } {
  let d = mkNames.get(item);
  if (!d) {
    mkNames.set(
      item,
      (d = {
        test: trunc((item.sdtm?.test ?? item.label.en).split(',')[0] ?? item.label.en),
        loc: locationOfLabel(item.label.en),
      }),
    );
  }
  return d;
}
const mkTestName = (item: ItemDef): string => mkDescriptor(item).test;
const mkLocation = (item: ItemDef): string | null => mkDescriptor(item).loc;

function mkRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const day0 = day0Of(p);
  const rows: SdtmRow[] = [];
  const specs: { formId: string; cat: string; method: string | null }[] = [
    { formId: 'clinical_exam', cat: 'CLINICAL EXAMINATION', method: null },
    { formId: 'mri_moaks', cat: 'MOAKS', method: 'MRI' },
    { formId: 'mri_quant', cat: 'QUANTITATIVE MRI', method: 'MRI' },
  ];
  for (const spec of specs) {
    const form = findForm(ctx.protocol, spec.formId);
    if (!form || !ctx.viewer.canSeeForm(ctx.protocol, spec.formId)) continue;
    for (const r of recordsOf(p, spec.formId)) {
      const dtc =
        spec.formId === 'clinical_exam'
          ? visitDate(p, r.visitCode)
          : typeof r.values.mri_date === 'string'
            ? r.values.mri_date
            : null;
      const side = typeof r.values.knee_side === 'string' ? r.values.knee_side.toUpperCase() : null;
      const visit = visitOf(ctx.protocol, r.visitCode);
      const day = studyDay(dtc, day0);
      const subject = base(ctx, 'MK', p);
      for (const group of form.itemGroups) {
        for (const item of group.items) {
          if (
            item.sdtm?.domain !== 'MK' ||
            !item.sdtm.testCode ||
            !ctx.viewer.canSeeItem(ctx.protocol, spec.formId, item.id)
          ) {
            continue;
          }
          const res = result('MK', form, item, r.values[item.id], item.derivation !== undefined, r.derived[item.id]);
          if (!res) continue;
          let loc: string | null;
          let lat: string | null;
          if (spec.formId === 'clinical_exam') {
            loc = item.sdtm.testCode === 'THIGHCIR' ? 'THIGH' : 'KNEE';
            lat = item.id.startsWith('right_') ? 'RIGHT' : item.id.startsWith('left_') ? 'LEFT' : null;
          } else if (spec.formId === 'mri_quant') {
            loc = group.id.startsWith('region_')
              ? group.name.en.replace(/^Region: /, '').toUpperCase()
              : upper(r.values.biomech_region);
            lat = side;
            if (item.id === 'stress_value' || item.id === 'strain_value') {
              const unit = r.values[item.id === 'stress_value' ? 'stress_unit' : 'strain_unit'];
              res.MKORRESU = typeof unit === 'string' ? unit : null;
              res.MKSTRESU = res.MKORRESU;
            }
          } else {
            loc = mkLocation(item);
            lat = side;
          }
          rows.push({
            ...subject,
            MKTESTCD: item.sdtm.testCode,
            MKTEST: mkTestName(item),
            MKCAT: spec.cat,
            ...res,
            MKLOC: loc,
            MKLAT: lat,
            MKMETHOD: spec.method,
            MKDRVFL: item.derivation ? 'Y' : null,
            MKEVAL: spec.method === 'MRI' ? 'INDEPENDENT ASSESSOR' : 'INVESTIGATOR',
            ...visit,
            MKDTC: dtc,
            MKDY: day,
          });
        }
      }
    }
  }
  return rows;
}

function gfRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const day0 = day0Of(p);
  const form = findForm(ctx.protocol, 'hla_typing');
  if (!form || !ctx.viewer.canSeeForm(ctx.protocol, 'hla_typing')) return [];
  const rows: SdtmRow[] = [];
  for (const r of recordsOf(p, 'hla_typing')) {
    const dtc = typeof r.values.sample_date === 'string' ? r.values.sample_date : null;
    for (const group of form.itemGroups) {
      for (const item of group.items) {
        if (item.sdtm?.domain !== 'GF' || !item.sdtm.testCode) continue;
        const v = r.values[item.id];
        if (typeof v !== 'string') continue;
        const m = /^hla_([a-z0-9]+)_(\d)$/.exec(item.id);
        const locus = m?.[1]?.toUpperCase() ?? item.sdtm.testCode;
        rows.push({
          ...base(ctx, 'GF', p),
          GFTESTCD: item.sdtm.testCode,
          GFTEST: `HLA-${locus} Allele`,
          GFTSTDTL: m ? `ALLELE ${m[2]}` : null,
          GFORRES: v,
          GFSTRESC: v,
          GFSPEC: 'BLOOD',
          GFMETHOD: upper(r.values.method),
          GFGENREF: typeof r.values.db_version === 'string' ? `IPD-IMGT/HLA ${r.values.db_version}` : null,
          ...(({ VISITNUM, VISIT }) => ({ VISITNUM, VISIT }))(visitOf(ctx.protocol, r.visitCode)),
          GFDTC: dtc,
          GFDY: studyDay(dtc, day0),
        });
      }
    }
  }
  return rows;
}

function isRows(ctx: Ctx, p: ExportParticipant): SdtmRow[] {
  const day0 = day0Of(p);
  const see = (itemId: string): boolean => ctx.viewer.canSeeItem(ctx.protocol, 'hla_antibody', itemId);
  if (!ctx.viewer.canSeeForm(ctx.protocol, 'hla_antibody')) return [];
  const rows: SdtmRow[] = [];
  for (const r of recordsOf(p, 'hla_antibody')) {
    const v = r.values;
    const dtc = typeof v.sample_date === 'string' ? v.sample_date : null;
    const cutoff = typeof v.lab_cutoff_mfi === 'number' ? v.lab_cutoff_mfi : null;
    const visit = (({ VISITNUM, VISIT }) => ({ VISITNUM, VISIT }))(visitOf(ctx.protocol, r.visitCode));
    const common = {
      ISSPEC: 'SERUM',
      ISMETHOD: 'SINGLE ANTIGEN BEAD ASSAY',
      ...visit,
      ISDTC: dtc,
      ISDY: studyDay(dtc, day0),
    };
    const row = (fields: SdtmRow): SdtmRow => ({
      ...base(ctx, 'IS', p),
      ISBDAGNT: null,
      ISCAT: null,
      ISORRESU: null,
      ISSTRESN: null,
      ISSTRESU: null,
      ISSTNRHI: null,
      ISNRIND: null,
      ISDRVFL: null,
      ...fields,
      ...common,
    });
    for (const [item, code, label] of [
      ['class_i_positive', 'HLAAB1', 'Anti-HLA Class I Antibodies'],
      ['class_ii_positive', 'HLAAB2', 'Anti-HLA Class II Antibodies'],
    ] as const) {
      if (typeof v[item] === 'boolean' && see(item)) {
        rows.push(
          row({
            ISTESTCD: code,
            ISTEST: label,
            ISORRES: v[item] ? 'POSITIVE' : 'NEGATIVE',
            ISSTRESC: v[item] ? 'POSITIVE' : 'NEGATIVE',
          }),
        );
      }
    }
    const beads = Array.isArray(v.beads) ? (v.beads as Record<string, unknown>[]) : [];
    for (const b of beads) {
      const agent = typeof b.bead_specificity === 'string' ? b.bead_specificity : null;
      const cat = typeof b.bead_class === 'string' ? upper(`class_${b.bead_class}`) : null;
      if (typeof b.bead_mfi === 'number') {
        rows.push(
          row({
            ISTESTCD: 'HLAABMFI',
            ISTEST: 'Anti-HLA Antibody MFI',
            ISBDAGNT: agent,
            ISCAT: cat,
            ISORRES: String(b.bead_mfi),
            ISORRESU: 'MFI',
            ISSTRESC: String(b.bead_mfi),
            ISSTRESN: b.bead_mfi,
            ISSTRESU: 'MFI',
            ISSTNRHI: cutoff,
            ISNRIND: b.bead_positive === true ? 'HIGH' : b.bead_positive === false ? 'NORMAL' : null,
          }),
        );
      }
      if (typeof b.bead_donor_specific === 'boolean' && see('bead_donor_specific')) {
        rows.push(
          row({
            ISTESTCD: 'HLADSA',
            ISTEST: 'Donor-Specific Anti-HLA Antibody',
            ISBDAGNT: agent,
            ISCAT: cat,
            ISORRES: b.bead_donor_specific ? 'Y' : 'N',
            ISSTRESC: b.bead_donor_specific ? 'Y' : 'N',
          }),
        );
      }
    }
    for (const [item, code, label] of [
      ['dsa_detected', 'DSA', 'Donor-Specific Antibodies Detected'],
      ['de_novo_dsa', 'DENOVDSA', 'De Novo Donor-Specific Antibodies'],
    ] as const) {
      const d = r.derived[item];
      if (typeof d === 'boolean' && see(item)) {
        rows.push(
          row({ ISTESTCD: code, ISTEST: label, ISORRES: d ? 'Y' : 'N', ISSTRESC: d ? 'Y' : 'N', ISDRVFL: 'Y' }),
        );
      }
    }
  }
  return rows;
}

/** Row generators by domain, and the forms each reads. */
const GENERATORS: Readonly<
  Record<string, { forms: readonly string[]; rows: (ctx: Ctx, p: ExportParticipant) => SdtmRow[] }>
> = {
  DM: { forms: ['end_of_study'], rows: dmRows },
  DS: { forms: ['end_of_study'], rows: dsRows },
  SV: { forms: [], rows: svRows },
  IE: { forms: [], rows: () => ieRows() },
  EX: { forms: [], rows: exRows },
  EC: { forms: [], rows: ecRows },
  AE: { forms: ['adverse_event'], rows: aeRows },
  CM: { forms: ['conmed', 'pain_diary'], rows: cmRows },
  QS: { forms: ['koos', 'nrs', 'pain_diary'], rows: qsRows },
  MK: { forms: ['clinical_exam', 'mri_moaks', 'mri_quant'], rows: mkRows },
  GF: { forms: ['hla_typing'], rows: gfRows },
  IS: { forms: ['hla_antibody'], rows: isRows },
};

/** Dataset-JSON 1.1 data type of a variable. */
const jsonType = (v: SdtmVariable): string =>
  v.type === 'Num'
    ? v.name.endsWith('SEQ') || v.name.endsWith('DY') || v.name === 'AGE' || v.name.endsWith('CD')
      ? 'integer'
      : 'double'
    : 'string';

/** The rows of a domain, participant by participant, as values in variable order with --SEQ set. */
async function* domainRows(
  ctx: Ctx,
  domain: SdtmDomain,
  vars: readonly SdtmVariable[],
  pages: AsyncGenerator<ExportParticipant[]>,
  options: DomainRun,
): AsyncGenerator<(string | number | null)[][]> {
  const generator = GENERATORS[domain.name]!;
  for await (const page of pages) {
    for (const p of page) {
      let seq = 0;
      yield generator.rows(ctx, p).map((row) => {
        seq += 1;
        row[`${domain.name}SEQ`] = seq;
        const values = vars.map((v) => row[v.name] ?? null);
        options.define.observe(domain, vars, values);
        return values;
      });
    }
    options.progress.advance(page.length);
  }
}

/**
 * A domain as a SAS transport file. XPT declares every character variable's length before the first
 * observation, so the rows go to a spool file (JSON lines) while the longest value of each variable
 * is measured, and are then read back into fixed-width observations: one pass over the database,
 * flat memory. Values longer than 200 bytes are cut at a character boundary (SDTM puts such text
 * in SUPP--; none of ours comes near).
 */
async function writeXptDomain(
  ctx: Ctx,
  domain: SdtmDomain,
  sink: TextSink,
  pages: AsyncGenerator<ExportParticipant[]>,
  options: DomainRun,
): Promise<void> {
  const vars = domainVariables(domain, ctx.viewer.unblinded);
  const widths = vars.map(() => 1);
  const dir = await mkdtemp(join(tmpdir(), 'stemjoint-xpt-'));
  try {
    const spoolPath = join(dir, `${domain.name}.jsonl`);
    const spool = fileSink(spoolPath);
    for await (const rows of domainRows(ctx, domain, vars, pages, options)) {
      let out = '';
      for (const values of rows) {
        values.forEach((value, i) => {
          if (vars[i]!.type !== 'Num' && value !== null) {
            widths[i] = Math.min(XPT_MAX_CHAR_LENGTH, Math.max(widths[i]!, Buffer.byteLength(String(value), 'utf8')));
          }
        });
        out += `${JSON.stringify(values)}\n`;
      }
      if (out) await spool.write(out);
    }
    await spool.end();
    const dataset: XptDataset = {
      name: domain.name,
      label: domain.label,
      variables: vars.map((v, i) => ({
        name: v.name,
        label: v.label,
        type: v.type === 'Num' ? 'num' : 'char',
        length: v.type === 'Num' ? 8 : widths[i]!,
      })),
    };
    await sink.write(Buffer.concat([xptLibraryHeader(options.now), xptMemberHeader(dataset, options.now)]));
    let written = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for await (const line of createInterface({ input: createReadStream(spoolPath, 'utf8'), crlfDelay: Infinity })) {
      if (line === '') continue;
      const row = xptRow(dataset, JSON.parse(line) as (string | number | null)[]);
      batch.push(row);
      batchBytes += row.length;
      written += row.length;
      if (batchBytes >= 64 * 1024) {
        await sink.write(Buffer.concat(batch));
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length > 0) await sink.write(Buffer.concat(batch));
    await sink.write(xptEndPadding(written));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeDomain(
  ctx: Ctx,
  domain: SdtmDomain,
  sink: TextSink,
  format: Exclude<SdtmFileFormat, 'xpt'>,
  pages: AsyncGenerator<ExportParticipant[]>,
  options: DomainRun,
): Promise<void> {
  const vars = domainVariables(domain, ctx.viewer.unblinded);
  let records = 0;
  if (format === 'csv') {
    await sink.write(csvLine(vars.map((v) => v.name)));
  } else {
    const columns = vars.map((v, i) => ({
      itemOID: `IT.${domain.name}.${v.name}`,
      name: v.name,
      label: v.label,
      dataType: jsonType(v),
      ...(i < 3 || v.name === `${domain.name}SEQ` ? { keySequence: i < 3 ? i + 1 : 4 } : {}),
    }));
    const header = {
      datasetJSONCreationDateTime: options.now.toISOString().slice(0, 19),
      datasetJSONVersion: '1.1.0',
      fileOID: `${ctx.studyId}.SDTM.${domain.name}`,
      dbLastModifiedDateTime: options.now.toISOString().slice(0, 19),
      originator: ctx.protocol.study.sponsor,
      sourceSystem: { name: 'STEMJOINT trial platform', version: '0.1.0' },
      studyOID: ctx.protocol.study.oid,
      metaDataVersionOID: metaDataVersionOid(ctx.protocol.version),
      itemGroupOID: `IG.${domain.name}`,
      isReferenceData: false,
      name: domain.name,
      label: domain.label,
      columns,
    };
    const headerText = JSON.stringify(header, null, 1);
    await sink.write(`${headerText.slice(0, -2)},\n "rows": [`);
  }
  // One participant's rows at a time: a page of QS or MK rows runs to megabytes of text.
  for await (const rows of domainRows(ctx, domain, vars, pages, options)) {
    let out = '';
    for (const values of rows) {
      out += format === 'csv' ? csvLine(values) : `${records === 0 ? '\n  ' : ',\n  '}${JSON.stringify(values)}`;
      records += 1;
    }
    if (out) await sink.write(out);
  }
  if (format === 'json') await sink.write(`\n ],\n "records": ${records}\n}\n`);
}

/**
 * Writes the SDTM-shaped datasets, one file per domain (`dm.csv` … or `dm.json` …) plus a
 * `datasets.csv` listing domains, labels and variables.
 *
 * @param db - read-only use
 * @param viewer - what the export may contain
 * @param target - where the files go
 * @param options - CSV or Dataset-JSON, time, progress, kit arms
 */
export async function writeSdtmExport(
  db: Executor,
  viewer: ExportViewer,
  target: FileTarget,
  options: SdtmOptions,
): Promise<MultiFileSummary> {
  const protocol = currentStemjointProtocol();
  const ctx: Ctx = { protocol, viewer, studyId: protocol.study.id };
  const files: WrittenFile[] = [];
  let participants = 0;
  const define = createDefineCollector();
  const run: DomainRun = { ...options, define };
  for (const domain of SDTM_DOMAINS) {
    const generator = GENERATORS[domain.name]!;
    const sink = target.openFile(`${domain.name.toLowerCase()}.${options.fileFormat}`);
    options.progress.begin(`SDTM ${domain.name}`, options.total);
    let count = 0;
    async function* counted(): AsyncGenerator<ExportParticipant[]> {
      for await (const page of readParticipantPages(db, viewer, protocol, {
        forms: new Set(generator.forms),
        ...(options.kitArms ? { kitArms: options.kitArms } : {}),
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      })) {
        count += page.length;
        yield page;
      }
    }
    if (options.fileFormat === 'xpt') await writeXptDomain(ctx, domain, sink, counted(), run);
    else await writeDomain(ctx, domain, sink, options.fileFormat, counted(), run);
    participants = Math.max(participants, count);
    files.push(await sink.end());
  }
  const sink = target.openFile('datasets.csv');
  await sink.write(csvLine(['dataset', 'label', 'variable', 'variable_label', 'type', 'note']));
  for (const domain of SDTM_DOMAINS) {
    for (const v of domainVariables(domain, viewer.unblinded)) {
      await sink.write(
        csvLine([
          domain.name,
          domain.label,
          v.name,
          v.label,
          v.type,
          v === domain.variables[0] ? (domain.note ?? '') : '',
        ]),
      );
    }
  }
  files.push(await sink.end());
  const defineSink = target.openFile('define.xml');
  await defineSink.write(
    defineXml(
      protocol,
      SDTM_DOMAINS.map((domain) => ({ domain, vars: domainVariables(domain, viewer.unblinded) })),
      define.observed,
      { now: options.now, extension: options.fileFormat },
    ),
  );
  files.push(await defineSink.end());
  return { participants, files };
}
