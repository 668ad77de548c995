/**
 * Export throughput and memory: for studies of 80, 1,000 and 10,000 participants (`--quick`: 80 and
 * 250), each with a realistic five-year casebook per participant (KOOS and NRS
 * at six visits, examination and MRI at four, HLA typing and antibodies, 30 diary days, medication
 * and blinding assessments — about 60 form instances and 5,000 values), generated through the ODM
 * import service into a freshly initialised SQLite database. Every export format then runs in its
 * own process (the export service the CLI calls, without the CLI's other commands), which reports
 * its wall time, bytes written and peak RSS. Peak RSS at every size is compared with the export of
 * an empty study (size 0: the fixed baseline of the process): a streaming export stays flat.
 *
 * Options: `--quick` (0, 80, 250: a short run that still shows the trend), `--sizes 0,80` (any sizes), `--keep DIR` (build each study once
 * into DIR and reuse it), `--build-only`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FormDef } from '../src/core/protocol/definition-types.js';
import type { ExportRequest } from '../src/services/exports/run-export.js';

const FORMATS: { name: string; request: ExportRequest; file: boolean }[] = [
  { name: 'ODM 1.3.2', request: { format: 'odm' }, file: true },
  { name: 'CSV (long + wide + dictionary)', request: { format: 'csv' }, file: false },
  { name: 'SDTM CSV', request: { format: 'sdtm', sdtmFormat: 'csv' }, file: false },
  { name: 'SDTM Dataset-JSON', request: { format: 'sdtm', sdtmFormat: 'json' }, file: false },
  { name: 'SDTM SAS transport (XPT v5)', request: { format: 'sdtm', sdtmFormat: 'xpt' }, file: false },
  { name: 'FHIR R4 Bundles', request: { format: 'fhir' }, file: false },
];

/**
 * Child mode: run one export and report time, bytes, peak RSS and the heap budget's collections.
 * It loads only what an export loads (the parent's import and data generator stay out of it).
 */
if (process.argv[2] === '--child') {
  const [, , , index, url, out] = process.argv;
  const spec = FORMATS[Number(index)]!;
  const { openDatabase } = await import('../src/storage/database.js');
  const { createServiceContext, systemActor } = await import('../src/services/context.js');
  const { exportToPath } = await import('../src/services/exports/run-export.js');
  const { heapCollections } = await import('../src/services/exports/heap-budget.js');
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
      collections: heapCollections(),
    }),
  );
  process.exit(0);
}

const { STEMJOINT_PROTOCOL } = await import('../src/core/protocol/index.js');
const { itemOid } = await import('../src/core/protocol/protocol-queries.js');
const { addCalendarDays } = await import('../src/core/schedule/plain-date.js');
const { createServiceContext, systemActor } = await import('../src/services/context.js');
const { importOdmText } = await import('../src/services/exports/odm-import.js');
const { syntheticFormValues, syntheticVisitDate } = await import('../src/services/exports/synthetic-clinical-data.js');
const { formatItemValue } = await import('../src/services/exports/value-format.js');
const { escapeAttr } = await import('../src/services/exports/xml-text.js');
const { openDatabase } = await import('../src/storage/database.js');

const quick = process.argv.includes('--quick');
const sizesIndex = process.argv.indexOf('--sizes');
/** `--sizes 0,80`: other study sizes (0 = the empty export's baseline). */
const SIZES =
  sizesIndex > 0 ? process.argv[sizesIndex + 1]!.split(',').map(Number) : quick ? [0, 80, 250] : [0, 80, 1000, 10_000];
/** `--keep DIR`: build each study once into DIR/study-N.db and reuse it on later runs. */
const keepIndex = process.argv.indexOf('--keep');
const KEEP_DIR = keepIndex > 0 ? process.argv[keepIndex + 1] : undefined;
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
/** Peak RSS per format at the first size (the empty study by default): the fixed baseline. */
const firstRss = new Map<number, number>();

for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'sj-bench-exports-'));
  const kept = KEEP_DIR ? join(KEEP_DIR, `study-${size}.db`) : undefined;
  const url = `sqlite:${kept ?? join(dir, 'bench.db')}`;
  if (kept && existsSync(kept)) {
    process.stderr.write(`reusing ${kept}\n`);
  } else {
    const t0 = performance.now();
    process.stderr.write(`building a study of ${size} participants\n`);
    if (KEEP_DIR) mkdirSync(KEEP_DIR, { recursive: true });
    await buildStudy(url, size);
    rows.push({
      name: `import ${size} participants (ODM, one transaction per 100)`,
      value: size / ((performance.now() - t0) / 1000),
      unit: 'participants/s',
    });
  }
  if (process.argv.includes('--build-only')) continue;
  for (const [i, spec] of FORMATS.entries()) {
    const out = join(dir, spec.file ? 'export.xml' : `export-${i}`);
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', String(i), url, out],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, STEMJOINT_LOG_LEVEL: 'silent' } },
    );
    if (child.status !== 0) throw new Error(`${spec.name} at ${size}: ${child.stderr}`);
    const r = JSON.parse(child.stdout) as { ms: number; bytes: number; maxRssKb: number; collections: number };
    const mb = r.maxRssKb / 1024;
    if (size === SIZES[0]) firstRss.set(i, mb);
    const base = firstRss.get(i);
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
    // Each result also goes to stderr at once: the 10,000-participant run takes the better part of an hour.
    process.stderr.write(
      `${spec.name}: ${size} participants: ${(r.ms / 1000).toFixed(1)} s, peak RSS ${mb.toFixed(0)} MB, ${r.collections} collections\n`,
    );
    rows.push({
      name: `${spec.name}: ${size} participants, peak RSS`,
      value: mb,
      unit: 'MB',
      note: `${r.collections} full collections asked for by the heap budget`,
      ...(base !== undefined && size !== SIZES[0]
        ? { baseline: { name: `${SIZES[0]} participants`, value: base }, ratio: mb / base }
        : {}),
    });
  }
  rmSync(dir, { recursive: true, force: true });
}

process.stdout.write(JSON.stringify({ rows }));
