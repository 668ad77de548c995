/** Sign-in with e-mail and password, with a clear message for each way it can fail. */
import { useState, type FormEvent } from 'react';
import { isApiError } from '../api/client.js';
import { useSession, type SignedOutNotice } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { TextField } from '../components/field.js';
import { PageHeading } from '../components/page-heading.js';
import { useTranslation } from '../i18n/use-translation.js';
import { describeError, translatedFieldErrors } from '../lib/error-messages.js';

/** Props of SignInPage: why the user is here, if there is something to say. */
export interface SignInPageProps {
  notice: SignedOutNotice | null;
}

/** The sign-in form. */
export function SignInPage({ notice }: SignInPageProps) {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (email.trim() === '') missing.email = t('errors.required');
    if (password === '') missing.password = t('errors.required');
    setFields(missing);
    setError(null);
    if (Object.keys(missing).length > 0) {
      document.getElementById(missing.email ? 'signin-email' : 'signin-password')?.focus();
      return;
    }
    setBusy(true);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setError(err);
      setFields(translatedFieldErrors(t, err));
      // A wrong password is retyped, not the address.
      if (isApiError(err) && err.code === 'invalid_credentials') setPassword('');
      setBusy(false);
    }
  };

  return (
    <section className="card card--narrow">
      <PageHeading>{t('signIn.title')}</PageHeading>
      <p className="muted">{t('signIn.intro')}</p>
      {notice === 'session_expired' && !error ? <Alert tone="info">{t('signIn.sessionExpired')}</Alert> : null}
      {notice === 'signed_out' && !error ? <Alert tone="success">{t('signIn.signedOut')}</Alert> : null}
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="signin-email"
          label={t('signIn.email')}
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.email}
        />
        <TextField
          id="signin-password"
          label={t('signIn.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
