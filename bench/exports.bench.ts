/**
 * Export throughput and memory: for studies of 80 and 1,000 participants (and 10,000 in the full
 * run; `--quick` skips it), each with a realistic five-year casebook per participant (KOOS and NRS
 * at six visits, examination and MRI at four, HLA typing and antibodies, 30 diary days, medication
 * and blinding assessments — about 60 form instances and 5,000 values), generated through the ODM
 * import service into a freshly initialised SQLite database. Every export format then runs in its
 * own process (the real CLI code path), which reports its wall time, bytes written and peak RSS.
 * Peak RSS at the larger sizes is compared with the 80-participant run of the same format: a
 * streaming export stays flat.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STEMJOINT_PROTOCOL } from '../src/core/protocol/index.js';
import type { FormDef } from '../src/core/protocol/definition-types.js';
import { itemOid } from '../src/core/protocol/protocol-queries.js';
import { addCalendarDays } from '../src/core/schedule/plain-date.js';
import { createServiceContext, systemActor } from '../src/services/context.js';
import { importOdmText } from '../src/services/exports/odm-import.js';
import { exportToPath, type ExportRequest } from '../src/services/exports/run-export.js';
import { syntheticFormValues, syntheticVisitDate } from '../src/services/exports/synthetic-clinical-data.js';
import { formatItemValue } from '../src/services/exports/value-format.js';
import { escapeAttr } from '../src/services/exports/xml-text.js';
import { openDatabase } from '../src/storage/database.js';

const FORMATS: { name: string; request: ExportRequest; file: boolean }[] = [
  { name: 'ODM 1.3.2', request: { format: 'odm' }, file: true },
  { name: 'CSV (long + wide + dictionary)', request: { format: 'csv' }, file: false },
  { name: 'SDTM CSV', request: { format: 'sdtm', sdtmFormat: 'csv' }, file: false },
  { name: 'SDTM Dataset-JSON', request: { format: 'sdtm', sdtmFormat: 'json' }, file: false },
  { name: 'FHIR R4 Bundles', request: { format: 'fhir' }, file: false },
];

/** Child mode: run one export and report time, bytes and peak RSS. */
if (process.argv[2] === '--child') {
  const [, , , index, url, out] = process.argv;
  const spec = FORMATS[Number(index)]!;
  const database = await openDatabase(url!);
  const ctx = createServiceContext(database);
  const t0 = performance.now();
  const result = await exportToPath(ctx, systemActor('bench'), spec.request, out!);
  const ms = performance.now() - t0;
  await database.close();
  process.stdout.write(
    JSON.stringify({
      ms,
      bytes: result.bytes,
      participants: result.participants,
      maxRssKb: process.resourceUsage().maxRSS,
    }),
  );
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const SIZES = quick ? [80, 1000] : [80, 1000, 10_000];
const CLI = join(import.meta.dirname, '..', 'bin', 'stemjoint.mjs');

/** The casebook of one participant: [form id, visit code] pairs. */
const CASEBOOK: [string, string | null][] = [
  ...['BL', 'M3', 'M12', 'M24', 'Y3', 'Y5'].flatMap((v): [string, string][] => [
    ['koos', v],
    ['nrs', v],
  ]),
  ...['BL', 'M3', 'M12', 'M24'].flatMap((v): [string, string][] => [
    ['clinical_exam', v],
    ['mri_moaks', v],
    ['mri_quant', v],
  ]),
  ['hla_typing', 'BL'],
  ['hla_antibody', 'BL'],
  ['hla_antibody', 'M3'],
  ['blinding_assessment', 'M3'],
  ['blinding_assessment', 'M12'],
  ...Array.from({ length: 30 }, (_, i): [string, string] => ['pain_diary', `D${i + 1}`]),
  ['conmed', null],
  ['conmed', null],
];

function formOf(id: string): FormDef {
  return STEMJOINT_PROTOCOL.forms.find((f) => f.id === id) as FormDef;
}

/** ODM SubjectData of one synthetic participant (values valid for the protocol). */
function subjectXml(n: number, rand: () => number): string {
  const key = `SJ-${String(n).padStart(4, '0')}`;
  const day0 = addCalendarDays('2024-01-15', n % 400);
  const events = new Map<string, string[]>();
  const add = (eventKey: string, xml: string): void => {
    const list = events.get(eventKey) ?? [];
    list.push(xml);
    events.set(eventKey, list);
  };
  const formXml = (form: FormDef, values: Record<string, unknown>, repeat: number | undefined): string => {
    let groups = '';
    for (const g of form.itemGroups) {
      const rows = g.repeating ? ((values[g.id] as Record<string, unknown>[] | undefined) ?? []) : [values];
      rows.forEach((row, i) => {
        let items = '';
        for (const it of g.items) {
          const text = it.derivation ? null : formatItemValue(form.id, it, row[it.id], { booleans: 'word' });
          if (text !== null) items += `<ItemData ItemOID="${itemOid(form, it.id)}" Value="${escapeAttr(text)}"/>`;
        }
        if (items) {
          groups += `<ItemGroupData ItemGroupOID="${g.oid}"${g.repeating ? ` ItemGroupRepeatKey="${i + 1}"` : ''}>${items}</ItemGroupData>`;
        }
      });
    }
    return `<FormData FormOID="${form.oid}"${repeat ? ` FormRepeatKey="${repeat}"` : ''}>${groups}</FormData>`;
  };
  const screening = syntheticFormValues(
    STEMJOINT_PROTOCOL,
    formOf('screening'),
    'SCR',
    addCalendarDays(day0, -20),
    rand,
  );
  screening.date_of_birth = `${1950 + (n % 25)}-01-01`;
  add('SE.SCR|', formXml(formOf('screening'), screening, undefined));
  let cm = 0;
  for (const [formId, visit] of CASEBOOK) {
    const form = formOf(formId);
    const date = syntheticVisitDate(day0, STEMJOINT_PROTOCOL, visit ?? 'BL');
    const values = syntheticFormValues(STEMJOINT_PROTOCOL, form, visit, date, rand);
    const diary = visit?.startsWith('D') ? visit.slice(1) : '';
    const eventKey = visit === null ? 'SE.LOG|' : diary ? `SE.DIARY|${diary}` : `SE.${visit}|`;
    add(eventKey, formXml(form, values, form.repeating ? ++cm : undefined));
  }
  let body = '';
  for (const [eventKey, forms] of events) {
    const [oid, repeat] = eventKey.split('|');
    body += `<StudyEventData StudyEventOID="${oid}"${repeat ? ` StudyEventRepeatKey="${repeat}"` : ''}>${forms.join('')}</StudyEventData>`;
  }
  return `<SubjectData SubjectKey="${key}"><SiteRef LocationOID="LOC.AUH"/>${body}</SubjectData>`;
}

async function buildStudy(url: string, participants: number): Promise<void> {
  execFileSync(process.execPath, [CLI, 'init', '--db', url, '--admin-password', 'bench-admin-password'], {
    stdio: 'ignore',
  });
  const database = await openDatabase(url);
  const ctx = createServiceContext(database);
  let seed = 42;
  const rand = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const batch = 100;
  for (let start = 1; start <= participants; start += batch) {
    let subjects = '';
    for (let n = start; n < Math.min(start + batch, participants + 1); n++) subjects += subjectXml(n, rand);
    const xml = `<?xml version="1.0" encoding="UTF-8"?><ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" ODMVersion="1.3.2" FileType="Snapshot" FileOID="bench" CreationDateTime="2025-01-01T00:00:00Z"><ClinicalData StudyOID="S.STEMJOINT01" MetaDataVersionOID="MDV.1.0">${subjects}</ClinicalData></ODM>`;
    const report = await importOdmText(ctx, systemActor('bench'), xml, {
      createSubjects: true,
      fileName: `bench-${start}.xml`,
    });
    if (report.rejected.length > 0) {
      throw new Error(`bench data rejected: ${JSON.stringify(report.rejected.slice(0, 3))}`);
    }
    process.stderr.write(`  ${Math.min(start + batch - 1, participants)}/${participants} participants imported\r`);
  }
  process.stderr.write('\n');
  await database.close();
}

function sizeOf(path: string): number {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((n, f) => n + sizeOf(join(path, f)), 0) : s.size;
}

interface Row {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  note?: string;
}
const rows: Row[] = [];
const rss80 = new Map<number, number>();

for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'sj-bench-exports-'));
  const url = `sqlite:${join(dir, 'bench.db')}`;
  const t0 = performance.now();
  process.stderr.write(`building a study of ${size} participants\n`);
  await buildStudy(url, size);
  rows.push({
    name: `import ${size} participants (ODM, one transaction per 100)`,
    value: size / ((performance.now() - t0) / 1000),
    unit: 'participants/s',
  });
  for (const [i, spec] of FORMATS.entries()) {
    const out = join(dir, spec.file ? 'export.xml' : `export-${i}`);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', String(i), url, out],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, STEMJOINT_LOG_LEVEL: 'silent' } },
    );
    if (child.status !== 0) throw new Error(`${spec.name} at ${size}: ${child.stderr}`);
    const r = JSON.parse(child.stdout) as { ms: number; bytes: number; maxRssKb: number };
    const mb = r.maxRssKb / 1024;
    if (size === SIZES[0]) rss80.set(i, mb);
    const base = rss80.get(i);
    rows.push({
      name: `${spec.name}: ${size} participants, time`,
      value: r.ms / 1000,
      unit: 's',
      note: `${(sizeOf(out) / 1e6).toFixed(1)} MB written`,
    });
    rows.push({
      name: `${spec.name}: ${size} participants, throughput`,
      value: r.bytes / 1e6 / (r.ms / 1000),
      unit: 'MB/s',
    });
    rows.push({
      name: `${spec.name}: ${size} participants, peak RSS`,
      value: mb,
      unit: 'MB',
      ...(base !== undefined && size !== SIZES[0]
        ? { baseline: { name: `${SIZES[0]} participants`, value: base }, ratio: mb / base }
        : {}),
    });
  }
  rmSync(dir, { recursive: true, force: true });
}

process.stdout.write(JSON.stringify({ rows }));
