/**
 * Who is signed in. The provider asks the server once at start-up (`GET /auth/me`), reacts when
 * any API call reports a lost session or a pending password change, and exposes sign-in,
 * sign-out and password-change to the pages.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Role } from '../../../src/core/roles.js';
import { changeOwnPassword, fetchCurrentSession, signIn as apiSignIn, signOut as apiSignOut } from '../api/auth-api.js';
import { api, isApiError } from '../api/client.js';
import type { CurrentSession } from '../api/types.js';
import { requestHeadingFocus } from './router.js';

/** Why the sign-in page is shown, when there is something to tell the user. */
export type SignedOutNotice = 'session_expired' | 'signed_out';

/** The session as the app sees it. */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signed_out'; notice: SignedOutNotice | null }
  | { status: 'signed_in'; session: CurrentSession; roles: readonly Role[] };

/** Session state plus the actions that change it. */
export interface SessionApi {
  state: SessionState;
  /** Password-only sign-in; the sign-in page uses `startSignIn` (two-factor aware) and `adoptSession`. */
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  /** Takes over a session that a multi-step sign-in (two-factor) has opened. */
  adoptSession(session: CurrentSession): void;
}

const SessionContext = createContext<SessionApi | null>(null);

const rolesOf = (session: CurrentSession): Role[] => [...new Set(session.user.grants.map((g) => g.role))];

const signedIn = (session: CurrentSession): SessionState => ({ status: 'signed_in', session, roles: rolesOf(session) });

/** Provides the session to the app. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    api.setListeners({
      onSessionLost: (code) => {
        api.setCsrfToken(null);
        requestHeadingFocus();
        setState({ status: 'signed_out', notice: code === 'session_expired' ? 'session_expired' : null });
      },
      onPasswordChangeRequired: () => {
        setState((s) => (s.status === 'signed_in' ? { ...s, session: { ...s.session, mustChangePassword: true } } : s));
      },
    });
    let cancelled = false;
    fetchCurrentSession().then(
      (session) => !cancelled && setState(signedIn(session)),
      (e: unknown) => {
        if (cancelled) return;
        const expired = isApiError(e) && e.code === 'session_expired';
        setState({ status: 'signed_out', notice: expired ? 'session_expired' : null });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const session = await apiSignIn(email, password);
    requestHeadingFocus();
    setState(signedIn(session));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiSignOut();
    } catch {
      // The session may already be gone on the server; signing out locally is what matters.
    }
    requestHeadingFocus();
    setState({ status: 'signed_out', notice: 'signed_out' });
  }, []);

  const changePassword = useCallback(async (currentPassword: string, newPassword: string) => {
    await changeOwnPassword(currentPassword, newPassword);
    const session = await fetchCurrentSession();
    requestHeadingFocus();
    setState(signedIn(session));
  }, []);

  const adoptSession = useCallback((session: CurrentSession) => {
    api.setCsrfToken(session.csrfToken);
    requestHeadingFocus();
    setState(signedIn(session));
  }, []);

  const value = useMemo(
    () => ({ state, signIn, signOut, changePassword, adoptSession }),
    [state, signIn, signOut, changePassword, adoptSession],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session API; only valid below SessionProvider. */
export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside SessionProvider');
  return value;
}

/** The signed-in session; for pages, which only render when someone is signed in. */
export function useSignedIn(): Extract<SessionState, { status: 'signed_in' }> {
  const { state } = useSession();
  if (state.status !== 'signed_in') throw new Error('useSignedIn() while not signed in');
  return state;
}
