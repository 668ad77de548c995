/**
 * Views of form instances shared by the eCRF, monitoring and casebook services: the instance's
 * bookkeeping (status, version, who and when, lock) and its source data verification state with
 * what changed since verification (blinded items removed).
 */
import { diffFormValues } from '../core/ecrf/diff-form-values.js';
import { maskPathRecord } from '../core/ecrf/mask-values.js';
import type { FormInstanceStatus } from '../storage/schema-ecrf.js';
import type { InstanceRecord } from './ecrf-store.js';

/** An instance's bookkeeping, without its values. */
export interface InstanceMeta {
  id: string;
  participantId: string;
  visitCode: string | null;
  formId: string;
  repeatNo: number;
  status: FormInstanceStatus;
  protocolVersion: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  submittedAt: string | null;
  submittedBy: string | null;
  locked: boolean;
  lockedAt: string | null;
  lockedBy: string | null;
}

/** Source data verification of one instance. */
export interface SdvView {
  status: 'not_verified' | 'verified' | 'changed_since_verification';
  verifiedVersion: number | null;
  verifiedAt: string | null;
  verifiedBy: string | null;
  currentVersion: number;
  /** Entered values that differ from what was verified (path, verified value, current value). */
  changes: { path: string; verified: unknown; current: unknown }[];
}

/** The bookkeeping of an instance. */
export function instanceMeta(i: InstanceRecord): InstanceMeta {
  return {
    id: i.id,
    participantId: i.participantId,
    visitCode: i.visitCode,
    formId: i.formId,
    repeatNo: i.repeatNo,
    status: i.status,
    protocolVersion: i.protocolVersion,
    version: i.version,
    createdAt: i.createdAt,
    createdBy: i.createdBy,
    updatedAt: i.updatedAt,
    updatedBy: i.updatedBy,
    submittedAt: i.submittedAt,
    submittedBy: i.submittedBy,
    locked: i.locked,
    lockedAt: i.lockedAt,
    lockedBy: i.lockedBy,
  };
}

/** The SDV status of an instance; verification of a later-changed form shows what changed. */
export function sdvStatus(i: Pick<InstanceRecord, 'sdvVersion' | 'version'>): SdvView['status'] {
  return i.sdvVersion === null
    ? 'not_verified'
    : i.sdvVersion === i.version
      ? 'verified'
      : 'changed_since_verification';
}

/** The SDV view of an instance, with items hidden from the viewer left out of the changes. */
export function sdvView(i: InstanceRecord, hidden: ReadonlySet<string>): SdvView {
  const status = sdvStatus(i);
  const changes =
    status === 'changed_since_verification' && i.sdvValues !== null
      ? diffFormValues(i.sdvValues, i.values).map((c) => ({ path: c.path, verified: c.before, current: c.after }))
      : [];
  const visible = new Set(Object.keys(maskPathRecord(Object.fromEntries(changes.map((c) => [c.path, true])), hidden)));
  return {
    status,
    verifiedVersion: i.sdvVersion,
    verifiedAt: i.sdvAt,
    verifiedBy: i.sdvBy,
    currentVersion: i.version,
    changes: changes.filter((c) => visible.has(c.path)),
  };
}
