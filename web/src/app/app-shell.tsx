/**
 * The signed-in layout: top bar, navigation (a sidebar on wide screens, a menu behind a button on
 * phones) generated from the route table, the account block with sign-out, and the routed page.
 */
import { Suspense, useEffect, useState } from 'react';
import { LanguageSwitch } from '../components/language-switch.js';
import { Loading } from '../components/loading.js';
import { useTranslation } from '../i18n/use-translation.js';
import { describeError } from '../lib/error-messages.js';
import { NoAccessPage } from '../pages/no-access-page.js';
import { NotFoundPage } from '../pages/not-found-page.js';
import { Brand } from './brand.js';
import { ErrorBoundary } from './error-boundary.js';
import { Link } from './link.js';
import { matchPath, usePathname } from './router.js';
import { canOpen, ROUTES, type PageRoute } from './routes.js';
import { useSession, useSignedIn } from './session.js';
import { SkipLink } from './skip-link.js';

function findRoute(pathname: string): { route: PageRoute; params: Record<string, string> } | null {
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return null;
}

function RoutedPage({ pathname }: { pathname: string }) {
  const { roles } = useSignedIn();
  const { t } = useTranslation();
  const match = findRoute(pathname);
  if (!match) return <NotFoundPage />;
  if (!canOpen(match.route, roles)) return <NoAccessPage />;
  const Page = match.route.page;
  return (
    <ErrorBoundary key={pathname} message={(e) => describeError(t, e)}>
      <Suspense fallback={<Loading />}>
        <Page params={match.params} />
      </Suspense>
    </ErrorBoundary>
  );
}

/** The app as a signed-in user sees it. */
export function AppShell() {
  const { t } = useTranslation();
  const { signOut } = useSession();
  const { session, roles } = useSignedIn();
  const pathname = usePathname();
  const [menuOpen, setMenuOpen] = useState(false);

  // A phone's menu covers the page; close it once the user has picked a page.
  useEffect(() => setMenuOpen(false), [pathname]);

  const navRoutes = ROUTES.filter((r) => r.nav !== undefined && canOpen(r, roles));

  return (
    <>
      <SkipLink />
      <header className="topbar">
        <Brand />
        <div className="topbar__tools">
          <LanguageSwitch />
          <button
            type="button"
            className="button button--ghost menu-button"
            aria-expanded={menuOpen}
            aria-controls="app-menu"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span className="menu-button__icon" aria-hidden="true" />
            {t('app.menu')}
          </button>
        </div>
      </header>
      <div className="layout">
        <div id="app-menu" className={menuOpen ? 'sidebar sidebar--open' : 'sidebar'}>
          <nav aria-label={t('app.mainNav')}>
            <ul className="nav">
              {navRoutes.map((route) => (
                <li key={route.path}>
                  <Link
                    href={route.path}
                    className="nav__link"
                    aria-current={matchPath(route.path, pathname) ? 'page' : undefined}
                  >
                    {route.nav ? t(route.nav) : route.path}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div className="account">
            <p className="account__label">{t('app.signedInAs')}</p>
            <p className="account__name">{session.user.displayName}</p>
            <p className="account__email">{session.user.email}</p>
            <button type="button" className="button button--secondary account__signout" onClick={() => void signOut()}>
              {t('app.signOut')}
            </button>
          </div>
        </div>
        <main id="main" className="main" tabIndex={-1}>
          <RoutedPage pathname={pathname} />
        </main>
      </div>
    </>
  );
}
