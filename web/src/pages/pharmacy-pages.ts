/** The cell-laboratory pages as one lazily loaded module (see `randomization-pages.ts`). */
export { default as PharmacyPage } from './pharmacy-page.js';
export { default as PharmacyAllocationPage } from './pharmacy-allocation-page.js';
export { default as PharmacyDonorsPage } from './pharmacy-donors-page.js';
export { default as PharmacyDonorPage } from './pharmacy-donor-page.js';
export { default as PharmacyLotsPage } from './pharmacy-lots-page.js';
export { default as PharmacyLotPage } from './pharmacy-lot-page.js';
export { default as PharmacyVialsPage } from './pharmacy-vials-page.js';
export { default as PharmacyParticipantPage } from './pharmacy-participant-page.js';
