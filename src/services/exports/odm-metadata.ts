/**
 * The ODM 1.3.2 study metadata, generated from the protocol definition: GlobalVariables, the
 * measurement units (UCUM), and per protocol version a MetaDataVersion with the Protocol's
 * StudyEventRefs, StudyEventDefs (visits; the diary as one repeating event; SE.LOG for
 * participant-level forms), FormDefs, ItemGroupDefs, ItemDefs (data type, length, significant
 * digits, units, hard and soft range checks, code lists, SDTM and LOINC aliases, derivation
 * methods), CodeLists with Danish and English decodes, and MethodDefs.
 *
 * Only what the viewer may see is described: a blinded export has no product-chain forms, no
 * potentially unblinding items and no code list that only those use.
 */
import type { CodeListDef, FormDef, ItemGroupDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import type { ItemDef, Unit } from '../../core/protocol/item-types.js';
import type { LocalizedText } from '../../core/protocol/localized-text.js';
import { itemOid } from '../../core/protocol/protocol-queries.js';
import type { ExportViewer } from './export-viewer.js';
import { LOG_EVENT, isParticipantLevelForm, metaDataVersionOid, methodOid, unitOid } from './odm-names.js';
import { exportCode, isPseudonymised, MULTIPLE_CHOICE_SEPARATOR } from './value-format.js';
import { closeTag, element, emptyTag, openTag, textElement } from './xml-text.js';

const translated = (text: LocalizedText): string =>
  textElement('TranslatedText', text.da, { 'xml:lang': 'da' }) +
  textElement('TranslatedText', text.en, { 'xml:lang': 'en' });

const description = (text: LocalizedText | undefined): string =>
  text ? element('Description', {}, translated(text)) : '';

/** The ODM DataType of an item. */
export function odmDataType(formId: string, item: ItemDef, codeLists: ReadonlyMap<string, CodeListDef>): string {
  if (isPseudonymised(formId, item.id)) return 'partialDate';
  switch (item.type) {
    case 'integer':
      return 'integer';
    case 'decimal':
      return 'float';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'boolean':
      return 'boolean';
    case 'partial-date':
      return 'partialDate';
    case 'code':
      return item.multiple === true
        ? 'text'
        : codeLists.get(item.codeList)?.dataType === 'integer'
          ? 'integer'
          : 'text';
    default:
      return 'text';
  }
}

/** A valid SAS name (≤ 8 characters) for SDSVarName, or undefined. */
function sasName(s: string | undefined): string | undefined {
  return s !== undefined && /^[A-Za-z_][A-Za-z0-9_]{0,7}$/.test(s) ? s : undefined;
}

/** What the metadata of one protocol version for one viewer covers. */
export interface MetadataScope {
  readonly protocol: ProtocolDefinition;
  readonly forms: readonly FormDef[];
  readonly codeLists: ReadonlyMap<string, CodeListDef>;
  /** Visible items (non-repeating and repeating groups), by form. */
  visibleItems(form: FormDef, group: ItemGroupDef): ItemDef[];
}

/** The visible forms, groups and items of a protocol version for a viewer. */
export function metadataScope(viewer: ExportViewer, protocol: ProtocolDefinition): MetadataScope {
  const forms = protocol.forms.filter((f) => viewer.canSeeForm(protocol, f.id));
  return {
    protocol,
    forms,
    codeLists: new Map(protocol.codeLists.map((c) => [c.id, c])),
    visibleItems: (form, group) => group.items.filter((i) => viewer.canSeeItem(protocol, form.id, i.id)),
  };
}

/** Every unit the visible items use, by UCUM code. */
export function usedUnits(scopes: readonly MetadataScope[]): Map<string, Unit> {
  const units = new Map<string, Unit>();
  for (const s of scopes) {
    for (const f of s.forms) {
      for (const g of f.itemGroups) {
        for (const i of s.visibleItems(f, g)) {
          if ((i.type === 'integer' || i.type === 'decimal') && i.unit) units.set(i.unit.ucum, i.unit);
        }
      }
    }
  }
  return units;
}

/** `<BasicDefinitions>` with the measurement units. */
export function basicDefinitionsXml(units: ReadonlyMap<string, Unit>): string {
  if (units.size === 0) return '';
  let out = openTag('BasicDefinitions');
  for (const u of units.values()) {
    out += element(
      'MeasurementUnit',
      { OID: unitOid(u.ucum), Name: u.ucum },
      element('Symbol', {}, textElement('TranslatedText', u.display, { 'xml:lang': 'en' })),
    );
  }
  return out + closeTag('BasicDefinitions');
}

function rangeChecks(item: ItemDef): string {
  if (item.type !== 'integer' && item.type !== 'decimal') return '';
  const r = item.range;
  const check = (comparator: 'GE' | 'LE', value: number, softHard: 'Hard' | 'Soft'): string =>
    element('RangeCheck', { Comparator: comparator, SoftHard: softHard }, textElement('CheckValue', String(value)));
  let out = check('GE', r.hardMin, 'Hard') + check('LE', r.hardMax, 'Hard');
  if (r.softMin !== undefined) out += check('GE', r.softMin, 'Soft');
  if (r.softMax !== undefined) out += check('LE', r.softMax, 'Soft');
  return out;
}

function itemDefXml(scope: MetadataScope, form: FormDef, item: ItemDef): string {
  const dataType = odmDataType(form.id, item, scope.codeLists);
  const length = item.type === 'text' ? item.maxLength : undefined;
  const digits = item.type === 'decimal' ? item.precision : undefined;
  const comment = [
    isPseudonymised(form.id, item.id) ? 'Pseudonymised: year of birth only.' : undefined,
    item.type === 'code' && item.multiple === true
      ? `Multiple choice: codes of ${scope.codeLists.get(item.codeList)?.oid ?? item.codeList} separated by "${MULTIPLE_CHOICE_SEPARATOR}".`
      : undefined,
    item.type === 'file' ? 'Attachment reference: sha256:<content hash>.' : undefined,
    item.licensedTextKey
      ? `Validated wording is licensed; key ${item.licensedTextKey} in the site-installed translation file.`
      : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  let body = element('Question', {}, translated(item.label));
  if ((item.type === 'integer' || item.type === 'decimal') && item.unit) {
    body += emptyTag('MeasurementUnitRef', { MeasurementUnitOID: unitOid(item.unit.ucum) });
  }
  body += rangeChecks(item);
  if (item.type === 'code' && item.multiple !== true) {
    const cl = scope.codeLists.get(item.codeList);
    if (cl) body += emptyTag('CodeListRef', { CodeListOID: cl.oid });
  }
  const sdtm = item.sdtm ?? form.sdtm;
  if (sdtm) {
    const target =
      item.sdtm?.variable ?? (item.sdtm?.testCode ? `${sdtm.domain}TESTCD=${item.sdtm.testCode}` : undefined);
    body += emptyTag('Alias', { Context: 'SDTM', Name: target ? `${sdtm.domain}.${target}` : sdtm.domain });
  }
  for (const c of item.codes ?? []) {
    const context = c.system === 'http://loinc.org' ? 'LOINC' : c.system;
    body += emptyTag('Alias', { Context: context, Name: c.code });
  }
  return element(
    'ItemDef',
    {
      OID: itemOid(form, item.id),
      Name: item.id,
      DataType: dataType,
      Length: length,
      SignificantDigits: digits,
      SDSVarName: sasName(item.sdtm?.variable ?? item.sdtm?.testCode),
      Origin: item.derivation ? 'Derived' : 'CRF',
      Comment: comment || undefined,
    },
    body,
  );
}

function codeListXml(cl: CodeListDef): string {
  let body = '';
  cl.items.forEach((entry, i) => {
    body += element(
      'CodeListItem',
      { CodedValue: exportCode(cl.id, entry.code), OrderNumber: i + 1 },
      element('Decode', {}, translated(entry.label)),
    );
  });
  return element('CodeList', { OID: cl.oid, Name: cl.name.en, DataType: cl.dataType }, body);
}

/**
 * One `<MetaDataVersion>` as a list of XML pieces (each small; the caller writes them in turn).
 *
 * @param scope - the visible part of a protocol version
 */
export function metaDataVersionXml(scope: MetadataScope): string[] {
  const { protocol, forms } = scope;
  const visibleIds = new Set(forms.map((f) => f.id));
  const out: string[] = [];
  const effective = protocol.amendments.find((a) => a.version === protocol.version);
  out.push(
    openTag('MetaDataVersion', {
      OID: metaDataVersionOid(protocol.version),
      Name: `${protocol.study.acronym} protocol ${protocol.version}`,
      Description: effective ? `${effective.summary} Effective ${effective.effectiveDate}.` : undefined,
    }),
  );
  const logForms = forms.filter(isParticipantLevelForm);
  const events: {
    oid: string;
    name: LocalizedText;
    repeating: boolean;
    type: string;
    category: string;
    forms: string[];
  }[] = [
    ...protocol.visits.map((v) => ({
      oid: v.oid,
      name: v.name,
      repeating: v.repeat !== undefined,
      type: 'Scheduled',
      category: v.kind,
      forms: v.forms.filter((f) => visibleIds.has(f)),
    })),
  ];
  if (logForms.length > 0) {
    events.push({
      oid: LOG_EVENT.oid,
      name: { da: 'Deltagerniveau: logs og hændelser', en: 'Participant level: logs and events' },
      repeating: false,
      type: 'Common',
      category: 'participant_level',
      forms: logForms.map((f) => f.id),
    });
  }
  let protocolXml = element('Description', {}, translated(protocol.study.title));
  events.forEach(
    (e, i) =>
      (protocolXml += emptyTag('StudyEventRef', {
        StudyEventOID: e.oid,
        OrderNumber: i + 1,
        Mandatory: e.type === 'Scheduled' ? 'Yes' : 'No',
      })),
  );
  protocolXml += emptyTag('Alias', {
    Context: 'ClinicalTrials.gov',
    Name: protocol.study.registryIds.find((r) => r.registry === 'ClinicalTrials.gov')?.id ?? protocol.study.id,
  });
  out.push(element('Protocol', {}, protocolXml));
  const formById = new Map(forms.map((f) => [f.id, f]));
  for (const e of events) {
    let body = description(e.name);
    e.forms.forEach((fid, i) => {
      const f = formById.get(fid);
      if (f) {
        body += emptyTag('FormRef', {
          FormOID: f.oid,
          OrderNumber: i + 1,
          Mandatory: f.kind === 'scheduled' ? 'Yes' : 'No',
        });
      }
    });
    out.push(
      element(
        'StudyEventDef',
        { OID: e.oid, Name: e.name.en, Repeating: e.repeating ? 'Yes' : 'No', Type: e.type, Category: e.category },
        body,
      ),
    );
  }
  for (const f of forms) {
    let body = description(f.description ?? f.title);
    f.itemGroups
      .filter((g) => scope.visibleItems(f, g).length > 0)
      .forEach(
        (g, i) =>
          (body += emptyTag('ItemGroupRef', {
            ItemGroupOID: g.oid,
            OrderNumber: i + 1,
            Mandatory: g.items.some((it) => it.required === true) && g.repeating !== true ? 'Yes' : 'No',
          })),
      );
    if (f.sdtm) body += emptyTag('Alias', { Context: 'SDTM', Name: f.sdtm.domain });
    out.push(element('FormDef', { OID: f.oid, Name: f.title.en, Repeating: f.repeating ? 'Yes' : 'No' }, body));
  }
  for (const f of forms) {
    for (const g of f.itemGroups) {
      const items = scope.visibleItems(f, g);
      if (items.length === 0) continue;
      let body = description(g.name);
      items.forEach((it, i) => {
        body += emptyTag('ItemRef', {
          ItemOID: itemOid(f, it.id),
          OrderNumber: i + 1,
          Mandatory: it.required === true && it.showIf === undefined ? 'Yes' : 'No',
          MethodOID: it.derivation ? methodOid(it.derivation.method) : undefined,
        });
      });
      out.push(
        element(
          'ItemGroupDef',
          {
            OID: g.oid,
            Name: g.name.en,
            Repeating: g.repeating === true ? 'Yes' : 'No',
            Domain: (f.sdtm ?? g.items.find((x) => x.sdtm)?.sdtm)?.domain,
            Purpose: 'Tabulation',
          },
          body,
        ),
      );
    }
  }
  const usedCodeLists = new Set<string>();
  const methods = new Set<string>();
  for (const f of forms) {
    for (const g of f.itemGroups) {
      for (const it of scope.visibleItems(f, g)) {
        out.push(itemDefXml(scope, f, it));
        if (it.type === 'code') usedCodeLists.add(it.codeList);
        if (it.derivation) methods.add(it.derivation.method);
      }
    }
  }
  for (const cl of protocol.codeLists) if (usedCodeLists.has(cl.id)) out.push(codeListXml(cl));
  for (const m of methods) {
    const def = protocol.derivationMethods.find((d) => d.id === m);
    const text: LocalizedText = def?.description ?? {
      da: 'Sand/falsk: betingelsen i protokoldefinitionen evalueret på skemaets værdier',
      en: "True/false: the protocol definition's condition evaluated on the form's values",
    };
    out.push(
      element(
        'MethodDef',
        { OID: methodOid(m), Name: m, Type: 'Computation' },
        element('Description', {}, translated(text)),
      ),
    );
  }
  out.push(closeTag('MetaDataVersion'));
  return out;
}
