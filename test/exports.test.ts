/**
 * Data out (issue 9), end to end through the real CLI on both engines: the demo study plus eCRF
 * data entered through the eCRF services, exported as ODM (validated against the official ODM
 * 1.3.2 XSD), CSV, SDTM (CSV and Dataset-JSON) and FHIR (every resource validated against the FHIR
 * R4 JSON schema); a blinded user's files searched for any arm; every file searched for CPR numbers
 * and names; every export found in the audit trail with the file's SHA-256; the ODM round trip
 * into a fresh database; and malformed import files refused with a report and no change.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARM_CODES } from '../src/services/blinding.js';
import type { Database } from '../src/storage/database.js';
import { runStemjoint } from './support/cli.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from './support/engines.js';
import { buildExportStudy, cprSpellings, identityEnv, type Secrets } from './exports-study.js';
import { createFhirValidator } from './exports-fhir-schema.js';
import { odmSchemaErrors } from './exports-odm-xsd.js';
import { readXpt } from './exports-xpt-reader.js';

/** Every file under a directory (or the file itself). */
function filesOf(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((f) => filesOf(join(path, f)));
}

/** Values in an ODM file's ClinicalData as `subject|event#repeat|form#repeat|group#repeat|item=value`. */
function clinicalValues(xml: string, exclude: ReadonlySet<string> = new Set()): string[] {
  const arrays = new Set(['ClinicalData', 'SubjectData', 'StudyEventData', 'FormData', 'ItemGroupData', 'ItemData']);
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    isArray: (n) => arrays.has(n),
  }).parse(xml) as { ODM: { ClinicalData?: Record<string, unknown>[] } };
  const out: string[] = [];
  type N = Record<string, unknown>;
  const list = (n: N, k: string): N[] => (Array.isArray(n[k]) ? (n[k] as N[]) : []);
  for (const cd of doc.ODM.ClinicalData ?? []) {
    for (const sd of list(cd, 'SubjectData')) {
      for (const se of list(sd, 'StudyEventData')) {
        for (const fd of list(se, 'FormData')) {
          if (exclude.has(String(fd.FormOID))) continue;
          for (const ig of list(fd, 'ItemGroupData')) {
            for (const id of list(ig, 'ItemData')) {
              out.push(
                `${String(sd.SubjectKey)}|${String(se.StudyEventOID)}#${String(se.StudyEventRepeatKey ?? '')}|${String(fd.FormOID)}#${String(fd.FormRepeatKey ?? '')}|${String(ig.ItemGroupOID)}#${String(ig.ItemGroupRepeatKey ?? '')}|${String(id.ItemOID)}=${String(id.Value)}`,
              );
            }
          }
        }
      }
    }
  }
  return out.sort();
}

describeEachEngine('exports', (engine) => {
  let testDb: TestDatabase;
  let database: Database;
  let dir: string;
  let secrets: Secrets;
  const env = identityEnv();
  const cli = async (args: string[], expectCode = 0): Promise<{ stdout: string; stderr: string; code: number }> => {
    const r = await runStemjoint(args, { env, timeoutMs: 180_000 });
    expect(r.code, `stemjoint ${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(expectCode);
    return r;
  };
  const exportAll = async (prefix: string, extra: string[]): Promise<string[]> => {
    const outs: string[] = [];
    await cli(['export', 'odm', '--db', testDb.url, '--out', join(dir, `${prefix}.xml`), ...extra]);
    outs.push(join(dir, `${prefix}.xml`));
    for (const [fmt, more] of [
      ['csv', []],
      ['sdtm', ['--format', 'csv']],
      ['sdtm', ['--format', 'json']],
      ['sdtm', ['--sdtm-format', 'xpt']],
      ['fhir', []],
    ] as const) {
      const out = join(dir, `${prefix}-${fmt}-${more[1] ?? ''}`);
      await cli(['export', fmt, '--db', testDb.url, '--out', out, ...more, ...extra]);
      outs.push(out);
    }
    return outs;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase(engine);
    database = await testDb.open();
    dir = mkdtempSync(join(tmpdir(), 'sj-exports-'));
    secrets = await buildExportStudy(testDb.url, database, env, 10);
  }, 400_000);
  afterAll(async () => {
    await database.close();
    await testDb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an ODM export of the demo validates against the ODM 1.3.2 XSD, with an audit record for every value', async () => {
    const out = join(dir, 'full.xml');
    const r = await cli([
      'export',
      'odm',
      '--db',
      testDb.url,
      '--out',
      out,
      '--as',
      'data_manager@demo.local',
      '--json',
    ]);
    const result = JSON.parse(r.stdout) as { participants: number; sha256: string; unblinded: boolean };
    expect(result.participants).toBe(10);
    expect(result.unblinded).toBe(false);
    const xml = readFileSync(out, 'utf8');
    expect(await odmSchemaErrors(xml)).toEqual([]);
    const items = xml.match(/<ItemData /g)?.length ?? 0;
    expect(items).toBeGreaterThan(1000);
    expect(xml.match(/<\/ItemData>/g)?.length).toBe(items);
    expect(xml.match(/<AuditRecord /g)?.length).toBe(items);
    for (const oid of [
      'F.SCREENING',
      'F.KOOS',
      'F.NRS',
      'F.PAIN_DIARY',
      'F.CLINICAL_EXAM',
      'F.MRI_MOAKS',
      'F.MRI_QUANT',
      'F.HLA_TYPING',
      'F.HLA_ANTIBODY',
      'F.AE',
      'F.CM',
      'F.ADMINISTRATION',
    ]) {
      expect(xml, oid).toContain(`<FormData FormOID="${oid}"`);
    }
    // Danish and English code-list decodes, hard and soft range checks, UCUM units, KOOS LOINC codes.
    expect(xml).toContain('<TranslatedText xml:lang="da">');
    expect(xml).toMatch(/<RangeCheck Comparator="LE" SoftHard="Soft">/);
    expect(xml).toContain('<MeasurementUnit OID="MU.cm" Name="cm">');
    expect(xml).toContain('<Alias Context="LOINC" Name="72101-9"/>');
    expect(xml).toContain('StudyEventOID="SE.DIARY" StudyEventRepeatKey="1"');
    // Derived scores are exported and declared as derived.
    expect(xml).toMatch(/ItemOID="I\.KOOS\.KOOS_SYMPTOMS" Value="\d/);
    expect(xml).toMatch(/<ItemDef OID="I\.KOOS\.KOOS_SYMPTOMS"[^>]*Origin="Derived"/);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(result.sha256);

    const meta = join(dir, 'meta.xml');
    await cli(['export', 'odm', '--db', testDb.url, '--out', meta, '--metadata-only']);
    const metaXml = readFileSync(meta, 'utf8');
    expect(await odmSchemaErrors(metaXml)).toEqual([]);
    expect(metaXml).not.toContain('<ClinicalData');
    expect(metaXml).toContain('Granularity="Metadata"');
  }, 300_000);

  it('a blinded user’s exports contain no arm anywhere; an unblinded export does', async () => {
    const blinded = await exportAll('blinded', ['--as', 'data_manager@demo.local']);
    const kits = (await database.db.selectFrom('allocation_slots').select('kit').execute()).map((k) => k.kit);
    expect(kits.length).toBeGreaterThan(10);
    const armNames = new Set([
      'ARM',
      'ARMCD',
      'ACTARM',
      'ACTARMCD',
      'ARMNRS',
      'arm',
      'assignedArm',
      'actualArm',
      'product_lot',
    ]);
    const keysOf = (v: unknown, into: Set<string>): Set<string> => {
      if (Array.isArray(v)) {
        v.forEach((x) => keysOf(x, into));
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          into.add(k);
          if (k === 'name' && typeof x === 'string') into.add(x);
          keysOf(x, into);
        }
      }
      return into;
    };
    for (const out of blinded) {
      for (const f of filesOf(out)) {
        const text = readFileSync(f, 'utf8');
        for (const code of ARM_CODES) expect(text.includes(code), `${f} contains ${code}`).toBe(false);
        // No arm variables, columns or fields (CSV headers, JSON keys and column names, ODM items).
        const names = f.endsWith('.csv')
          ? new Set(text.split('\n')[0]!.split(','))
          : f.endsWith('.json')
            ? keysOf(JSON.parse(text), new Set())
            : f.endsWith('.xpt')
              ? new Set(readXpt(readFileSync(f)).variables.map((v) => v.name))
              : new Set<string>();
        expect(
          [...names].filter((n) => armNames.has(n)),
          f,
        ).toEqual([]);
        // No potentially unblinding items, no product chain, no lot numbers.
        expect(text, f).not.toMatch(
          /BEAD_DONOR_SPECIFIC|bead_donor_specific|de_novo_dsa|DE_NOVO_DSA|HLADSA|DENOVDSA|dsa_detected/,
        );
        expect(text, f).not.toMatch(/F\.DOSE_PREPARATION|F\.PRODUCT_LOT|lot_number|ADMSC-20|NaCl-/);
      }
    }
    // The EX dataset (the treatment actually given) has headers and no rows when blinded.
    expect(
      readFileSync(join(dir, 'blinded-sdtm-csv', 'ex.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(1);
    // The blinding guesses are exported under their blind-safe codes.
    expect(readFileSync(join(dir, 'blinded-csv-', 'wide', 'blinding_assessment.csv'), 'utf8')).toMatch(
      /,(cells|saline),/,
    );

    // A blinded user cannot ask for the arms.
    const refused = await cli(
      [
        'export',
        'csv',
        '--db',
        testDb.url,
        '--out',
        join(dir, 'refused'),
        '--as',
        'data_manager@demo.local',
        '--unblinded',
      ],
      1,
    );
    expect(refused.stderr).toMatch(/by-arm .*unblinded/);

    // The DSMB's unblinded export has the arms, the lots and the donor-specific antibodies.
    const unblinded = await exportAll('dsmb', ['--as', 'dsmb@demo.local', '--unblinded']);
    const dm = readFileSync(join(dir, 'dsmb-sdtm-csv', 'dm.csv'), 'utf8');
    expect(dm.split('\n')[0]).toContain(',ARMCD,ARM,ACTARMCD,ACTARM,ARMNRS,');
    expect(dm).toMatch(/,(ADMSC|SALINE),/);
    expect(
      readFileSync(join(dir, 'dsmb-sdtm-csv', 'ex.csv'), 'utf8')
        .trim()
        .split('\n').length,
    ).toBeGreaterThan(1);
    expect(readFileSync(join(dir, 'dsmb-csv-', 'participants.csv'), 'utf8').split('\n')[0]).toMatch(
      /,arm,product_lot$/,
    );
    expect(readFileSync(unblinded[0]!, 'utf8')).toContain('I.HLA_ANTIBODY.BEAD_DONOR_SPECIFIC');
  }, 300_000);

  it('CPR numbers and names never appear in any export', async () => {
    expect(secrets.cprs.length).toBe(10);
    expect(secrets.names.length).toBeGreaterThanOrEqual(20);
    const outs = [...(await exportAll('identity', [])), ...(await exportAll('identity-u', ['--unblinded']))];
    for (const out of outs) {
      for (const f of filesOf(out)) {
        const text = readFileSync(f, 'utf8');
        for (const cpr of secrets.cprs) {
          for (const s of cprSpellings(cpr)) expect(text.includes(s), `${f} contains a CPR number`).toBe(false);
        }
        for (const name of secrets.names) {
          expect(new RegExp(`\\b${name}\\b`).test(text), `${f} contains the name ${name}`).toBe(false);
        }
        expect(text, f).not.toMatch(/@demo\.local/);
      }
    }
  }, 300_000);

  it('every export is audited with the SHA-256 of what was written', async () => {
    const out = join(dir, 'audited');
    const r = await cli([
      'export',
      'sdtm',
      '--db',
      testDb.url,
      '--out',
      out,
      '--format',
      'json',
      '--as',
      'statistician@demo.local',
      '--json',
    ]);
    const result = JSON.parse(r.stdout) as { exportId: string; sha256: string };
    const row = await database.db
      .selectFrom('audit_log')
      .select(['action', 'after_json', 'actor_label'])
      .where('entity_type', '=', 'export')
      .where('entity_id', '=', result.exportId)
      .executeTakeFirstOrThrow();
    expect(row.action).toBe('export.created');
    expect(row.actor_label).toBe('statistician@demo.local');
    const after = JSON.parse(row.after_json!) as { sha256: string; files: { path: string; sha256: string }[] };
    expect(after.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(out, 'manifest.json')))
        .digest('hex'),
    );
    for (const f of after.files) {
      expect(
        createHash('sha256')
          .update(readFileSync(join(out, f.path)))
          .digest('hex'),
        f.path,
      ).toBe(f.sha256);
    }
    expect(after.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['dm.json', 'qs.json', 'mk.json', 'gf.json', 'is.json', 'ae.json']),
    );
    const audit = await runStemjoint(['audit', 'verify', '--db', testDb.url], { env });
    expect(audit.code, audit.stderr).toBe(0);
  }, 300_000);

  it('the SDTM datasets carry SDTMIG names, short test codes and the KOOS, exam, MRI, HLA and antibody findings', async () => {
    const out = join(dir, 'blinded-sdtm-csv');
    const rows = (f: string): string[][] =>
      readFileSync(join(out, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(','));
    const qs = rows('qs.csv');
    const col = (table: string[][], name: string): number => table[0]!.indexOf(name);
    expect(qs[0]!.slice(0, 4)).toEqual(['STUDYID', 'DOMAIN', 'USUBJID', 'QSSEQ']);
    const testcds = new Set(qs.slice(1).map((r) => r[col(qs, 'QSTESTCD')]!));
    for (const t of ['KOOSS1', 'KOOSQ4', 'KOOSSYM', 'KOOSPAIN', 'NRSPAIN', 'NRSWORST']) expect(testcds, t).toContain(t);
    for (const t of testcds) expect(t.length, t).toBeLessThanOrEqual(8);
    const derived = qs.slice(1).filter((r) => r[col(qs, 'QSTESTCD')] === 'KOOSSYM');
    expect(derived.every((r) => r[col(qs, 'QSDRVFL')] === 'Y')).toBe(true);
    const mk = rows('mk.csv');
    expect(new Set(mk.slice(1).map((r) => r[col(mk, 'MKTESTCD')]))).toEqual(expect.objectContaining({}));
    expect(mk.slice(1).some((r) => r[col(mk, 'MKMETHOD')] === 'MRI')).toBe(true);
    expect(mk.slice(1).some((r) => r[col(mk, 'MKLAT')] === 'RIGHT' && r[col(mk, 'MKTESTCD')] === 'FLEXION')).toBe(true);
    expect(rows('gf.csv').length).toBeGreaterThan(10);
    expect(rows('is.csv').length).toBeGreaterThan(10);
    expect(rows('ae.csv').length).toBeGreaterThan(1);
    const json = JSON.parse(readFileSync(join(dir, 'blinded-sdtm-json', 'qs.json'), 'utf8')) as {
      datasetJSONVersion: string;
      records: number;
      rows: unknown[][];
      columns: { name: string }[];
    };
    expect(json.datasetJSONVersion).toBe('1.1.0');
    expect(json.records).toBe(json.rows.length);
    expect(json.records).toBe(qs.length - 1);
    expect(json.columns.map((c) => c.name)).toEqual(qs[0]);
  }, 300_000);

  it('the SDTM datasets as SAS transport v5 hold the same rows as the CSV, with 8-character names and 40-character labels', async () => {
    const csvDir = join(dir, 'blinded-sdtm-csv');
    const xptDir = join(dir, 'blinded-sdtm-xpt');
    const csv = (f: string): string[][] =>
      readFileSync(join(csvDir, f), 'utf8')
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => l.split(','));
    let compared = 0;
    for (const domain of ['dm', 'ds', 'sv', 'ec', 'ae', 'cm', 'qs', 'mk', 'gf', 'is']) {
      const x = readXpt(readFileSync(join(xptDir, `${domain}.xpt`)));
      const table = csv(`${domain}.csv`);
      expect(x.name).toBe(domain.toUpperCase());
      expect(x.variables.map((v) => v.name)).toEqual(table[0]);
      for (const v of x.variables) {
        expect(v.name.length, v.name).toBeLessThanOrEqual(8);
        expect(v.label.length, v.name).toBeLessThanOrEqual(40);
        expect(v.length, v.name).toBeLessThanOrEqual(200);
      }
      expect(x.rows.length, domain).toBe(table.length - 1);
      // Rows whose text has no comma or quote compare cell by cell with the CSV.
      x.rows.forEach((row, i) => {
        const line = table[i + 1]!;
        if (line.length !== row.length) return;
        expect(
          row.map((v) => (v === null ? '' : String(v))),
          `${domain} row ${i + 1}`,
        ).toEqual(line);
        compared += 1;
      });
    }
    expect(compared).toBeGreaterThan(1000);

    // define.xml 2.0: well-formed, an ItemGroupDef per dataset, an ItemDef per variable whose Length
    // holds the longest value written, code lists for the test codes decoded by their test names.
    const define = readFileSync(join(xptDir, 'define.xml'), 'utf8');
    expect(XMLValidator.validate(define)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (_name, _path, _leaf, isAttribute) => isAttribute !== true,
    }).parse(define) as Record<
      string,
      Record<string, Record<string, Record<string, Record<string, string | object>[]>[]>[]>[]
    >;
    const mdv = doc.ODM![0]!.Study![0]!.MetaDataVersion![0]!;
    expect((mdv.ItemGroupDef ?? []).map((g) => (g as { Name: string }).Name)).toEqual([
      'DM',
      'DS',
      'SV',
      'IE',
      'EX',
      'EC',
      'AE',
      'CM',
      'QS',
      'MK',
      'GF',
      'IS',
    ]);
    const items = new Map((mdv.ItemDef as { OID: string; Length?: string; DataType: string }[]).map((i) => [i.OID, i]));
    const qs = readXpt(readFileSync(join(xptDir, 'qs.xpt')));
    for (const v of qs.variables) {
      const item = items.get(`IT.QS.${v.name}`)!;
      expect(item, v.name).toBeDefined();
      if (v.type === 'char' && item.DataType === 'text') expect(Number(item.Length), v.name).toBe(v.length);
    }
    const testcd = (mdv.CodeList as { OID: string; CodeListItem?: { CodedValue: string }[] }[]).find(
      (c) => c.OID === 'CL.QS.QSTESTCD',
    );
    expect(testcd?.CodeListItem?.map((c) => c.CodedValue)).toContain('KOOSPAIN');
  }, 60_000);

  it('the analysis-ready CSV has long and wide tables per form, derived values marked, and a data dictionary', async () => {
    const out = join(dir, 'blinded-csv-');
    const long = readFileSync(join(out, 'long', 'koos.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(long[0]).toBe(
      'study_id,site,visit,visit_day,form,repeat,item_group,group_row,item,item_oid,value,value_label,unit,protocol_version,derived',
    );
    expect(long.some((l) => /,koos_symptoms,I\.KOOS\.KOOS_SYMPTOMS,[\d.]+,,\{score\},1\.0,1$/.test(l))).toBe(true);
    const wide = readFileSync(join(out, 'wide', 'koos.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(wide[0]!.split(',')).toEqual(
      expect.arrayContaining(['study_id', 'visit', 'S1', 'Q4', 'koos_symptoms', 'koos_qol']),
    );
    const koos = await database.db
      .selectFrom('form_instances')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('form_id', '=', 'koos')
      .where('status', '=', 'submitted')
      .executeTakeFirstOrThrow();
    expect(wide.length).toBe(1 + Number(koos.n));
    const dictionary = readFileSync(join(out, 'data-dictionary.csv'), 'utf8');
    expect(dictionary).toContain('wide/koos.csv,koos_symptoms');
    expect(readFileSync(join(out, 'data-dictionary.html'), 'utf8')).toContain('<table>');
  }, 300_000);

  it('every FHIR resource validates against the FHIR R4 schema', async () => {
    const validate = createFhirValidator();
    for (const prefix of ['blinded-fhir-', 'dsmb-fhir-']) {
      const out = join(dir, prefix);
      const study = JSON.parse(readFileSync(join(out, 'study.json'), 'utf8')) as {
        entry: {
          resource: {
            resourceType: string;
            id: string;
            item?: { item: { linkId: string; answerOption?: unknown[]; code?: { code: string }[] }[] }[];
          };
        }[];
      };
      const koos = study.entry.find(
        (e) => e.resource.resourceType === 'Questionnaire' && e.resource.id === 'koos',
      )!.resource;
      const items = koos.item!.flatMap((g) => g.item);
      expect(items.filter((i) => i.answerOption?.length === 5)).toHaveLength(42);
      expect(
        items
          .flatMap((i) => i.code ?? [])
          .map((c) => c.code)
          .sort(),
      ).toEqual(['72098-7', '72099-5', '72100-1', '72101-9', '72102-7']);
      const types = new Set<string>();
      const bundles = [join(out, 'study.json'), ...filesOf(join(out, 'participants'))];
      for (const f of bundles) {
        const bundle = JSON.parse(readFileSync(f, 'utf8')) as {
          resourceType: string;
          entry: { resource: { resourceType: string } }[];
        };
        expect(validate(bundle), f).toEqual([]);
        for (const e of bundle.entry) {
          types.add(e.resource.resourceType);
          expect(validate(e.resource), `${f} ${e.resource.resourceType}`).toEqual([]);
        }
      }
      for (const t of [
        'ResearchStudy',
        'Questionnaire',
        'Patient',
        'ResearchSubject',
        'QuestionnaireResponse',
        'Observation',
        'AdverseEvent',
      ]) {
        expect(types, t).toContain(t);
      }
      const patient = JSON.parse(readFileSync(join(out, 'participants', 'SJ-001.json'), 'utf8')) as {
        entry: { resource: Record<string, unknown> }[];
      };
      const p = patient.entry[0]!.resource;
      expect(Object.keys(p).sort()).toEqual(['birthDate', 'gender', 'id', 'identifier', 'meta', 'resourceType']);
      expect(String(p.birthDate)).toMatch(/^\d{4}$/);
    }
  }, 300_000);

  it('round trip: export → import into a fresh database → export yields the same clinical data', async () => {
    const first = join(dir, 'round-1.xml');
    await cli(['export', 'odm', '--db', testDb.url, '--out', first, '--unblinded']);
    const fresh = await createTestDatabase(engine);
    try {
      await cli(['init', '--db', fresh.url, '--admin-password', 'fresh-admin-password']);
      const imported = await cli(['import', 'odm', '--db', fresh.url, '--in', first, '--create-subjects', '--json']);
      const report = JSON.parse(imported.stdout) as {
        subjectsCreated: number;
        instancesCreated: number;
        rejected: unknown[];
        skipped: { form: string; reason: string }[];
      };
      expect(report.rejected).toEqual([]);
      expect(report.subjectsCreated).toBe(10);
      const count = async (table: 'form_instances' | 'administrations' | 'adverse_events'): Promise<number> => {
        let q = database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
        if (table === 'form_instances') q = q.where('status', '=', 'submitted');
        if (table === 'administrations') q = q.where('status', '=', 'administered');
        if (table === 'adverse_events') q = q.where('status', '=', 'active');
        return Number((await q.executeTakeFirstOrThrow()).n);
      };
      const aes = await count('adverse_events');
      expect(aes).toBeGreaterThan(0);
      // Every eCRF instance, every injection and every adverse event (through the safety module).
      expect(report.instancesCreated).toBe((await count('form_instances')) + (await count('administrations')) + aes);
      expect(report.skipped.filter((s) => s.form === 'F.AE' || s.form === 'F.ADMINISTRATION')).toEqual([]);
      const second = join(dir, 'round-2.xml');
      await cli(['export', 'odm', '--db', fresh.url, '--out', second, '--unblinded']);
      const xml2 = readFileSync(second, 'utf8');
      expect(await odmSchemaErrors(xml2)).toEqual([]);
      const a = clinicalValues(readFileSync(first, 'utf8'));
      const b = clinicalValues(xml2);
      expect(a.length).toBeGreaterThan(2000);
      expect(a.filter((v) => v.includes('|F.AE#')).length).toBeGreaterThan(0);
      expect(a.filter((v) => v.includes('|F.ADMINISTRATION#')).length).toBeGreaterThan(0);
      expect(b).toEqual(a);
      // The imported adverse events are the safety module's: serious ones have their SAE case.
      const serious = await fresh.open();
      try {
        const cases = await serious.db
          .selectFrom('sae_cases')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const sourceCases = await database.db
          .selectFrom('sae_cases')
          .innerJoin('adverse_events', 'adverse_events.id', 'sae_cases.ae_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('adverse_events.status', '=', 'active')
          .where('adverse_events.serious', '=', 1)
          .executeTakeFirstOrThrow();
        expect(Number(cases.n)).toBe(Number(sourceCases.n));
      } finally {
        await serious.close();
      }
      // The import is audited per form instance; the chain still verifies.
      const verify = await runStemjoint(['audit', 'verify', '--db', fresh.url], { env });
      expect(verify.code, verify.stderr).toBe(0);
      // Importing the same file again changes nothing.
      const again = await cli(['import', 'odm', '--db', fresh.url, '--in', first, '--json']);
      expect((JSON.parse(again.stdout) as { instancesCreated: number; unchanged: number }).unchanged).toBe(
        report.instancesCreated,
      );
    } finally {
      await fresh.drop();
    }
  }, 300_000);

  it('malformed import files get a clear report and change nothing', async () => {
    const source = readFileSync(join(dir, 'round-1.xml'), 'utf8');
    const head = async (): Promise<{ seq: number; instances: number; participants: number }> => ({
      seq: Number((await database.db.selectFrom('audit_head').select('last_seq').executeTakeFirstOrThrow()).last_seq),
      instances: Number(
        (
          await database.db
            .selectFrom('form_instances')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      participants: Number(
        (
          await database.db
            .selectFrom('participants')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    });
    // A copy of the study's data for a subject the database does not know, with one bad value in it.
    const sj001 = /<SubjectData SubjectKey="SJ-001">[\s\S]*?<\/SubjectData>/.exec(source)![0];
    const newSubject = sj001.replace('SubjectKey="SJ-001"', 'SubjectKey="SJ-901"');
    const wrap = (body: string): string =>
      source.replace(
        /<ClinicalData [\s\S]*<\/ClinicalData>/,
        `<ClinicalData StudyOID="S.STEMJOINT01" MetaDataVersionOID="MDV.1.0">${body}</ClinicalData>`,
      );
    const cases: { name: string; xml: string; expect: RegExp }[] = [
      { name: 'not-xml', xml: '<ODM><ClinicalData></ODM>', expect: /not well-formed XML \(line 1/ },
      { name: 'not-odm', xml: '<?xml version="1.0"?><Report/>', expect: /root element is not <ODM>/ },
      { name: 'metadata-only', xml: readFileSync(join(dir, 'meta.xml'), 'utf8'), expect: /no <ClinicalData>/ },
      {
        name: 'other-study',
        xml: source.replace(/<ClinicalData StudyOID="S\.STEMJOINT01"/g, '<ClinicalData StudyOID="S.OTHER"'),
        expect: /StudyOID S\.OTHER is not this study/,
      },
      { name: 'unknown-subject', xml: wrap(newSubject), expect: /SJ-901 is not enrolled in this study/ },
      {
        name: 'unknown-item',
        xml: wrap(newSubject.replace('ItemOID="I.KOOS.S1"', 'ItemOID="I.KOOS.S99"')),
        expect: /I\.KOOS\.S99 is not part of IG\.KOOS\.SYMPTOMS/,
      },
      {
        name: 'bad-integer',
        xml: wrap(newSubject.replace(/(ItemOID="I\.NRS\.NRS_PAIN" Value=")\d+/, '$1seven')),
        expect: /SJ-901 SE\.BL F\.NRS I\.NRS\.NRS_PAIN: "seven" is not an integer/,
      },
      {
        name: 'out-of-range',
        xml: wrap(newSubject.replace(/(ItemOID="I\.NRS\.NRS_PAIN" Value=")\d+/, '$111')),
        expect: /I\.NRS\.NRS_PAIN: nrs_pain: /,
      },
    ];
    // An adverse event goes through the safety module's rules: a CTCAE grade of 7 is refused by item.
    const withAe = source
      .split(/(?=<SubjectData )/)
      .map((part) => part.slice(0, part.indexOf('</SubjectData>') + '</SubjectData>'.length))
      .find((part) => part.startsWith('<SubjectData') && part.includes('FormOID="F.AE"'))!;
    expect(withAe).toBeDefined();
    cases.push({
      name: 'ae-grade',
      xml: wrap(
        withAe
          .replace(/SubjectKey="SJ-\d+"/, 'SubjectKey="SJ-902"')
          .replace(/(ItemOID="I\.AE\.CTCAE_GRADE" Value=")\d/, '$17'),
      ),
      expect: /SJ-902 SE\.LOG F\.AE I\.AE\.CTCAE_GRADE: ctcae_grade: must be a CTCAE grade 1–5/,
    });
    for (const c of cases) {
      const before = await head();
      const file = join(dir, `bad-${c.name}.xml`);
      writeFileSync(file, c.xml);
      const create = c.name === 'unknown-subject' ? [] : ['--create-subjects'];
      const r = await runStemjoint(['import', 'odm', '--db', testDb.url, '--in', file, ...create], { env });
      expect(r.code, `${c.name}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout, c.name).toMatch(/import REFUSED: \d+ value\(s\) rejected; nothing was imported/);
      expect(r.stdout, c.name).toMatch(c.expect);
      expect(await head(), c.name).toEqual(before);
    }
    // A blinded data manager may not write donor-specific results.
    const dsa = join(dir, 'bad-dsa.xml');
    writeFileSync(dsa, wrap(newSubject));
    const r = await runStemjoint(
      ['import', 'odm', '--db', testDb.url, '--in', dsa, '--create-subjects', '--as', 'data_manager@demo.local'],
      { env },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /I\.HLA_ANTIBODY\.BEAD_DONOR_SPECIFIC: this potentially unblinding item may not be entered by a blinded role/,
    );
  }, 300_000);
});
