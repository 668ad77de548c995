/** The staff ePRO pages as one lazily loaded module (see `randomization-pages.ts`). */
export { default as EproParticipantPage } from './epro/participant-epro-page.js';
export { default as EproCompliancePage } from './epro/compliance-page.js';
