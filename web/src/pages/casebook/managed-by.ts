/** Where a form kept by another feature is recorded, as a translation key. */
import type { ManagedBy } from '../../api/ecrf-api.js';
import type { EcrfKey } from '../form/ecrf-i18n-types.js';

/** The "recorded in …" text of a form another feature keeps. */
export function managedByKey(managedBy: Exclude<ManagedBy, null>): EcrfKey {
  switch (managedBy) {
    case 'screening':
      return 'casebook.managedScreening';
    case 'safety':
      return 'casebook.managedSafety';
    case 'product_chain':
      return 'casebook.managedPharmacy';
  }
}
