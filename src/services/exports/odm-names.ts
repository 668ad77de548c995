/**
 * The OIDs of the STEMJOINT ODM files, in one place so that the exporter and the importer agree:
 * study events (visits; the diary is one repeating event, keyed by day), the participant-level
 * `SE.LOG` event for logs and event forms, measurement units, derivation methods, users (staff ids
 * only) and locations (sites).
 */
import type { FormDef, ProtocolDefinition, VisitDef } from '../../core/protocol/definition-types.js';
import { resolveVisit } from '../../core/protocol/protocol-queries.js';

/** ODM namespace of version 1.3. */
export const ODM_NAMESPACE = 'http://www.cdisc.org/ns/odm/v1.3';

/** The study event that holds participant-level forms (medication log, AEs, end of study, …). */
export const LOG_EVENT = { oid: 'SE.LOG', code: 'LOG' } as const;

/** The UserOID of the system actor (command-line imports, derivations). */
export const SYSTEM_USER_OID = 'USR.SYSTEM';

/** MetaDataVersion OID of a protocol version. */
export const metaDataVersionOid = (version: string): string => `MDV.${version}`;

/** UserOID of a staff user id (never a name or e-mail). */
export const userOid = (userId: string | null): string => (userId === null ? SYSTEM_USER_OID : `USR.${userId}`);

/** LocationOID of a site code. */
export const locationOid = (siteCode: string): string => `LOC.${siteCode}`;

/** MeasurementUnit OID of a UCUM code. */
export const unitOid = (ucum: string): string =>
  `MU.${ucum.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'unit'}`;

/** MethodDef OID of a derivation method id. */
export const methodOid = (method: string): string => `MT.${method.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;

/** Whether a form's data are kept per participant rather than per visit. */
export const isParticipantLevelForm = (form: FormDef): boolean => form.kind === 'log' || form.kind === 'event';

/** The study event of a record's visit code: the visit's OID and, for diary days, the day as repeat key. */
export function studyEventOf(
  protocol: ProtocolDefinition,
  visitCode: string | null,
): { oid: string; repeatKey: string | undefined } | undefined {
  if (visitCode === null) return { oid: LOG_EVENT.oid, repeatKey: undefined };
  const resolved = resolveVisit(protocol, visitCode);
  if (resolved === undefined) return undefined;
  const repeatKey = resolved.visit.repeat !== undefined && resolved.day !== null ? String(resolved.day) : undefined;
  return { oid: resolved.visit.oid, repeatKey };
}

/** The visit code of a study event in a file (inverse of {@link studyEventOf}); null for SE.LOG. */
export function visitCodeOf(
  protocol: ProtocolDefinition,
  eventOid: string,
  repeatKey: string | undefined,
): { ok: true; visitCode: string | null } | { ok: false; message: string } {
  if (eventOid === LOG_EVENT.oid) return { ok: true, visitCode: null };
  const visit: VisitDef | undefined = protocol.visits.find((v) => v.oid === eventOid);
  if (visit === undefined) return { ok: false, message: `unknown StudyEventOID ${eventOid}` };
  if (visit.repeat === undefined) return { ok: true, visitCode: visit.code };
  const day = Number(repeatKey);
  if (!Number.isInteger(day) || day < visit.repeat.fromDay || day > visit.repeat.toDay) {
    return {
      ok: false,
      message: `${eventOid} needs StudyEventRepeatKey ${visit.repeat.fromDay}–${visit.repeat.toDay} (the diary day)`,
    };
  }
  return { ok: true, visitCode: `${visit.repeat.codePrefix}${day}` };
}
