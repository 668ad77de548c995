/**
 * define.xml 2.0 for the SDTM-shaped datasets, from the same domain table the datasets are written
 * from (`sdtm-domains.ts`) and from what the export actually wrote: an ItemGroupDef per domain
 * (class, structure, keys, the file as `def:leaf`), an ItemDef per variable with its data type and
 * the longest value written, and CodeLists for the coded variables — test codes decoded by their
 * test names, and every other short character variable whose values form a small closed set (sex,
 * units, categories, Y/N flags …). Values are observed while the rows stream past, so memory stays
 * bounded: a variable stops being a code list once it has more than {@link MAX_CODES} values.
 * This is metadata of SDTM-shaped data (see docs/EXPORTS.md), not a submission-validated define.
 */
import type { ProtocolDefinition } from '../../core/protocol/definition-types.js';
import type { SdtmDomain, SdtmVariable } from './sdtm-domains.js';
import { closeTag, element, emptyTag, openTag, textElement } from './xml-text.js';

/** More distinct values than this and a variable is free text, not a code list. */
export const MAX_CODES = 60;

/** Variables never treated as code lists: identifiers, dates, results and free text. */
const NOT_CODED =
  /^(STUDYID|USUBJID|SUBJID|SITEID|BRTHDTC|.*DTC|.*TERM|.*TRT|.*ORRES|.*STRESC|.*SPID|.*REFID|.*LOT|.*INDC|.*BDAGNT|.*TEST|.*EVINTX|VISIT|.*GENREF|.*TSTDTL|.*CLASCD|AELLT|AEDECOD|AESOC|.*REASOC|.*DOSFRQ|ARM|ACTARM)$/;

/** SDTM class and structure of each domain. */
const DOMAIN_CLASS: Readonly<Record<string, { cls: string; structure: string }>> = {
  DM: { cls: 'SPECIAL PURPOSE', structure: 'One record per subject' },
  SV: { cls: 'SPECIAL PURPOSE', structure: 'One record per subject visit' },
  DS: { cls: 'EVENTS', structure: 'One record per disposition status or protocol milestone per subject' },
  AE: { cls: 'EVENTS', structure: 'One record per adverse event per subject' },
  EX: { cls: 'INTERVENTIONS', structure: 'One record per constant dosing interval per subject' },
  EC: { cls: 'INTERVENTIONS', structure: 'One record per protocol-specified study treatment per subject' },
  CM: { cls: 'INTERVENTIONS', structure: 'One record per recorded medication occurrence per subject' },
  IE: { cls: 'FINDINGS', structure: 'One record per inclusion/exclusion criterion not met per subject' },
  QS: { cls: 'FINDINGS', structure: 'One record per questionnaire per question per time point per visit per subject' },
  MK: { cls: 'FINDINGS', structure: 'One record per assessment per location per visit per subject' },
  GF: { cls: 'FINDINGS', structure: 'One record per finding per gene per allele per subject' },
  IS: { cls: 'FINDINGS', structure: 'One record per test per analyte per visit per subject' },
};

interface Observed {
  maxLength: number;
  /** Distinct values (code → decode); null once there are too many. */
  codes: Map<string, string | null> | null;
}

/** Watches the rows of every domain as they are written. */
export interface DefineCollector {
  observe(domain: SdtmDomain, vars: readonly SdtmVariable[], values: readonly (string | number | null)[]): void;
}

/** Collects lengths and code values while the datasets stream. */
export function createDefineCollector(): DefineCollector & {
  readonly observed: ReadonlyMap<string, Observed>;
} {
  const observed = new Map<string, Observed>();
  return {
    observed,
    observe(domain, vars, values) {
      vars.forEach((v, i) => {
        const key = `${domain.name}.${v.name}`;
        let o = observed.get(key);
        if (!o) observed.set(key, (o = { maxLength: 1, codes: NOT_CODED.test(v.name) ? null : new Map() }));
        const value = values[i];
        if (value === null || value === undefined) return;
        const text = String(value);
        o.maxLength = Math.max(o.maxLength, Buffer.byteLength(text, 'utf8'));
        if (o.codes === null || v.type === 'Num') return;
        if (!o.codes.has(text)) {
          if (o.codes.size >= MAX_CODES) {
            o.codes = null;
            return;
          }
          // A test code is decoded by its test name (--TESTCD → --TEST in the same row).
          const decodeIndex = v.name.endsWith('TESTCD')
            ? vars.findIndex((x) => x.name === `${v.name.slice(0, -2)}`)
            : v.name === 'ARMCD' || v.name === 'ACTARMCD'
              ? vars.findIndex((x) => x.name === v.name.slice(0, -2))
              : -1;
          const decode = decodeIndex >= 0 ? values[decodeIndex] : null;
          o.codes.set(text, decode === null || decode === undefined ? null : String(decode));
        }
      });
    },
  };
}

const english = (text: string): string => textElement('TranslatedText', text, { 'xml:lang': 'en' });
const translated = (text: string): string => element('Description', {}, english(text));

/** The define.xml data type of a variable. */
function dataType(v: SdtmVariable): 'text' | 'integer' | 'float' | 'datetime' {
  if (v.type === 'Num') {
    return v.name.endsWith('SEQ') || v.name.endsWith('DY') || v.name === 'AGE' || v.name.endsWith('CD')
      ? 'integer'
      : 'float';
  }
  return v.name.endsWith('DTC') ? 'datetime' : 'text';
}

/**
 * The define.xml document.
 *
 * @param protocol - the study (names, OIDs)
 * @param domains - each domain with the variables written
 * @param observed - what the collector saw
 * @param options - creation time and the datasets' file extension
 */
export function defineXml(
  protocol: ProtocolDefinition,
  domains: readonly { domain: SdtmDomain; vars: readonly SdtmVariable[] }[],
  observed: ReadonlyMap<string, Observed>,
  options: { now: Date; extension: string },
): string {
  const study = protocol.study;
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    openTag('ODM', {
      xmlns: 'http://www.cdisc.org/ns/odm/v1.3',
      'xmlns:def': 'http://www.cdisc.org/ns/def/v2.0',
      'xmlns:xlink': 'http://www.w3.org/1999/xlink',
      ODMVersion: '1.3.2',
      FileType: 'Snapshot',
      FileOID: `${study.id}.SDTM.DEFINE`,
      CreationDateTime: options.now.toISOString().slice(0, 19),
      Originator: study.sponsor,
      SourceSystem: 'STEMJOINT trial platform',
      SourceSystemVersion: '0.1.0',
    }),
    openTag('Study', { OID: study.oid }),
    element(
      'GlobalVariables',
      {},
      textElement('StudyName', study.acronym) +
        textElement('StudyDescription', study.title.en) +
        textElement('ProtocolName', study.id),
    ),
    openTag('MetaDataVersion', {
      OID: `MDV.${study.id}.SDTMIG.3.4`,
      Name: `${study.acronym} SDTM-shaped datasets`,
      Description: `SDTM-shaped datasets of ${study.acronym}, protocol version ${protocol.version}`,
      'def:DefineVersion': '2.0.0',
      'def:StandardName': 'SDTM-IG',
      'def:StandardVersion': '3.4',
    }),
  ];
  const itemDefs: string[] = [];
  const codeLists: string[] = [];
  for (const { domain, vars } of domains) {
    const d = DOMAIN_CLASS[domain.name] ?? { cls: 'FINDINGS', structure: 'One record per finding per subject' };
    let refs = '';
    vars.forEach((v, i) => {
      const oid = `IT.${domain.name}.${v.name}`;
      const key = i < 3 || v.name === `${domain.name}SEQ` ? { KeySequence: i < 3 ? i + 1 : 4 } : {};
      refs += emptyTag('ItemRef', {
        ItemOID: oid,
        OrderNumber: i + 1,
        Mandatory: i < 4 ? 'Yes' : 'No',
        ...key,
      });
      const o = observed.get(`${domain.name}.${v.name}`);
      const type = dataType(v);
      const codes = o?.codes && o.codes.size > 0 ? o.codes : null;
      const clOid = `CL.${domain.name}.${v.name}`;
      itemDefs.push(
        element(
          'ItemDef',
          {
            OID: oid,
            Name: v.name,
            SASFieldName: v.name,
            DataType: type,
            Length: type === 'datetime' ? undefined : v.type === 'Num' ? 8 : (o?.maxLength ?? 1),
          },
          translated(v.label) +
            (codes ? emptyTag('CodeListRef', { CodeListOID: clOid }) : '') +
            emptyTag('def:Origin', { Type: v.name.endsWith('SEQ') || v.name.endsWith('DY') ? 'Derived' : 'CRF' }),
        ),
      );
      if (codes) {
        const sorted = [...codes.entries()].sort((a, b) => a[0].localeCompare(b[0]));
        const decoded = sorted.some(([, decode]) => decode !== null);
        codeLists.push(
          element(
            'CodeList',
            { OID: clOid, Name: `${domain.name} ${v.name}`, DataType: 'text' },
            sorted
              .map(([code, decode], n) =>
                decoded
                  ? element(
                      'CodeListItem',
                      { CodedValue: code, OrderNumber: n + 1 },
                      element('Decode', {}, english(decode ?? code)),
                    )
                  : emptyTag('EnumeratedItem', { CodedValue: code, OrderNumber: n + 1 }),
              )
              .join(''),
          ),
        );
      }
    });
    const file = `${domain.name.toLowerCase()}.${options.extension}`;
    parts.push(
      element(
        'ItemGroupDef',
        {
          OID: `IG.${domain.name}`,
          Name: domain.name,
          Repeating: domain.name === 'DM' ? 'No' : 'Yes',
          IsReferenceData: 'No',
          SASDatasetName: domain.name,
          Domain: domain.name,
          Purpose: 'Tabulation',
          'def:Structure': d.structure,
          'def:Class': d.cls,
          'def:ArchiveLocationID': `LF.${domain.name}`,
        },
        translated(domain.label) +
          refs +
          element('def:leaf', { ID: `LF.${domain.name}`, 'xlink:href': file }, textElement('def:title', file)),
      ),
    );
  }
  parts.push(...itemDefs, ...codeLists, closeTag('MetaDataVersion'), closeTag('Study'), closeTag('ODM'), '\n');
  return parts.join('\n');
}
