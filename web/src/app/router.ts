/**
 * A few dozen lines of History-API routing instead of a router library: the current path as
 * external state, `navigate()`, pattern matching with `:params`, and a flag that asks the next
 * page heading to take focus so keyboard and screen-reader users land on the new page.
 */
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let headingFocusRequested = false;

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', () => {
  headingFocusRequested = true;
  notify();
});

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const readPath = (): string => window.location.pathname;

/** The current path; the component re-renders on navigation. */
export const usePathname = (): string => useSyncExternalStore(subscribe, readPath);

/** Goes to `path` inside the app (no page load) and moves focus to the new page's heading. */
export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (path === readPath()) return;
  if (opts.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.scrollTo(0, 0);
  requestHeadingFocus();
  notify();
}

/** Asks the next page heading that mounts (or is already shown) to take focus. */
export function requestHeadingFocus(): void {
  headingFocusRequested = true;
}

/** Consumes the focus request; true when the caller should focus its heading. */
export function takeHeadingFocusRequest(): boolean {
  const requested = headingFocusRequested;
  headingFocusRequested = false;
  return requested;
}

/**
 * Matches `pathname` against a pattern such as `/participants/:id`; returns the decoded params,
 * or null. A trailing slash is ignored.
 */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const split = (p: string): string[] => p.split('/').filter((s) => s !== '');
  const want = split(pattern);
  const have = split(pathname);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = have[i] as string;
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (segment !== actual) {
      return null;
    }
  }
  return params;
}
