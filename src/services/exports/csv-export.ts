/**
 * The analysis-ready CSV export: a participant table, then per form a long table (one row per
 * value: participant, visit, item, value, unit, protocol version, derived flag) and a wide table
 * (one row per participant × visit × repeat, one column per item; repeating item groups get a wide
 * table of their own with a row number), and the data dictionary as CSV and HTML plus the code
 * lists. Derived values (KOOS subscales, BMI, age, effusion, …) are included and marked. Each table
 * is written in one streamed pass over the participants, so memory does not grow with the study.
 */
import type { CodeListDef, FormDef, ItemGroupDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import { itemOid, resolveVisit } from '../../core/protocol/protocol-queries.js';
import type { ItemDef } from '../../core/protocol/item-types.js';
import { currentStemjointProtocol } from '../../core/protocol/stemjoint-registry.js';
import type { Executor } from '../../storage/database.js';
import { csvLine } from './csv-text.js';
import type { MultiFileOptions, MultiFileSummary } from './export-options.js';
import { readParticipantPages, type ClinicalRecord, type ExportParticipant } from './export-reader.js';
import type { ExportViewer } from './export-viewer.js';
import { metadataScope, odmDataType } from './odm-metadata.js';
import type { FileTarget, WrittenFile } from './output-target.js';
import { exportCode, formatDerivedValue, formatItemValue, isPseudonymised } from './value-format.js';

const VALUE_OPTIONS = { booleans: 'digit' } as const;

/** Columns of the participant table. */
export const PARTICIPANT_COLUMNS = [
  'study_id',
  'site',
  'sex',
  'year_of_birth',
  'age_at_screening',
  'status',
  'screening_date',
  'consent_date',
  'enrolled_date',
  'randomization_number',
  'kit_code',
  'randomized_date',
  'stratum',
  'day0',
  'injected',
  'not_injected_reason',
  'withdrawn_date',
  'withdrawal_scope',
  'emergency_unblinded',
] as const;

/** The long table's columns. */
export const LONG_COLUMNS = [
  'study_id',
  'site',
  'visit',
  'visit_day',
  'form',
  'repeat',
  'item_group',
  'group_row',
  'item',
  'item_oid',
  'value',
  'value_label',
  'unit',
  'protocol_version',
  'derived',
] as const;

const KEY_COLUMNS = ['study_id', 'site', 'visit', 'visit_day', 'repeat', 'protocol_version'] as const;

/** Target study day of a visit code (diary days their day). */
function visitDay(protocol: ProtocolDefinition, visitCode: string | null): number | null {
  if (visitCode === null) return null;
  const r = resolveVisit(protocol, visitCode);
  return r?.day ?? r?.visit.targetDay ?? null;
}

function unitOf(item: ItemDef): string | null {
  return (item.type === 'integer' || item.type === 'decimal') && item.unit ? item.unit.ucum : null;
}

function labelOf(item: ItemDef, value: unknown, codeLists: ReadonlyMap<string, CodeListDef>): string | null {
  if (item.type !== 'code') return null;
  const cl = codeLists.get(item.codeList);
  const codes = Array.isArray(value) ? value : [value];
  const labels = codes.map((c) => cl?.items.find((e) => e.code === c)?.label.en ?? '').filter(Boolean);
  return labels.length > 0 ? labels.join('; ') : null;
}

/** The text of one value of a record (derived or entered), or null. */
function valueText(form: FormDef, item: ItemDef, record: ClinicalRecord, row?: Record<string, unknown>): string | null {
  if (item.derivation) return formatDerivedValue(item, record.derived[item.id], VALUE_OPTIONS);
  return formatItemValue(form.id, item, row ? row[item.id] : record.values[item.id], VALUE_OPTIONS);
}

function visibleGroups(
  viewer: ExportViewer,
  protocol: ProtocolDefinition,
  form: FormDef,
): { group: ItemGroupDef; items: ItemDef[] }[] {
  return form.itemGroups
    .map((group) => ({ group, items: group.items.filter((i) => viewer.canSeeItem(protocol, form.id, i.id)) }))
    .filter((g) => g.items.length > 0);
}

function participantRow(p: ExportParticipant, unblinded: boolean): (string | number | null)[] {
  const row: (string | number | null)[] = [
    p.studyId,
    p.siteCode,
    p.sex,
    p.yearOfBirth,
    p.age,
    p.status,
    p.screeningDate,
    p.consent?.consentedAt.slice(0, 10) ?? null,
    p.enrolledAt.slice(0, 10),
    p.randomization?.number ?? null,
    p.randomization?.kit ?? null,
    p.randomization?.randomizedAt.slice(0, 10) ?? null,
    p.randomization?.stratum ?? null,
    p.administration?.day0 ?? null,
    p.administration ? (p.administration.status === 'administered' ? 1 : 0) : null,
    p.administration?.status === 'not_administered' ? p.administration.reason : null,
    p.withdrawnAt?.slice(0, 10) ?? null,
    p.withdrawalScope,
    p.randomization ? (p.randomization.emergencyUnblinded ? 1 : 0) : null,
  ];
  if (unblinded) row.push(p.randomization?.arm ?? null, p.administration?.lot ?? null);
  return row;
}

/**
 * Writes the CSV export into a file target.
 *
 * @param db - read-only use
 * @param viewer - what the export may contain
 * @param target - where the files go
 * @param options - time, progress, kit arms
 */
export async function writeCsvExport(
  db: Executor,
  viewer: ExportViewer,
  target: FileTarget,
  options: MultiFileOptions,
): Promise<MultiFileSummary> {
  const protocol = currentStemjointProtocol();
  const scope = metadataScope(viewer, protocol);
  const files: WrittenFile[] = [];
  const read = (forms?: ReadonlySet<string>): AsyncGenerator<ExportParticipant[]> =>
    readParticipantPages(db, viewer, protocol, {
      ...(forms ? { forms } : {}),
      ...(options.kitArms ? { kitArms: options.kitArms } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    });

  // Participants.
  let participants = 0;
  {
    const sink = target.openFile('participants.csv');
    await sink.write(csvLine([...PARTICIPANT_COLUMNS, ...(viewer.unblinded ? ['arm', 'product_lot'] : [])]));
    options.progress.begin('participants.csv', options.total);
    for await (const page of read(new Set())) {
      for (const p of page) await sink.write(csvLine(participantRow(p, viewer.unblinded)));
      participants += page.length;
      options.progress.advance(page.length);
    }
    files.push(await sink.end());
  }

  for (const form of scope.forms) {
    const groups = visibleGroups(viewer, protocol, form);
    if (groups.length === 0) continue;
    const only = new Set([form.id]);
    // Long table.
    {
      const sink = target.openFile(`long/${form.id}.csv`);
      await sink.write(csvLine(LONG_COLUMNS));
      options.progress.begin(`long/${form.id}.csv`, options.total);
      for await (const page of read(only)) {
        for (const p of page) {
          for (const r of p.records) {
            if (r.formId !== form.id) continue;
            const day = visitDay(protocol, r.visitCode);
            let out = '';
            for (const { group, items } of groups) {
              const rows: (Record<string, unknown> | undefined)[] =
                group.repeating === true
                  ? ((r.values[group.id] as Record<string, unknown>[] | undefined) ?? [])
                  : [undefined];
              rows.forEach((row, i) => {
                for (const item of items) {
                  const text = valueText(form, item, r, row);
                  if (text === null) continue;
                  const raw = row ? row[item.id] : r.values[item.id];
                  out += csvLine([
                    p.studyId,
                    p.siteCode,
                    r.visitCode ?? '',
                    day,
                    form.id,
                    form.repeating ? r.repeatNo : null,
                    group.id,
                    row ? i + 1 : null,
                    item.id,
                    itemOid(form, item.id),
                    text,
                    labelOf(item, raw, scope.codeLists),
                    unitOf(item),
                    r.protocolVersion,
                    item.derivation ? 1 : 0,
                  ]);
                }
              });
            }
            if (out) await sink.write(out);
          }
        }
        options.progress.advance(page.length);
      }
      files.push(await sink.end());
    }
    // Wide tables: the form's single-valued items, then one per repeating group.
    const single = groups.filter((g) => g.group.repeating !== true).flatMap((g) => g.items);
    const repeating = groups.filter((g) => g.group.repeating === true);
    const wideTables: { path: string; items: ItemDef[]; group: ItemGroupDef | null }[] = [];
    if (single.length > 0) wideTables.push({ path: `wide/${form.id}.csv`, items: single, group: null });
    for (const g of repeating) {
      wideTables.push({ path: `wide/${form.id}__${g.group.id}.csv`, items: g.items, group: g.group });
    }
    for (const table of wideTables) {
      const sink = target.openFile(table.path);
      await sink.write(csvLine([...KEY_COLUMNS, ...(table.group ? ['row'] : []), ...table.items.map((i) => i.id)]));
      options.progress.begin(table.path, options.total);
      for await (const page of read(only)) {
        let out = '';
        for (const p of page) {
          for (const r of p.records) {
            if (r.formId !== form.id) continue;
            const key = [
              p.studyId,
              p.siteCode,
              r.visitCode ?? '',
              visitDay(protocol, r.visitCode),
              form.repeating ? r.repeatNo : null,
              r.protocolVersion,
            ];
            if (table.group === null) {
              const cells = table.items.map((item) => valueText(form, item, r));
              if (cells.some((c) => c !== null)) out += csvLine([...key, ...cells]);
              continue;
            }
            const rows = (r.values[table.group.id] as Record<string, unknown>[] | undefined) ?? [];
            rows.forEach(
              (row, i) =>
                (out += csvLine([...key, i + 1, ...table.items.map((item) => valueText(form, item, r, row))])),
            );
          }
        }
        if (out) await sink.write(out);
        options.progress.advance(page.length);
      }
      files.push(await sink.end());
    }
  }

  files.push(...(await writeDataDictionary(viewer, protocol, target)));
  return { participants, files };
}

interface DictionaryRow {
  file: string;
  column: string;
  form: string;
  formTitle: string;
  group: string;
  item: string;
  oid: string;
  labelEn: string;
  labelDa: string;
  type: string;
  unit: string;
  hardRange: string;
  softRange: string;
  codeList: string;
  codes: string;
  derived: string;
  sdtm: string;
  loinc: string;
  note: string;
}

const DICTIONARY_COLUMNS: readonly (keyof DictionaryRow)[] = [
  'file',
  'column',
  'form',
  'formTitle',
  'group',
  'item',
  'oid',
  'labelEn',
  'labelDa',
  'type',
  'unit',
  'hardRange',
  'softRange',
  'codeList',
  'codes',
  'derived',
  'sdtm',
  'loinc',
  'note',
];

function dictionaryRows(viewer: ExportViewer, protocol: ProtocolDefinition): DictionaryRow[] {
  const scope = metadataScope(viewer, protocol);
  const rows: DictionaryRow[] = [];
  const participantDocs: Record<string, string> = {
    study_id: 'Pseudonymous study id (SJ-001 …); the identity (CPR, name) is never exported',
    site: 'Site code',
    sex: 'Sex (female/male)',
    year_of_birth: 'Year of birth (pseudonymised: no full date)',
    age_at_screening: 'Age at screening in completed years (derived)',
    status: 'Participant status: enrolled, randomized, withdrawn, completed',
    screening_date: 'Screening date',
    consent_date: 'Date of informed consent',
    enrolled_date: 'Date of enrolment',
    randomization_number: 'Randomization number',
    kit_code: 'Kit code (reveals nothing about the arm)',
    randomized_date: 'Date of randomization',
    stratum: 'Randomization stratum (Kellgren–Lawrence grade)',
    day0: 'Day 0: injection date (Europe/Copenhagen)',
    injected: '1 = injected, 0 = not injected',
    not_injected_reason: 'Why no injection was given',
    withdrawn_date: 'Date of withdrawal',
    withdrawal_scope: 'Scope of the withdrawal',
    emergency_unblinded: '1 = the arm was revealed by emergency unblinding (flag for the analysis)',
    arm: 'Allocated arm: ADMSC or SALINE (unblinded exports only)',
    product_lot: 'Cell lot or saline batch given (unblinded exports only)',
  };
  for (const col of [...PARTICIPANT_COLUMNS, ...(viewer.unblinded ? ['arm', 'product_lot'] : [])]) {
    rows.push({
      file: 'participants.csv',
      column: col,
      form: '',
      formTitle: '',
      group: '',
      item: '',
      oid: '',
      labelEn: participantDocs[col] ?? col,
      labelDa: '',
      type: '',
      unit: '',
      hardRange: '',
      softRange: '',
      codeList: '',
      codes: '',
      derived: col === 'age_at_screening' ? 'age.completedYears' : '',
      sdtm: '',
      loinc: '',
      note: '',
    });
  }
  for (const form of scope.forms) {
    for (const group of form.itemGroups) {
      for (const item of scope.visibleItems(form, group)) {
        const cl = item.type === 'code' ? scope.codeLists.get(item.codeList) : undefined;
        const range = item.type === 'integer' || item.type === 'decimal' ? item.range : undefined;
        const sdtm = item.sdtm ?? form.sdtm;
        rows.push({
          file: group.repeating === true ? `wide/${form.id}__${group.id}.csv` : `wide/${form.id}.csv`,
          column: item.id,
          form: form.id,
          formTitle: form.title.en,
          group: group.id,
          item: item.id,
          oid: itemOid(form, item.id),
          labelEn: item.label.en,
          labelDa: item.label.da,
          type: `${item.type}${item.type === 'code' && item.multiple ? ' (multiple; codes separated by ;)' : ''} → ODM ${odmDataType(form.id, item, scope.codeLists)}`,
          unit: unitOf(item) ?? '',
          hardRange: range ? `${range.hardMin}–${range.hardMax}` : '',
          softRange:
            range && (range.softMin !== undefined || range.softMax !== undefined)
              ? `${range.softMin ?? ''}–${range.softMax ?? ''}`
              : '',
          codeList: cl?.oid ?? '',
          codes: cl ? cl.items.map((e) => `${exportCode(cl.id, e.code)}=${e.label.en}`).join('; ') : '',
          derived: item.derivation ? item.derivation.method : '',
          sdtm: sdtm ? [sdtm.domain, item.sdtm?.testCode ?? item.sdtm?.variable].filter(Boolean).join('.') : '',
          loinc: (item.codes ?? [])
            .filter((c) => c.system === 'http://loinc.org')
            .map((c) => c.code)
            .join(' '),
          note: [
            isPseudonymised(form.id, item.id) ? 'year only (pseudonymised)' : '',
            item.type === 'boolean' ? '1 = yes, 0 = no' : '',
            item.nullMeaning ? `empty: ${item.nullMeaning.en}` : '',
            item.basis === 'unverified' ? 'unverified definition' : '',
          ]
            .filter(Boolean)
            .join('; '),
        });
      }
    }
  }
  return rows;
}

const html = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function writeDataDictionary(
  viewer: ExportViewer,
  protocol: ProtocolDefinition,
  target: FileTarget,
): Promise<WrittenFile[]> {
  const rows = dictionaryRows(viewer, protocol);
  const files: WrittenFile[] = [];
  {
    const sink = target.openFile('data-dictionary.csv');
    await sink.write(csvLine(DICTIONARY_COLUMNS));
    for (const r of rows) await sink.write(csvLine(DICTIONARY_COLUMNS.map((c) => r[c])));
    files.push(await sink.end());
  }
  {
    const scope = metadataScope(viewer, protocol);
    const sink = target.openFile('codelists.csv');
    await sink.write(csvLine(['code_list', 'oid', 'code', 'label_en', 'label_da', 'order']));
    const used = new Set(
      scope.forms
        .flatMap((f) => f.itemGroups.flatMap((g) => scope.visibleItems(f, g)))
        .flatMap((i) => (i.type === 'code' ? [i.codeList] : [])),
    );
    for (const cl of protocol.codeLists) {
      if (!used.has(cl.id)) continue;
      let i = 0;
      for (const e of cl.items) {
        await sink.write(csvLine([cl.id, cl.oid, exportCode(cl.id, e.code), e.label.en, e.label.da, ++i]));
      }
    }
    files.push(await sink.end());
  }
  {
    const sink = target.openFile('data-dictionary.html');
    const study = protocol.study;
    await sink.write(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${html(study.acronym)} data dictionary</title>` +
        '<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #ccc;padding:.25rem .4rem;vertical-align:top;text-align:left}th{background:#f3f3f3;position:sticky;top:0}h2{margin-top:2rem}</style></head><body>\n' +
        `<h1>${html(study.acronym)} (${html(study.registryIds.map((r) => r.id).join(', '))}) — data dictionary</h1>\n` +
        `<p>Protocol version ${html(protocol.version)}. ${viewer.unblinded ? 'Unblinded (by-arm) export.' : 'Blinded export: no arms, no product chain, no potentially unblinding items.'} Files are UTF-8 CSV with a header row; missing values are empty; booleans are 1/0; dates ISO 8601; derived values are unrounded and marked <code>derived = 1</code> in the long tables.</p>\n`,
    );
    let currentFile = '';
    for (const r of rows) {
      if (r.file !== currentFile) {
        if (currentFile) await sink.write('</tbody></table>\n');
        currentFile = r.file;
        await sink.write(
          `<h2>${html(r.file)}${r.formTitle ? ` — ${html(r.formTitle)}` : ''}</h2>\n<table><thead><tr>${['column', 'label (en)', 'label (da)', 'type', 'unit', 'range', 'codes', 'derived', 'SDTM', 'LOINC', 'note'].map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>\n`,
        );
      }
      const range = [r.hardRange && `hard ${r.hardRange}`, r.softRange && `soft ${r.softRange}`]
        .filter(Boolean)
        .join('; ');
      await sink.write(
        `<tr>${[r.column, r.labelEn, r.labelDa, r.type, r.unit, range, r.codes, r.derived, r.sdtm, r.loinc, r.note].map((c) => `<td>${html(c)}</td>`).join('')}</tr>\n`,
      );
    }
    if (currentFile) await sink.write('</tbody></table>\n');
    await sink.write('</body></html>\n');
    files.push(await sink.end());
  }
  return files;
}
