import type { Role } from '../roles.js';

/** Every staff role (everyone but participants). */
export const STAFF: readonly Role[] = [
  'admin',
  'investigator',
  'coordinator',
  'unblinded_pharmacist',
  'monitor',
  'data_manager',
  'statistician',
  'dsmb',
];
