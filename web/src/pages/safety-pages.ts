/** The safety pages as one lazily loaded module (see `randomization-pages.ts`). */
export { default as SafetyPage } from './safety-page.js';
export { default as SafetyAeListPage } from './safety-ae-list-page.js';
export { default as SafetyAeNewPage } from './safety-ae-new-page.js';
export { default as SafetyAePage } from './safety-ae-page.js';
export { default as SafetyCasePage } from './safety-case-page.js';
export { default as SafetyCaseUnblindPage } from './safety-case-unblind-page.js';
export { default as SafetyReviewTasksPage } from './safety-review-tasks-page.js';
export { default as SafetyTablesPage } from './safety-tables-page.js';
export { default as SafetyTablesByArmPage } from './safety-tables-by-arm-page.js';
