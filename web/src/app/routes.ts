/**
 * The route table: every page of the signed-in app, in navigation order. Adding a page means
 * writing `pages/<name>-page.tsx` (default export, taking `PageProps`) and adding one line here;
 * the navigation and the access check both read this table.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { can, type Operation } from '../../../src/core/authorization.js';
import type { Role } from '../../../src/core/roles.js';
import type { TranslationKey } from '../i18n/translation-keys.js';

/** What a page component receives from the router. */
export interface PageProps {
  /** Values of the `:params` in the route's path. */
  params: Readonly<Record<string, string>>;
}

/** One page of the app. */
export interface PageRoute {
  /** Path pattern; `:name` segments become `params.name`. */
  path: string;
  /** Label in the navigation; routes without one (detail pages) are reachable but not listed. */
  nav?: TranslationKey;
  /** The operation the page needs, from the server's authorization matrix (`src/core/authorization.ts`). */
  operation?: Operation;
  /** Alternatively (or additionally), the roles that may open the page: any one of them suffices. */
  roles?: readonly Role[];
  /** The page component, loaded on first visit so the shell stays small as pages are added. */
  page: LazyExoticComponent<ComponentType<PageProps>>;
}

/** The roles that always see the allocation (spec §4); the cell-laboratory pages require one. */
const UNBLINDED_ROLES: readonly Role[] = ['unblinded_pharmacist', 'dsmb'];

// Randomization, unblinding, cell laboratory and safety: one lazily loaded module per area, so the
// shell names each area's chunks once rather than once per page.
const randomizationPages = () => import('../pages/randomization-pages.js');
const unblindingPages = () => import('../pages/unblinding-pages.js');
const pharmacyPages = () => import('../pages/pharmacy-pages.js');
const safetyPages = () => import('../pages/safety-pages.js');
const eproPages = () => import('../pages/epro-pages.js');
const reportsPages = () => import('../pages/reports-pages.js');

/** A page exported by name from an area module, loaded on first visit. */
function areaPage<M extends Record<string, ComponentType<PageProps>>>(
  load: () => Promise<M>,
  name: keyof M & string,
): LazyExoticComponent<ComponentType<PageProps>> {
  return lazy(async () => ({ default: (await load())[name] as ComponentType<PageProps> }));
}

/** The eCRF form page serves three paths (visit, participant-level and instance forms). */
const formPage = lazy(() => import('../pages/form-page.js'));

export const ROUTES: readonly PageRoute[] = [
  { path: '/', nav: 'nav.overview', operation: 'study.read', page: lazy(() => import('../pages/overview-page.js')) },
  // The trial dashboard and the CONSORT diagram (issue 10): blinded views of the trial's progress.
  {
    path: '/dashboard',
    nav: 'nav.dashboard',
    operation: 'reports.dashboard.read',
    page: areaPage(reportsPages, 'DashboardPage'),
  },
  {
    path: '/reports/consort',
    operation: 'reports.consort.read',
    page: areaPage(reportsPages, 'ConsortPage'),
  },
  { path: '/users', nav: 'nav.users', operation: 'user.read', page: lazy(() => import('../pages/users-page.js')) },
  {
    path: '/screenings',
    nav: 'nav.screenings',
    operation: 'screening.read',
    page: lazy(() => import('../pages/screening-log-page.js')),
  },
  { path: '/screenings/:id', operation: 'screening.read', page: lazy(() => import('../pages/screening-page.js')) },
  {
    path: '/participants',
    nav: 'nav.participants',
    operation: 'participant.read',
    page: lazy(() => import('../pages/participants-page.js')),
  },
  {
    path: '/participants/:id',
    operation: 'participant.read',
    page: lazy(() => import('../pages/participant-page.js')),
  },
  // Visits, eCRFs, queries, monitoring and locking (issue 4).
  {
    path: '/calendar',
    nav: 'nav.calendar',
    operation: 'calendar.read',
    page: lazy(() => import('../pages/calendar-page.js')),
  },
  {
    path: '/casebooks',
    nav: 'nav.casebooks',
    operation: 'ecrf.read',
    page: lazy(() => import('../pages/casebooks-page.js')),
  },
  {
    path: '/queries',
    nav: 'nav.queries',
    operation: 'query.read',
    page: lazy(() => import('../pages/queries-page.js')),
  },
  {
    path: '/monitor',
    nav: 'nav.monitor',
    operation: 'ecrf.read',
    roles: ['monitor', 'data_manager'],
    page: lazy(() => import('../pages/monitor-page.js')),
  },
  {
    path: '/participants/:id/casebook',
    operation: 'ecrf.read',
    page: lazy(() => import('../pages/casebook-page.js')),
  },
  {
    path: '/participants/:id/visits/:visitCode/forms/:formId',
    operation: 'ecrf.read',
    page: formPage,
  },
  {
    path: '/participants/:id/forms/:formId',
    operation: 'ecrf.read',
    page: formPage,
  },
  {
    path: '/participants/:id/forms/:formId/new',
    operation: 'ecrf.write',
    page: lazy(() => import('../pages/form-new-page.js')),
  },
  {
    path: '/form-instances/:instanceId',
    operation: 'ecrf.read',
    page: formPage,
  },
  // Randomization, emergency unblinding and the cell laboratory (issue 5); safety (issue 6).
  {
    path: '/randomization',
    nav: 'nav.randomization',
    operation: 'randomization.read',
    page: areaPage(randomizationPages, 'RandomizationPage'),
  },
  {
    path: '/randomization/:id',
    operation: 'randomization.read',
    page: areaPage(randomizationPages, 'RandomizationParticipantPage'),
  },
  {
    path: '/unblinding',
    nav: 'nav.unblinding',
    operation: 'unblinding.log.read',
    page: areaPage(unblindingPages, 'UnblindingPage'),
  },
  // The two routes that show an arm to the investigator who unblinded (checked again by the server).
  {
    path: '/unblinding/request',
    operation: 'unblinding.emergency',
    page: areaPage(unblindingPages, 'UnblindingRequestPage'),
  },
  {
    path: '/unblinding/:id',
    operation: 'unblinding.emergency',
    page: areaPage(unblindingPages, 'UnblindingArmPage'),
  },
  // The cell laboratory: unblinded pages, opened only by the roles that always see the allocation.
  {
    path: '/pharmacy',
    nav: 'nav.pharmacy',
    operation: 'product.read',
    roles: UNBLINDED_ROLES,
    page: areaPage(pharmacyPages, 'PharmacyPage'),
  },
  {
    path: '/pharmacy/allocation',
    operation: 'randomization.allocation.read',
    roles: UNBLINDED_ROLES,
    page: areaPage(pharmacyPages, 'PharmacyAllocationPage'),
  },
  {
    path: '/pharmacy/donors',
    operation: 'product.read',
    roles: UNBLINDED_ROLES,
    page: areaPage(pharmacyPages, 'PharmacyDonorsPage'),
  },
  {
    path: '/pharmacy/donors/:id',
    operation: 'product.read',
    roles: UNBLINDED_ROLES,
    page: areaPage(pharmacyPages, 'PharmacyDonorPage'),
  },
  {
    path: '/pharmacy/lots',
    operation: 'product.read',
    roles: UNBLINDED_ROLES,
    page: areaPage(pharmacyPages, 'PharmacyLotsPage'),
  },
  {
    path: '/pharmacy/lots/:id',
    operation: 'product.read',
    roles: UNBLINDED_ROLES,
    page: areaPage(pharmacyPages, 'PharmacyLotPage'),
  },
  {
    path: '/pharmacy/vials',
    operation: 'product.read',
    roles: UNBLINDED_ROLES,
    page: areaPage(pharmacyPages, 'PharmacyVialsPage'),
  },
  {
    path: '/pharmacy/participants/:id',
    operation: 'product.read',
    roles: UNBLINDED_ROLES,
    page: areaPage(pharmacyPages, 'PharmacyParticipantPage'),
  },
  // Safety: adverse events, SAE cases and their clocks, review tasks, tables (by arm: unblinded roles only).
  {
    path: '/safety',
    nav: 'nav.safety',
    operation: 'safety.read',
    page: areaPage(safetyPages, 'SafetyPage'),
  },
  {
    path: '/safety/adverse-events',
    operation: 'safety.read',
    page: areaPage(safetyPages, 'SafetyAeListPage'),
  },
  {
    path: '/safety/adverse-events/new',
    operation: 'safety.ae.write',
    page: areaPage(safetyPages, 'SafetyAeNewPage'),
  },
  {
    path: '/safety/adverse-events/:id',
    operation: 'safety.read',
    page: areaPage(safetyPages, 'SafetyAePage'),
  },
  {
    path: '/safety/cases/:id',
    operation: 'safety.read',
    page: areaPage(safetyPages, 'SafetyCasePage'),
  },
  // Shows one participant's arm to the sponsor's safety physician for one case (checked again by the server).
  {
    path: '/safety/cases/:id/unblind',
    operation: 'safety.susar.unblind',
    page: areaPage(safetyPages, 'SafetyCaseUnblindPage'),
  },
  {
    path: '/safety/review-tasks',
    operation: 'safety.review.read',
    page: areaPage(safetyPages, 'SafetyReviewTasksPage'),
  },
  {
    path: '/safety/tables',
    operation: 'safety.tables.read',
    page: areaPage(safetyPages, 'SafetyTablesPage'),
  },
  {
    path: '/safety/tables/by-arm',
    operation: 'safety.tables.by_arm',
    page: areaPage(safetyPages, 'SafetyTablesByArmPage'),
  },
  // Participant ePRO for site staff (issue 7): access, diary and scores; diary compliance and alerts.
  {
    path: '/epro/compliance',
    nav: 'nav.epro',
    operation: 'epro.read',
    page: areaPage(eproPages, 'EproCompliancePage'),
  },
  {
    path: '/participants/:id/epro',
    operation: 'epro.read',
    page: areaPage(eproPages, 'EproParticipantPage'),
  },
  { path: '/account', nav: 'nav.account', page: lazy(() => import('../pages/account-page.js')) },
];

/** Whether a user with `roles` may open `route`. */
export function canOpen(route: PageRoute, roles: readonly Role[]): boolean {
  if (route.operation && !can(roles, route.operation)) return false;
  if (route.roles && !route.roles.some((r) => roles.includes(r))) return false;
  return true;
}
