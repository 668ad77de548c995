/**
 * SAS transport v5 at the byte level: IBM floating point against published values and an
 * independent decoder, the header and NAMESTR layout of TS-140 read back by the test's own reader,
 * character lengths and truncation at a UTF-8 boundary; and, where Python's pandas is installed,
 * the same file read by `pandas.read_sas(format="xport")`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ibmDouble,
  utf8Truncated,
  xptEndPadding,
  xptLibraryHeader,
  xptMemberHeader,
  xptRow,
  type XptDataset,
} from '../src/services/exports/xpt-writer.js';
import { decodeIbm, readXpt } from './exports-xpt-reader.js';

const hex = (b: Buffer): string => b.toString('hex').toUpperCase();

const DATASET: XptDataset = {
  name: 'QS',
  label: 'Questionnaires',
  variables: [
    { name: 'USUBJID', label: 'Unique Subject Identifier', type: 'char', length: 20 },
    { name: 'QSSEQ', label: 'Sequence Number', type: 'num', length: 8 },
    { name: 'QSORRES', label: 'Result or Finding in Original Units', type: 'char', length: 6 },
    { name: 'QSSTRESN', label: 'Numeric Result/Finding in Standard Units', type: 'num', length: 8 },
  ],
};
const ROWS: (string | number | null)[][] = [
  ['STEMJOINT01-SJ-001', 1, 'Hævet', 3.25],
  ['STEMJOINT01-SJ-001', 2, null, null],
  ['STEMJOINT01-SJ-002', 3, '0', 0],
  ['STEMJOINT01-SJ-002', 4, 'x', -118.625],
];

function fileOf(dataset: XptDataset, rows: (string | number | null)[][]): Buffer {
  const at = new Date('2025-03-04T05:06:07Z');
  const body = Buffer.concat(rows.map((r) => xptRow(dataset, r)));
  return Buffer.concat([xptLibraryHeader(at), xptMemberHeader(dataset, at), body, xptEndPadding(body.length)]);
}

describe('SAS transport v5', () => {
  it('writes IBM hexadecimal floating point as published (TS-140 and IBM examples)', () => {
    expect(hex(ibmDouble(1))).toBe('4110000000000000');
    expect(hex(ibmDouble(100))).toBe('4264000000000000');
    expect(hex(ibmDouble(-118.625))).toBe('C276A00000000000');
    expect(hex(ibmDouble(0.5))).toBe('4080000000000000');
    expect(hex(ibmDouble(0))).toBe('0000000000000000');
    expect(hex(ibmDouble(null))).toBe('2E00000000000000');
    expect(hex(ibmDouble(Number.NaN))).toBe('2E00000000000000');
  });

  it('converts every double exactly (checked with an independent decoder)', () => {
    let seed = 7;
    const rand = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const values = [0.1, 1 / 3, -2.5e-7, 123456789.123, 2 ** 52 + 1, 1e70, -1e-70, 71.3, 42];
    for (let i = 0; i < 2000; i++) values.push((rand() - 0.5) * 10 ** Math.floor(rand() * 20 - 10));
    for (const v of values) expect(decodeIbm(ibmDouble(v))).toBe(v);
  });

  it('cuts character values at a UTF-8 character boundary', () => {
    expect(utf8Truncated('Hævet knæ', 2).toString('utf8')).toBe('H');
    expect(utf8Truncated('Hævet knæ', 3).toString('utf8')).toBe('Hæ');
    expect(utf8Truncated('abc', 200).toString('utf8')).toBe('abc');
  });

  it('lays out headers, NAMESTRs and observations as TS-140 describes', () => {
    const file = fileOf(DATASET, ROWS);
    expect(file.length % 80).toBe(0);
    // Library header, two real headers, member and descriptor headers, two member records, NAMESTR header.
    expect(file.subarray(0, 80).toString('latin1')).toBe(
      'HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000  ',
    );
    expect(file.subarray(80 + 64, 160).toString('latin1')).toBe('04MAR25:05:06:07');
    expect(file.subarray(560, 640).toString('latin1')).toBe(
      'HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!000000000400000000000000000000  ',
    );
    // Four NAMESTRs of 140 bytes = 560 bytes = 7 records exactly; the OBS header follows.
    expect(file.subarray(640 + 560, 640 + 560 + 20).toString('latin1')).toBe('HEADER RECORD*******');
    const read = readXpt(file);
    expect(read.name).toBe('QS');
    expect(read.label).toBe('Questionnaires');
    expect(read.variables.map((v) => [v.name, v.type, v.length, v.position])).toEqual([
      ['USUBJID', 'char', 20, 0],
      ['QSSEQ', 'num', 8, 20],
      ['QSORRES', 'char', 6, 28],
      ['QSSTRESN', 'num', 8, 34],
    ]);
    expect(read.variables[3]!.label).toBe('Numeric Result/Finding in Standard Units'); // exactly 40
    expect(read.rows).toEqual(ROWS);
  });

  it('refuses names and lengths version 5 cannot hold', () => {
    const bad =
      (v: XptDataset['variables'][number]): (() => Buffer) =>
      () =>
        xptMemberHeader({ ...DATASET, variables: [v] }, new Date(0));
    expect(bad({ name: 'TOOLONGNAME', label: '', type: 'char', length: 1 })).toThrow(/not a SAS V5 variable name/);
    expect(bad({ name: 'X', label: '', type: 'char', length: 201 })).toThrow(/length 201/);
    expect(bad({ name: 'X', label: '', type: 'num', length: 4 })).toThrow(/length 4/);
  });

  const pandas = spawnSync('python3', ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!pandas)('reads back identically with pandas.read_sas (an independent reader)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sj-xpt-'));
    try {
      const path = join(dir, 'qs.xpt');
      writeFileSync(path, fileOf(DATASET, ROWS));
      const out = execFileSync(
        'python3',
        [
          '-c',
          // pandas reads an all-zero double as 16^-65 (pandas-dev/pandas#50670); SAS writes zero that way.
          'import json,sys,math,pandas as pd\n' +
            'df=pd.read_sas(sys.argv[1],format="xport",encoding="utf-8")\n' +
            'fix=lambda v: None if (isinstance(v,float) and math.isnan(v)) else (0.0 if isinstance(v,float) and abs(v)<1e-70 else v)\n' +
            'print(json.dumps({"columns":list(df.columns),"rows":[[fix(v) for v in r] for r in df.itertuples(index=False)]}))',
          path,
        ],
        { encoding: 'utf8' },
      );
      const r = JSON.parse(out) as { columns: string[]; rows: (string | number | null)[][] };
      expect(r.columns).toEqual(['USUBJID', 'QSSEQ', 'QSORRES', 'QSSTRESN']);
      expect(r.rows.map((row) => row.map((v) => (v === '' ? null : v)))).toEqual(ROWS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
