/** The emergency-unblinding pages as one lazily loaded module (see `randomization-pages.ts`). */
export { default as UnblindingPage } from './unblinding-page.js';
export { default as UnblindingRequestPage } from './unblinding-request-page.js';
export { default as UnblindingArmPage } from './unblinding-arm-page.js';
