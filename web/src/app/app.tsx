/**
 * The root component: decides between the sign-in page, the forced password change and the
 * signed-in shell, each inside the same top bar (brand and language switch).
 */
import { ChangePasswordPage } from '../pages/change-password-page.js';
import { SignInPage } from '../pages/sign-in-page.js';
import { Loading } from '../components/loading.js';
import { AppShell } from './app-shell.js';
import { PublicFrame } from './public-frame.js';
import { SessionProvider, useSession } from './session.js';

function Root() {
  const { state } = useSession();
  switch (state.status) {
    case 'loading':
      return (
        <PublicFrame>
          <Loading />
        </PublicFrame>
      );
    case 'signed_out':
      return (
        <PublicFrame>
          <SignInPage notice={state.notice} />
        </PublicFrame>
      );
    case 'signed_in':
      return state.session.mustChangePassword ? (
        <PublicFrame>
          <ChangePasswordPage />
        </PublicFrame>
      ) : (
        <AppShell />
      );
  }
}

/** The whole web app. */
export function App() {
  return (
    <SessionProvider>
      <Root />
    </SessionProvider>
  );
}
