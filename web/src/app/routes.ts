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

export const ROUTES: readonly PageRoute[] = [
  { path: '/', nav: 'nav.overview', operation: 'study.read', page: lazy(() => import('../pages/overview-page.js')) },
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
];

/** Whether a user with `roles` may open `route`. */
export function canOpen(route: PageRoute, roles: readonly Role[]): boolean {
  if (route.operation && !can(roles, route.operation)) return false;
  if (route.roles && !route.roles.some((r) => roles.includes(r))) return false;
  return true;
}
