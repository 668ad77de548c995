/**
 * The CDISC ODM 1.3.2 export: one Snapshot file with the study metadata generated from the protocol
 * (every version), AdminData (staff user OIDs without names, sites) and the ClinicalData —
 * SubjectData per participant keyed by the study id (`SJ-001`), StudyEventData per visit (diary
 * days as repeats of SE.DIARY, logs under SE.LOG), FormData, ItemGroupData (repeating groups by
 * row) and ItemData, each value with the AuditRecord of the change that set it (staff user id,
 * site, time, reason, audit sequence number). The file is streamed participant page by page.
 */
import { randomUUID } from 'node:crypto';
import type { FormDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import { findForm, itemOid } from '../../core/protocol/protocol-queries.js';
import type { ItemDef } from '../../core/protocol/item-types.js';
import { stemjointRegistry } from '../../core/protocol/stemjoint-registry.js';
import type { Executor } from '../../storage/database.js';
import { auditForValue, readParticipantPages, type ClinicalRecord, type ExportParticipant } from './export-reader.js';
import type { ExportViewer } from './export-viewer.js';
import { basicDefinitionsXml, metadataScope, metaDataVersionXml, usedUnits } from './odm-metadata.js';
import { locationOid, metaDataVersionOid, ODM_NAMESPACE, studyEventOf, SYSTEM_USER_OID, userOid } from './odm-names.js';
import type { TextSink } from './output-target.js';
import type { ExportProgress } from './progress.js';
import { formatDerivedValue, formatItemValue } from './value-format.js';
import { closeTag, element, emptyTag, escapeAttr, openTag, textElement } from './xml-text.js';

/** Options of {@link writeOdm}. */
export interface OdmOptions {
  /** Metadata (and admin data) only, no ClinicalData. */
  readonly metadataOnly?: boolean;
  /** The file's creation time. */
  readonly now: Date;
  /** Software version written to SourceSystemVersion. */
  readonly sourceSystemVersion?: string;
  readonly progress?: ExportProgress;
  /** Kit → arm (unblinded exports only; ODM does not carry arms, but the reader wants it consistent). */
  readonly kitArms?: ReadonlyMap<string, string>;
  readonly pageSize?: number;
}

/** What was written. */
export interface OdmSummary {
  readonly participants: number;
  readonly values: number;
}

const VALUE_OPTIONS = { booleans: 'word' } as const;

function itemDataXml(
  record: ClinicalRecord,
  form: FormDef,
  item: ItemDef,
  value: string,
  path: string,
  siteLocation: string,
): string {
  const a = auditForValue(record, path, item.id);
  const audit = a
    ? element(
        'AuditRecord',
        { EditPoint: 'DBAudit' },
        emptyTag('UserRef', { UserOID: userOid(a.userId) }) +
          emptyTag('LocationRef', { LocationOID: siteLocation }) +
          textElement('DateTimeStamp', a.at) +
          (a.reason ? textElement('ReasonForChange', a.reason) : '') +
          textElement('SourceID', `audit_log.seq=${a.seq}`),
      )
    : element(
        'AuditRecord',
        { EditPoint: 'DBAudit' },
        emptyTag('UserRef', { UserOID: SYSTEM_USER_OID }) +
          emptyTag('LocationRef', { LocationOID: siteLocation }) +
          textElement('DateTimeStamp', record.updatedAt),
      );
  return `<ItemData ItemOID="${escapeAttr(itemOid(form, item.id))}" Value="${escapeAttr(value)}">${audit}</ItemData>`;
}

/** The FormData of one record (empty string when no value is visible). */
function formDataXml(record: ClinicalRecord, form: FormDef, siteLocation: string, counter: { values: number }): string {
  let groups = '';
  for (const group of form.itemGroups) {
    if (group.repeating === true) {
      const rows = record.values[group.id];
      if (!Array.isArray(rows)) continue;
      rows.forEach((row: Record<string, unknown>, i) => {
        let items = '';
        for (const item of group.items) {
          const text = formatItemValue(form.id, item, row[item.id], VALUE_OPTIONS);
          if (text === null) continue;
          items += itemDataXml(record, form, item, text, `${group.id}[${i}].${item.id}`, siteLocation);
          counter.values += 1;
        }
        if (items) groups += element('ItemGroupData', { ItemGroupOID: group.oid, ItemGroupRepeatKey: i + 1 }, items);
      });
      continue;
    }
    let items = '';
    for (const item of group.items) {
      const text = item.derivation
        ? formatDerivedValue(item, record.derived[item.id], VALUE_OPTIONS)
        : formatItemValue(form.id, item, record.values[item.id], VALUE_OPTIONS);
      if (text === null) continue;
      items += itemDataXml(record, form, item, text, item.id, siteLocation);
      counter.values += 1;
    }
    if (items) groups += element('ItemGroupData', { ItemGroupOID: group.oid }, items);
  }
  if (!groups) return '';
  return element(
    'FormData',
    { FormOID: form.oid, FormRepeatKey: form.repeating ? record.repeatNo : undefined },
    groups,
  );
}

/** The SubjectData of one participant for one protocol version (empty string when it has no data). */
function subjectXml(p: ExportParticipant, protocol: ProtocolDefinition, counter: { values: number }): string {
  const site = locationOid(p.siteCode);
  let events = '';
  let key = '';
  let attrs: Record<string, string | undefined> = {};
  let forms = '';
  for (const record of p.records) {
    if (record.protocolVersion !== protocol.version) continue;
    const form = findForm(protocol, record.formId);
    const event = studyEventOf(protocol, record.visitCode);
    if (!form || !event) continue;
    const next = `${event.oid}#${event.repeatKey ?? ''}`;
    if (next !== key) {
      if (forms) events += element('StudyEventData', attrs, forms);
      key = next;
      attrs = { StudyEventOID: event.oid, StudyEventRepeatKey: event.repeatKey };
      forms = '';
    }
    forms += formDataXml(record, form, site, counter);
  }
  if (forms) events += element('StudyEventData', attrs, forms);
  if (!events) return '';
  return element('SubjectData', { SubjectKey: p.studyId }, emptyTag('SiteRef', { LocationOID: site }) + events);
}

/**
 * Writes the ODM file to a sink (the caller ends it).
 *
 * @param db - read-only use
 * @param viewer - what the export may contain
 * @param sink - where the XML goes
 * @param options - metadata only, time, progress
 */
export async function writeOdm(
  db: Executor,
  viewer: ExportViewer,
  sink: TextSink,
  options: OdmOptions,
): Promise<OdmSummary> {
  const registry = stemjointRegistry();
  const protocols = registry.versions.map((v) => registry.getProtocol(v));
  const current = registry.currentProtocol;
  const scopes = protocols.map((p) => metadataScope(viewer, p));
  const study = current.study;
  await sink.write('<?xml version="1.0" encoding="UTF-8"?>\n');
  await sink.write(
    openTag('ODM', {
      xmlns: ODM_NAMESPACE,
      Description: `${study.acronym} ${viewer.unblinded ? 'unblinded (by-arm)' : 'blinded'} export; participants pseudonymised by study id`,
      FileType: 'Snapshot',
      Granularity: options.metadataOnly ? 'Metadata' : 'All',
      FileOID: `${study.id}.${randomUUID()}`,
      CreationDateTime: options.now.toISOString(),
      ODMVersion: '1.3.2',
      Originator: study.sponsor,
      SourceSystem: 'STEMJOINT trial platform',
      SourceSystemVersion: options.sourceSystemVersion ?? '0.1.0',
    }) + '\n',
  );
  // Study and metadata.
  let studyXml = openTag('Study', { OID: study.oid });
  studyXml += element(
    'GlobalVariables',
    {},
    textElement('StudyName', study.acronym) +
      textElement('StudyDescription', study.title.en) +
      textElement('ProtocolName', `${study.id} (${study.registryIds.map((r) => r.id).join(', ')})`),
  );
  studyXml += basicDefinitionsXml(usedUnits(scopes));
  await sink.write(studyXml + '\n');
  for (const scope of scopes) for (const piece of metaDataVersionXml(scope)) await sink.write(piece + '\n');
  await sink.write(closeTag('Study') + '\n');

  // Admin data: staff as opaque user OIDs (no names, no e-mail), sites as locations.
  let admin = openTag('AdminData', { StudyOID: study.oid });
  const users = await db.selectFrom('users').select('id').orderBy('id').execute();
  admin += emptyTag('User', { OID: SYSTEM_USER_OID, UserType: 'Other' });
  for (const u of users) admin += emptyTag('User', { OID: userOid(u.id), UserType: 'Other' });
  const sites = await db.selectFrom('sites').select(['code', 'name']).orderBy('code').execute();
  for (const s of sites) {
    let refs = '';
    for (const p of protocols) {
      const effective = p.amendments.find((a) => a.version === p.version)?.effectiveDate ?? '2023-01-01';
      refs += emptyTag('MetaDataVersionRef', {
        StudyOID: study.oid,
        MetaDataVersionOID: metaDataVersionOid(p.version),
        EffectiveDate: effective,
      });
    }
    admin += element('Location', { OID: locationOid(s.code), Name: s.name, LocationType: 'Site' }, refs);
  }
  admin += closeTag('AdminData');
  await sink.write(admin + '\n');

  const counter = { participants: 0, values: 0 };
  if (!options.metadataOnly) {
    // One ClinicalData per protocol version; a study with one version is read once.
    for (const protocol of protocols) {
      await sink.write(
        openTag('ClinicalData', { StudyOID: study.oid, MetaDataVersionOID: metaDataVersionOid(protocol.version) }) +
          '\n',
      );
      for await (const page of readParticipantPages(db, viewer, current, {
        withAudit: true,
        ...(options.kitArms ? { kitArms: options.kitArms } : {}),
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      })) {
        for (const p of page) {
          const xml = subjectXml(p, protocol, counter);
          if (xml) await sink.write(xml + '\n');
          if (protocol === current) counter.participants += 1;
        }
        options.progress?.advance(page.length);
      }
      await sink.write(closeTag('ClinicalData') + '\n');
    }
  }
  await sink.write(closeTag('ODM') + '\n');
  return { participants: counter.participants, values: counter.values };
}
