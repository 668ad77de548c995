/** The report pages (trial dashboard, CONSORT diagram) as one lazily loaded module (see `randomization-pages.ts`). */
export { default as DashboardPage } from './reports/dashboard-page.js';
export { default as ConsortPage } from './reports/consort-page.js';
