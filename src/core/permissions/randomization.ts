/** Randomization, blinding, the cell-product chain and emergency unblinding (issue 5). */
import type { Role } from '../roles.js';

/**
 * Who may do what. Holding an operation is necessary, not sufficient: arm-revealing fields are
 * removed from every response of a blinded caller by the blinding presenter, operations marked
 * "after lock" are refused by the service until the database is locked, and site-scoped grants
 * limit everything that concerns a participant to that participant's site.
 */
export const RANDOMIZATION_PERMISSIONS = {
  // The commitment and how far each stratum's list is used: public information for the trial team.
  'randomization.status': [
    'admin',
    'investigator',
    'coordinator',
    'unblinded_pharmacist',
    'monitor',
    'data_manager',
    'statistician',
    'dsmb',
  ],
  // Creating the study's one allocation list from a CSPRNG seed (nobody sees the list).
  'randomization.init': ['admin'],
  // The blinded view: randomization number, kit code and time (arms are stripped by the presenter).
  'randomization.read': [
    'investigator',
    'coordinator',
    'monitor',
    'data_manager',
    'unblinded_pharmacist',
    'statistician',
    'dsmb',
  ],
  'randomization.randomize': ['investigator', 'coordinator'],
  // The allocation list with its kit ↔ arm map: the cell lab, the DSMB, the statistician after lock.
  'randomization.allocation.read': ['unblinded_pharmacist', 'dsmb', 'statistician'],
  // Seed and salt for independent verification: only after database lock.
  'randomization.reveal': ['unblinded_pharmacist', 'dsmb', 'statistician'],
  // The cell-product chain (spec §4: product preparation records are for unblinded roles only).
  'product.read': ['unblinded_pharmacist', 'dsmb'],
  'product.write': ['unblinded_pharmacist'],
  // The injection itself is given by a blinded physician (the injector does not assess outcomes)
  // from a masked syringe labelled with the kit code, so site staff record it as well as the lab.
  'product.administer': ['unblinded_pharmacist', 'investigator', 'coordinator'],
  // Emergency unblinding of one participant, with reason and e-signature (spec §4).
  'unblinding.emergency': ['investigator'],
  // Who unblinded whom, when and why (never the arm): oversight and the analysis need it.
  'unblinding.log.read': [
    'admin',
    'investigator',
    'monitor',
    'data_manager',
    'unblinded_pharmacist',
    'statistician',
    'dsmb',
  ],
} as const satisfies Record<string, readonly Role[]>;
