/**
 * `stemjoint import odm`: reads the ClinicalData of an ODM 1.3.2 file into this study, all or
 * nothing. Every value is checked first — the file's structure and OIDs against the protocol
 * version it names, each value's type, then the eCRF edit checks of the whole form (limits, code
 * lists, patterns, conditions, required items) exactly as a submission would — and every rejected
 * value is reported with its subject, event, form, item OID and reason. Only a file without a single
 * rejected value is written, in one transaction, with an audit record per form instance (the same
 * shape as an eCRF submission, so item histories show the import), per registered subject and one
 * for the import with the file's SHA-256.
 *
 * The injection and adverse events live outside the eCRF: they are checked and written through
 * their modules' rules (`odm-import-managed.ts`). What is not imported (reported as skipped, never
 * silently): the other product-chain forms, and derived items, which are recomputed. A form instance that already exists with the same values is left unchanged; one with
 * different values is rejected (corrections go through the eCRF with a reason). Subjects unknown to
 * this database are rejected unless `createSubjects` registers them (a migration or a fresh
 * database); they get a screening record from the file's screening form and no identity.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { can } from '../../core/authorization.js';
import { changesAsRecords, diffFormValues, jsonEqual } from '../../core/ecrf/diff-form-values.js';
import { deriveFormValues } from '../../core/ecrf/derive-form-values.js';
import { indexForm, isPlainObject } from '../../core/ecrf/form-index.js';
import type { CrossFormLookup } from '../../core/ecrf/form-scope.js';
import { validateFormData } from '../../core/ecrf/validate-form-data.js';
import { forbidden, type FieldIssue } from '../../core/errors.js';
import type { ItemRef } from '../../core/protocol/condition.js';
import type { FormDef, ItemGroupDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import type { ItemDef } from '../../core/protocol/item-types.js';
import { itemOid, resolveVisit } from '../../core/protocol/protocol-queries.js';
import { stemjointRegistry } from '../../core/protocol/stemjoint-registry.js';
import { computeBmi } from '../../core/scoring/compute-bmi.js';
import type { Executor, Tx } from '../../storage/database.js';
import { actorSites } from '../access.js';
import { runCommand } from '../command.js';
import { actorLabel, type Actor, type ServiceContext } from '../context.js';
import { itemVisibilityFor } from '../ecrf-blinding.js';
import { EXTERNALLY_MANAGED_FORMS, PARTICIPANT_LEVEL } from '../ecrf-store.js';
import { copenhagenDateOfInstant } from './export-dates.js';
import { isParticipantLevelForm, LOG_EVENT, visitCodeOf } from './odm-names.js';
import {
  managedItemOid,
  MODULE_IMPORTED_FORMS,
  planAdministration,
  planAdverseEvent,
  sameAdverseEvent,
  storedAeValues,
  writeAdministration,
  writeAdverseEvent,
  type PlannedAdministration,
  type PlannedAdverseEvent,
} from './odm-import-managed.js';
import { isPseudonymised, parseItemValue } from './value-format.js';

/** One value (or element) that was rejected or skipped, and why. */
export interface ImportIssue {
  readonly subject?: string;
  readonly event?: string;
  readonly form?: string;
  readonly itemOid?: string;
  readonly reason: string;
}

/** What an import did, or would have done. */
export interface ImportReport {
  readonly file: string;
  readonly sha256: string;
  readonly dryRun: boolean;
  /** Subjects in the file. */
  readonly subjects: number;
  readonly subjectsCreated: number;
  readonly instancesCreated: number;
  readonly valuesImported: number;
  /** Form instances that already held exactly these values. */
  readonly unchanged: number;
  /** When non-empty, nothing was imported. */
  readonly rejected: ImportIssue[];
  readonly skipped: ImportIssue[];
}

/** Options of an import. */
export interface ImportOptions {
  /** Register subjects the database does not know (fresh database, migration). */
  readonly createSubjects?: boolean;
  /** Check and report only. */
  readonly dryRun?: boolean;
}

type XmlNode = Record<string, unknown>;

const ARRAY_TAGS = new Set([
  'ClinicalData',
  'SubjectData',
  'StudyEventData',
  'FormData',
  'ItemGroupData',
  'ItemData',
  'Study',
  'MetaDataVersion',
]);
const MAX_REPORTED = 10_000;

/** Decodes the five predefined entities and character references in one pass (no double decoding). */
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (m, e: string) => {
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

const attr = (node: XmlNode, name: string): string | undefined => {
  const v = node[`@_${name}`];
  return typeof v === 'string' ? decodeEntities(v) : undefined;
};
const children = (node: XmlNode, name: string): XmlNode[] => {
  const v = node[name];
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as XmlNode[]) : [];
};

/** A form instance the file holds, after parsing. */
interface PlannedInstance {
  subject: string;
  eventOid: string;
  visitCode: string | null;
  form: FormDef;
  protocol: ProtocolDefinition;
  repeatNo: number;
  values: Record<string, unknown>;
  /** Derived values given in the file (compared, never stored as given). */
  givenDerived: Record<string, unknown>;
  valueCount: number;
  normalized?: Record<string, unknown>;
  derived?: Record<string, boolean | number | null>;
  warnings?: FieldIssue[];
  /** An injection or adverse event, checked by its module's rules and ready to write. */
  administration?: PlannedAdministration;
  adverseEvent?: PlannedAdverseEvent;
}

interface PlannedSubject {
  key: string;
  siteCode: string | undefined;
  participantId: string | null;
  status: string | null;
  withdrawalScope: string | null;
  siteId: string | null;
  instances: PlannedInstance[];
  /** Injection and adverse events: written through their modules, not as eCRF instances. */
  managed: PlannedInstance[];
  screening: PlannedInstance | null;
  /** Day 0 from the file's (not imported) injection record, for derivations of new subjects. */
  fileDay0: string | null;
}

function itemOfGroup(form: FormDef, group: ItemGroupDef, oid: string): ItemDef | undefined {
  return group.items.find((i) => itemOid(form, i.id) === oid);
}

/** The item OID of a validation issue path (`values.item` or `values.group[i].item`). */
function oidOfPath(form: FormDef, path: string): string | undefined {
  const m = /^values\.(?:[a-z0-9_]+\[\d+\]\.)?([A-Za-z0-9_]+)$/.exec(path);
  return m?.[1] ? itemOid(form, m[1]) : undefined;
}

function readStored(form: FormDef, values: Record<string, unknown> | undefined, itemId: string): unknown {
  if (values === undefined) return undefined;
  const entry = indexForm(form).items.get(itemId);
  if (entry === undefined) return undefined;
  if (!entry.inRepeatingGroup) return values[itemId];
  const rows = values[entry.group.id];
  return Array.isArray(rows) ? rows.map((r: unknown) => (isPlainObject(r) ? (r[itemId] ?? null) : null)) : undefined;
}

/**
 * Imports an ODM file from disk.
 *
 * @param ctx - the service context
 * @param actor - who imports (a data manager, or the operator); audited
 * @param path - the ODM XML file
 * @param options - create subjects, dry run
 */
export async function importOdmFile(
  ctx: ServiceContext,
  actor: Actor,
  path: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (e) {
    return emptyReport(basename(path), '', options, [{ reason: `cannot read ${path}: ${(e as Error).message}` }]);
  }
  return importOdmText(ctx, actor, buffer.toString('utf8'), {
    ...options,
    fileName: basename(path),
    sha256: createHash('sha256').update(buffer).digest('hex'),
  });
}

function emptyReport(file: string, sha256: string, options: ImportOptions, rejected: ImportIssue[]): ImportReport {
  return {
    file,
    sha256,
    dryRun: options.dryRun === true,
    subjects: 0,
    subjectsCreated: 0,
    instancesCreated: 0,
    valuesImported: 0,
    unchanged: 0,
    rejected,
    skipped: [],
  };
}

/**
 * Imports ODM text (the HTTP upload and the file command both end here).
 *
 * @param ctx - the service context
 * @param actor - who imports; audited
 * @param xml - the file's text
 * @param options - create subjects, dry run, the file's name and hash for the audit trail
 */
export async function importOdmText(
  ctx: ServiceContext,
  actor: Actor,
  xml: string,
  options: ImportOptions & { fileName?: string; sha256?: string } = {},
): Promise<ImportReport> {
  if (actor.kind === 'user' && !can(actor.roles, 'export.import')) throw forbidden('ODM imports are for data managers');
  const file = options.fileName ?? 'upload.xml';
  const sha256 = options.sha256 ?? createHash('sha256').update(xml, 'utf8').digest('hex');
  const fail = (reason: string): ImportReport => emptyReport(file, sha256, options, [{ reason }]);

  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    return fail(
      `not well-formed XML (line ${wellFormed.err.line}, column ${wellFormed.err.col}): ${wellFormed.err.msg}`,
    );
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    isArray: (name) => ARRAY_TAGS.has(name),
  });
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (e) {
    return fail(`not readable XML: ${(e as Error).message}`);
  }
  const odm = doc.ODM;
  if (typeof odm !== 'object' || odm === null) return fail('the root element is not <ODM> (CDISC ODM 1.3)');
  const root = odm as XmlNode;
  const version = attr(root, 'ODMVersion');
  if (version !== undefined && !version.startsWith('1.3')) {
    return fail(`ODMVersion ${version} is not supported (1.3.x only)`);
  }
  if (attr(root, 'FileType') === 'Transactional') {
    return fail('Transactional ODM files are not supported; export a Snapshot');
  }
  const clinical = children(root, 'ClinicalData');
  if (clinical.length === 0) return fail('the file has no <ClinicalData> (a metadata-only file cannot be imported)');

  const registry = stemjointRegistry();
  const current = registry.currentProtocol;
  const db = ctx.database.db;
  const rejected: ImportIssue[] = [];
  const skipped: ImportIssue[] = [];
  const reject = (issue: ImportIssue): void => {
    if (rejected.length < MAX_REPORTED) rejected.push(issue);
  };
  const visibility = await itemVisibilityFor(db, actor);
  const sites = await db.selectFrom('sites').select(['id', 'code']).execute();
  const allowedSites = actor.kind === 'user' ? actorSites(actor, 'export.import') : 'all';
  const subjects = new Map<string, PlannedSubject>();
  const existingSlots = new Set<string>();

  for (const cd of clinical) {
    const studyOid = attr(cd, 'StudyOID');
    if (studyOid !== current.study.oid) {
      reject({ reason: `ClinicalData StudyOID ${studyOid ?? '(none)'} is not this study (${current.study.oid})` });
      continue;
    }
    const mdv = attr(cd, 'MetaDataVersionOID') ?? '';
    const pv = registry.versions.find((v) => `MDV.${v}` === mdv);
    if (pv === undefined) {
      reject({
        reason: `MetaDataVersionOID ${mdv || '(none)'} is not a protocol version of this study (${registry.versions.map((v) => `MDV.${v}`).join(', ')})`,
      });
      continue;
    }
    const protocol: ProtocolDefinition = registry.getProtocol(pv);
    const formsByOid = new Map<string, FormDef>(protocol.forms.map((f) => [f.oid, f]));
    for (const sd of children(cd, 'SubjectData')) {
      const key = attr(sd, 'SubjectKey') ?? '';
      if (!/^SJ-\d{3,6}$/.test(key)) {
        reject({ subject: key || undefined, reason: `SubjectKey "${key}" is not a study id (SJ-001 …)` });
        continue;
      }
      const tt = attr(sd, 'TransactionType');
      if (tt === 'Remove' || tt === 'Context') {
        reject({ subject: key, reason: `TransactionType ${tt} is not supported; data are never deleted by import` });
        continue;
      }
      let subject = subjects.get(key);
      if (!subject) {
        const siteRef =
          children(sd, 'SiteRef')[0] ??
          (typeof sd.SiteRef === 'object' && sd.SiteRef !== null ? (sd.SiteRef as XmlNode) : undefined);
        const siteOid = siteRef ? attr(siteRef, 'LocationOID') : undefined;
        subject = {
          key,
          siteCode: siteOid?.replace(/^LOC\./, ''),
          participantId: null,
          status: null,
          withdrawalScope: null,
          siteId: null,
          instances: [],
          managed: [],
          screening: null,
          fileDay0: null,
        };
        subjects.set(key, subject);
      }
      for (const se of children(sd, 'StudyEventData')) {
        const eventOid = attr(se, 'StudyEventOID') ?? '';
        const resolved = visitCodeOf(protocol, eventOid, attr(se, 'StudyEventRepeatKey'));
        if (!resolved.ok) {
          reject({ subject: key, event: eventOid, reason: resolved.message });
          continue;
        }
        const visitCode = resolved.visitCode;
        for (const fd of children(se, 'FormData')) {
          const formOid = attr(fd, 'FormOID') ?? '';
          const form = formsByOid.get(formOid);
          const where = { subject: key, event: eventOid, form: formOid };
          if (!form) {
            reject({ ...where, reason: `unknown FormOID ${formOid} in protocol ${protocol.version}` });
            continue;
          }
          const managedBy =
            form.id === 'screening'
              ? undefined
              : form.kind === 'product_chain'
                ? 'product_chain'
                : EXTERNALLY_MANAGED_FORMS[form.id];
          if (managedBy !== undefined && !MODULE_IMPORTED_FORMS.has(form.id)) {
            const by =
              managedBy === 'safety'
                ? 'the safety module (stemjoint safety / the AE pages)'
                : managedBy === 'screening'
                  ? 'the screening log'
                  : 'the cell-product chain';
            skipped.push({ ...where, reason: `not imported: ${form.title.en} is recorded through ${by}` });
            continue;
          }
          if (
            visitCode === null
              ? !isParticipantLevelForm(form)
              : isParticipantLevelForm(form) ||
                !(resolveVisit(protocol, visitCode)?.visit.forms.includes(form.id) ?? false)
          ) {
            reject({
              ...where,
              reason:
                visitCode === null
                  ? `${formOid} belongs to a visit, not to ${LOG_EVENT.oid}`
                  : `${formOid} is not collected at ${eventOid}`,
            });
            continue;
          }
          const repeatKey = attr(fd, 'FormRepeatKey');
          const repeatNo = repeatKey === undefined ? 1 : Number(repeatKey);
          if (!Number.isInteger(repeatNo) || repeatNo < 1 || (!form.repeating && repeatNo !== 1)) {
            reject({
              ...where,
              reason:
                `FormRepeatKey "${repeatKey}" must be 1, 2, … ${form.repeating ? '' : '(and 1 for a form that does not repeat)'}`.trim(),
            });
            continue;
          }
          const instance: PlannedInstance = {
            subject: key,
            eventOid,
            visitCode,
            form,
            protocol,
            repeatNo,
            values: {},
            givenDerived: {},
            valueCount: 0,
          };
          const groupRows = new Map<string, Map<number, Record<string, unknown>>>();
          for (const igd of children(fd, 'ItemGroupData')) {
            const groupOid = attr(igd, 'ItemGroupOID') ?? '';
            const group = form.itemGroups.find((g) => g.oid === groupOid);
            if (!group) {
              reject({ ...where, reason: `ItemGroupOID ${groupOid} is not part of ${formOid}` });
              continue;
            }
            let target: Record<string, unknown> = instance.values;
            if (group.repeating === true) {
              const rk = Number(attr(igd, 'ItemGroupRepeatKey') ?? '1');
              if (!Number.isInteger(rk) || rk < 1) {
                reject({ ...where, reason: `ItemGroupRepeatKey of ${groupOid} must be 1, 2, …` });
                continue;
              }
              const rows = groupRows.get(group.id) ?? new Map<number, Record<string, unknown>>();
              groupRows.set(group.id, rows);
              target = rows.get(rk) ?? {};
              rows.set(rk, target);
            }
            for (const id of children(igd, 'ItemData')) {
              const oid = attr(id, 'ItemOID') ?? '';
              const item = itemOfGroup(form, group, oid);
              if (!item) {
                reject({ ...where, itemOid: oid, reason: `ItemOID ${oid} is not part of ${groupOid}` });
                continue;
              }
              if (attr(id, 'IsNull') === 'Yes') continue;
              const text = attr(id, 'Value');
              if (text === undefined) {
                reject({
                  ...where,
                  itemOid: oid,
                  reason: 'ItemData has no Value (use IsNull="Yes" for an empty value)',
                });
                continue;
              }
              if (item.derivation) {
                instance.givenDerived[item.id] = text;
                continue;
              }
              if (!visibility.canSee(protocol, form.id, item.id)) {
                reject({
                  ...where,
                  itemOid: oid,
                  reason: 'this potentially unblinding item may not be entered by a blinded role',
                });
                continue;
              }
              if (isPseudonymised(form.id, item.id)) {
                // Exports carry the year of birth only; it is kept on the participant, not as a date.
                target[item.id] = text.slice(0, 4);
                continue;
              }
              const parsed = parseItemValue(protocol, item, text);
              if (!parsed.ok) {
                reject({ ...where, itemOid: oid, reason: parsed.message });
                continue;
              }
              if (target[item.id] !== undefined) {
                reject({ ...where, itemOid: oid, reason: 'the item appears twice in the same item group' });
                continue;
              }
              target[item.id] = parsed.value;
              instance.valueCount += 1;
            }
          }
          for (const [groupId, rows] of groupRows) {
            instance.values[groupId] = [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
          }
          const slot = `${key}|${visitCode ?? ''}|${form.id}|${repeatNo}`;
          if (existingSlots.has(slot)) {
            reject({ ...where, reason: `the file holds ${formOid} at ${eventOid} (repeat ${repeatNo}) twice` });
            continue;
          }
          existingSlots.add(slot);
          if (form.id === 'screening') subject.screening = instance;
          else if (MODULE_IMPORTED_FORMS.has(form.id)) subject.managed.push(instance);
          else subject.instances.push(instance);
          const at = form.id === 'administration' ? instance.values.administration_datetime : undefined;
          if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) subject.fileDay0 = copenhagenDateOfInstant(at);
        }
      }
    }
  }

  // The subjects against the database.
  for (const s of subjects.values()) {
    const p = await db
      .selectFrom('participants')
      .select(['id', 'site_id', 'status', 'withdrawal_scope'])
      .where('study_id', '=', s.key)
      .executeTakeFirst();
    if (p) {
      s.participantId = p.id;
      s.siteId = p.site_id;
      s.status = p.status;
      s.withdrawalScope = p.withdrawal_scope;
    } else if (!options.createSubjects) {
      reject({
        subject: s.key,
        reason: `${s.key} is not enrolled in this study (use --create-subjects to register the file's subjects)`,
      });
      continue;
    } else {
      const site = s.siteCode ? sites.find((x) => x.code === s.siteCode) : sites[0];
      if (!site) {
        reject({ subject: s.key, reason: `site ${s.siteCode} of ${s.key} does not exist in this database` });
        continue;
      }
      s.siteId = site.id;
    }
    if (allowedSites !== 'all' && s.siteId !== null && !allowedSites.includes(s.siteId)) {
      reject({ subject: s.key, reason: 'the subject belongs to a site you have no access to' });
    }
    if (s.participantId !== null) {
      const casebook = await db
        .selectFrom('casebooks')
        .select('locked')
        .where('participant_id', '=', s.participantId)
        .executeTakeFirst();
      if (casebook?.locked === 1) reject({ subject: s.key, reason: `the casebook of ${s.key} is locked` });
      if (s.screening) await compareScreening(db, s, reject);
    }
  }

  // Every instance through the eCRF edit checks, with derived values recomputed.
  let unchanged = 0;
  for (const s of subjects.values()) {
    if (s.screening && s.participantId === null) {
      const { date_of_birth: _year, ...rest } = s.screening.values;
      const v = validateFormData(s.screening.form, s.screening.protocol, rest, { mode: 'draft', visitCode: 'SCR' });
      for (const e of v.errors) {
        reject({
          subject: s.key,
          event: 'SE.SCR',
          form: s.screening.form.oid,
          itemOid: oidOfPath(s.screening.form, e.path),
          reason: `${e.path.replace(/^values\./, '')}: ${e.message}`,
        });
      }
    }
    for (const inst of s.instances) {
      const where = { subject: s.key, event: inst.eventOid, form: inst.form.oid };
      if (
        s.participantId !== null &&
        s.status === 'withdrawn' &&
        inst.form.id !== 'end_of_study' &&
        (s.withdrawalScope === 'no_further_data' || s.withdrawalScope === 'no_further_contact')
      ) {
        reject({ ...where, reason: `${s.key} withdrew consent to further data collection` });
        continue;
      }
      const lookup = await buildLookup(db, s, inst);
      // Potentially unblinding items are entered by the unblinded laboratory, often after the site
      // submitted the form: as in the eCRF, they are never required of a submission.
      const flagged = new Set(
        inst.form.itemGroups.flatMap((g) => g.items.filter((i) => i.blinding !== undefined).map((i) => i.id)),
      );
      const validation = validateFormData(inst.form, inst.protocol, inst.values, {
        mode: 'submit',
        visitCode: inst.visitCode,
        lookup,
        unenterable: flagged,
      });
      for (const e of validation.errors) {
        reject({
          ...where,
          itemOid: oidOfPath(inst.form, e.path),
          reason: `${e.path.replace(/^values\./, '')}: ${e.message}`,
        });
      }
      for (const w of validation.warnings.filter((x) => x.code === 'cleared_hidden')) {
        reject({
          ...where,
          itemOid: oidOfPath(inst.form, w.path),
          reason: `${w.path.replace(/^values\./, '')}: a value for an item that does not apply with the other answers`,
        });
      }
      if (validation.errors.length > 0) continue;
      inst.normalized = validation.normalized;
      const derived = deriveFormValues(inst.form, validation.normalized, { visitCode: inst.visitCode, lookup });
      inst.derived = derived.values;
      inst.warnings = [...validation.warnings, ...derived.warnings];
      for (const [itemId, given] of Object.entries(inst.givenDerived)) {
        const ours = derived.values[itemId];
        const same =
          ours === null || ours === undefined
            ? false
            : typeof ours === 'number'
              ? Math.abs(Number(given) - ours) <= 1e-9 * Math.max(1, Math.abs(ours))
              : String(ours) === given;
        if (!same) {
          skipped.push({
            ...where,
            itemOid: itemOid(inst.form, itemId),
            reason: `derived value ${given} in the file differs from the recomputed ${ours === undefined ? 'null' : String(ours)}; the recomputed value is stored`,
          });
        }
      }
      if (s.participantId !== null) {
        const existing = await db
          .selectFrom('form_instances')
          .select(['values_json', 'status'])
          .where('participant_id', '=', s.participantId)
          .where('visit_code', '=', inst.visitCode ?? PARTICIPANT_LEVEL)
          .where('form_id', '=', inst.form.id)
          .where('repeat_no', '=', inst.repeatNo)
          .executeTakeFirst();
        if (existing) {
          if (existing.status === 'submitted' && jsonEqual(JSON.parse(existing.values_json), validation.normalized)) {
            unchanged += 1;
            inst.normalized = undefined;
            continue;
          }
          reject({
            ...where,
            reason: `${s.key} already has ${existing.status === 'draft' ? 'a draft of' : 'different data in'} ${inst.form.oid} at ${inst.eventOid}${inst.repeatNo > 1 ? ` (repeat ${inst.repeatNo})` : ''}; corrections go through the eCRF with a reason`,
          });
        }
      }
    }
  }

  // Injection and adverse events, by their modules' rules.
  const today = copenhagenDateOfInstant(ctx.now().toISOString());
  for (const s of subjects.values()) {
    if (s.managed.length === 0) continue;
    const storedAes = s.participantId === null ? [] : await storedAeValues(db, s.participantId);
    let day0 = s.fileDay0;
    if (s.participantId !== null) {
      const a = await db
        .selectFrom('administrations')
        .select('day0')
        .where('participant_id', '=', s.participantId)
        .executeTakeFirst();
      day0 = a?.day0 ?? day0;
    }
    for (const inst of s.managed) {
      const where = { subject: s.key, event: inst.eventOid, form: inst.form.oid };
      if (
        s.status === 'withdrawn' &&
        inst.form.id === 'administration' &&
        (s.withdrawalScope === 'no_further_data' || s.withdrawalScope === 'no_further_contact')
      ) {
        reject({ ...where, reason: `${s.key} withdrew consent to further data collection` });
        continue;
      }
      const stored = inst.form.id === 'adverse_event' ? storedAes[inst.repeatNo - 1] : undefined;
      if (stored !== undefined) {
        if (sameAdverseEvent(inst.form, stored, inst.values)) unchanged += 1;
        else {
          reject({
            ...where,
            reason: `${s.key} already has different data in adverse event ${inst.repeatNo}; corrections go through the safety module with a reason`,
          });
        }
        continue;
      }
      const plan =
        inst.form.id === 'administration'
          ? await planAdministration(db, s.participantId, inst.form, inst.values)
          : planAdverseEvent(inst.form, inst.values, { today, day0 });
      if (plan === 'unchanged') unchanged += 1;
      else if (Array.isArray(plan)) {
        for (const issue of plan) {
          reject({ ...where, itemOid: managedItemOid(inst.form, issue.itemId), reason: issue.reason });
        }
      } else if ('kit' in plan) inst.administration = plan;
      else inst.adverseEvent = plan;
    }
    // Adverse events are numbered as they are written: in the file's order.
    s.managed.sort((a, b) => a.repeatNo - b.repeatNo);
  }

  // One line per subject, form and reason, however many instances it covers.
  const grouped = new Map<string, { issue: ImportIssue; count: number }>();
  for (const issue of skipped) {
    const key = `${issue.subject ?? ''}|${issue.form ?? ''}|${issue.itemOid ?? ''}|${issue.reason}`;
    const g = grouped.get(key);
    if (g) g.count += 1;
    else grouped.set(key, { issue, count: 1 });
  }
  skipped.length = 0;
  for (const { issue, count } of grouped.values()) {
    skipped.push(count > 1 ? { ...issue, reason: `${issue.reason} (${count} instances)` } : issue);
  }

  const toWrite = [...subjects.values()].flatMap((s) => [
    ...s.instances.filter((i) => i.normalized !== undefined),
    ...s.managed.filter((i) => i.administration !== undefined || i.adverseEvent !== undefined),
  ]);
  const created = [...subjects.values()].filter((s) => s.participantId === null);
  const report: ImportReport = {
    file,
    sha256,
    dryRun: options.dryRun === true,
    subjects: subjects.size,
    subjectsCreated: rejected.length === 0 ? created.length : 0,
    instancesCreated: rejected.length === 0 ? toWrite.length : 0,
    valuesImported:
      rejected.length === 0
        ? toWrite.reduce((n, i) => n + i.valueCount, 0) +
          created.reduce((n, s) => n + (s.screening?.valueCount ?? 0), 0)
        : 0,
    unchanged,
    rejected,
    skipped,
  };
  if (rejected.length > 0 || options.dryRun) return report;
  if (toWrite.length === 0 && created.length === 0) return report;
  await writeImport(ctx, actor, [...subjects.values()], current, { file, sha256 });
  return report;
}

/** Screening values of an existing subject must match what the screening log holds. */
async function compareScreening(db: Executor, s: PlannedSubject, reject: (i: ImportIssue) => void): Promise<void> {
  const row = await db
    .selectFrom('participants')
    .innerJoin('screenings', 'screenings.id', 'participants.screening_id')
    .select(['screenings.data_json', 'participants.year_of_birth'])
    .where('participants.id', '=', s.participantId!)
    .executeTakeFirst();
  const stored = row ? (JSON.parse(row.data_json) as Record<string, unknown>) : {};
  const given = s.screening!.values;
  for (const [itemId, value] of Object.entries(given)) {
    // Files carry the year of birth only; compare it with the year the database holds.
    const year =
      typeof stored.date_of_birth === 'string'
        ? stored.date_of_birth.slice(0, 4)
        : row?.year_of_birth != null
          ? String(row.year_of_birth)
          : undefined;
    const have = itemId === 'date_of_birth' ? year : stored[itemId];
    if (!jsonEqual(have ?? null, value)) {
      reject({
        subject: s.key,
        event: 'SE.SCR',
        form: 'F.SCREENING',
        itemOid: itemOid(s.screening!.form, itemId),
        reason: 'differs from the screening log; screening data change through the screening pages, not by import',
      });
    }
  }
}

/** Cross-form inputs of derivations and conditions: the file first, then the database; Day 0 from the injection. */
async function buildLookup(db: Executor, s: PlannedSubject, inst: PlannedInstance): Promise<CrossFormLookup> {
  let day0: string | null | undefined;
  if (s.participantId !== null) {
    const a = await db
      .selectFrom('administrations')
      .select(['day0', 'administered_at'])
      .where('participant_id', '=', s.participantId)
      .executeTakeFirst();
    day0 = a?.day0 ?? (a?.administered_at ? copenhagenDateOfInstant(a.administered_at) : null);
    if (!day0) {
      const bl = await db
        .selectFrom('ecrf_visits')
        .select('visit_date')
        .where('participant_id', '=', s.participantId)
        .where('visit_code', '=', 'BL')
        .executeTakeFirst();
      day0 = bl?.visit_date ?? null;
    }
  } else {
    day0 = s.fileDay0;
  }
  const dbCache = new Map<string, Record<string, unknown> | undefined>();
  const keys: { formId: string; visit: string }[] = [];
  const refs: ItemRef[] = inst.form.itemGroups.flatMap((g) => g.items.flatMap((i) => i.derivation?.inputs ?? []));
  for (const ref of refs) keys.push({ formId: ref.form ?? inst.form.id, visit: ref.visit ?? inst.visitCode ?? '' });
  for (const k of keys) {
    const id = `${k.formId}@${k.visit}`;
    if (dbCache.has(id) || s.participantId === null) continue;
    const row = await db
      .selectFrom('form_instances')
      .select(['values_json', 'derived_json'])
      .where('participant_id', '=', s.participantId)
      .where('visit_code', '=', k.visit)
      .where('form_id', '=', k.formId)
      .where('repeat_no', '=', 1)
      .executeTakeFirst();
    dbCache.set(
      id,
      row
        ? {
            ...(JSON.parse(row.values_json) as Record<string, unknown>),
            ...(JSON.parse(row.derived_json) as Record<string, unknown>),
          }
        : undefined,
    );
  }
  return (ref) => {
    const formId = ref.form ?? inst.form.id;
    const visit = ref.visit ?? inst.visitCode ?? '';
    if (formId === 'administration' && ref.item === 'administration_datetime') return day0 ?? undefined;
    const form = inst.protocol.forms.find((f) => f.id === formId);
    if (!form) return undefined;
    const fromFile = s.instances.find((x) => x.form.id === formId && (x.visitCode ?? '') === visit && x.repeatNo === 1);
    if (fromFile) return readStored(form, fromFile.values, ref.item);
    return readStored(form, dbCache.get(`${formId}@${visit}`), ref.item);
  };
}

async function nextCounter(tx: Tx, name: 'screening' | 'participant', atLeast = 0): Promise<number> {
  const row = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  let value = Number(row.value);
  if (value < atLeast) {
    await tx.updateTable('counters').set({ value: atLeast }).where('name', '=', name).execute();
    value = atLeast;
  }
  return value;
}

/** Writes everything in one transaction (the caller has checked that nothing was rejected). */
async function writeImport(
  ctx: ServiceContext,
  actor: Actor,
  subjects: PlannedSubject[],
  protocol: ProtocolDefinition,
  source: { file: string; sha256: string },
): Promise<void> {
  const reason = `ODM import of ${source.file} (sha256 ${source.sha256.slice(0, 16)}…)`;
  await runCommand(ctx, actor, async (scope) => {
    const { tx, at, audit } = scope;
    const by = actorLabel(actor);
    let instances = 0;
    let createdSubjects = 0;
    for (const s of subjects) {
      if (s.participantId === null) {
        const screeningId = randomUUID();
        const participantId = randomUUID();
        const values: Record<string, unknown> = { ...(s.screening?.values ?? {}) };
        const year =
          typeof values.date_of_birth === 'string' && /^\d{4}/.test(values.date_of_birth)
            ? Number(values.date_of_birth.slice(0, 4))
            : null;
        delete values.date_of_birth;
        const givenAge = s.screening?.givenDerived.age;
        const age = givenAge !== undefined && /^\d+$/.test(String(givenAge)) ? Number(givenAge) : null;
        const bmi = computeBmi(
          typeof values.height_cm === 'number' ? values.height_cm : null,
          typeof values.weight_kg === 'number' ? values.weight_kg : null,
        );
        const n = await nextCounter(tx, 'screening');
        await tx
          .insertInto('screenings')
          .values({
            id: screeningId,
            screening_number: `S-${String(n).padStart(4, '0')}`,
            site_id: s.siteId!,
            status: 'enrolled',
            outcome_reason: 'registered by ODM import',
            data_json: JSON.stringify(values),
            eligible: null,
            assessment_json: JSON.stringify({
              eligible: null,
              unmet: [],
              excluded: [],
              missing: [],
              derived: { age, bmi },
              criteria: [],
              source: 'odm_import',
            }),
            identity_id: null,
            signed_off_by: null,
            signed_off_at: null,
            signature_id: null,
            participant_id: participantId,
            protocol_version: protocol.version,
            created_by: actor.kind === 'user' ? actor.userId : 'system',
            created_at: at,
            updated_at: at,
          })
          .execute();
        await nextCounter(tx, 'participant', Number(s.key.slice(3)));
        await tx
          .insertInto('participants')
          .values({
            id: participantId,
            study_id: s.key,
            site_id: s.siteId!,
            screening_id: screeningId,
            identity_id: null,
            sex: typeof values.sex === 'string' ? values.sex : null,
            year_of_birth: year,
            kl_grade: typeof values.kl_grade === 'number' ? values.kl_grade : null,
            status: 'enrolled',
            withdrawn_at: null,
            withdrawal_scope: null,
            withdrawal_reason: null,
            protocol_version: protocol.version,
            enrolled_at: at,
            created_at: at,
            updated_at: at,
          })
          .execute();
        await audit({
          action: 'screening.imported',
          entityType: 'screening',
          entityId: screeningId,
          after: { values, derived: { age, bmi }, source },
          reason,
        });
        await audit({
          action: 'participant.imported',
          entityType: 'participant',
          entityId: participantId,
          after: { studyId: s.key, siteId: s.siteId, source },
          reason,
        });
        s.participantId = participantId;
        createdSubjects += 1;
      }
      for (const inst of s.instances) {
        if (inst.normalized === undefined) continue;
        const id = randomUUID();
        await tx
          .insertInto('form_instances')
          .values({
            id,
            participant_id: s.participantId,
            site_id: s.siteId!,
            visit_code: inst.visitCode ?? PARTICIPANT_LEVEL,
            form_id: inst.form.id,
            repeat_no: inst.repeatNo,
            status: 'submitted',
            protocol_version: inst.protocol.version,
            values_json: JSON.stringify(inst.normalized),
            derived_json: JSON.stringify(inst.derived ?? {}),
            warnings_json: JSON.stringify((inst.warnings ?? []).filter((w) => w.code !== 'cleared_hidden')),
            version: 1,
            created_at: at,
            created_by: by,
            updated_at: at,
            updated_by: by,
            submitted_at: at,
            submitted_by: by,
            locked: 0,
            locked_at: null,
            locked_by: null,
            sdv_version: null,
            sdv_at: null,
            sdv_by: null,
            sdv_values_json: null,
          })
          .execute();
        const entry = changesAsRecords(diffFormValues({}, inst.normalized));
        const der = changesAsRecords(diffFormValues({}, inst.derived ?? {}));
        await audit({
          action: 'form.imported',
          entityType: 'form_instance',
          entityId: id,
          after: {
            participantId: s.participantId,
            formId: inst.form.id,
            visitCode: inst.visitCode,
            repeatNo: inst.repeatNo,
            version: 1,
            status: 'submitted',
            values: entry.after,
            derived: der.after,
            source,
          },
          reason,
        });
        instances += 1;
      }
      for (const inst of s.managed) {
        if (inst.administration) {
          await writeAdministration(scope, s.participantId, inst.administration, source, reason);
          instances += 1;
        } else if (inst.adverseEvent) {
          await writeAdverseEvent(scope, { id: s.participantId, siteId: s.siteId! }, inst.adverseEvent, reason);
          instances += 1;
        }
      }
    }
    await audit({
      action: 'import.completed',
      entityType: 'import',
      entityId: randomUUID(),
      after: { format: 'odm', ...source, subjects: subjects.length, subjectsCreated: createdSubjects, instances },
    });
  });
}
