/**
 * Sign-in: the password, then — where the account has two-factor sign-in — a code from the
 * authenticator app (or a recovery code), or, for roles that require it and have none yet, setting
 * it up on the spot. A clear message for each way a step can fail.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { isApiError } from '../api/client.js';
import {
  completeSignIn,
  confirmSignInEnrolment,
  startSignIn,
  startSignInEnrolment,
  type TotpEnrolment,
} from '../api/security-api.js';
import type { CurrentSession } from '../api/types.js';
import { useSession, type SignedOutNotice } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { TextField } from '../components/field.js';
import { PageHeading } from '../components/page-heading.js';
import { useTranslation } from '../i18n/use-translation.js';
import { describeError } from '../lib/error-messages.js';
import { groupSecret, securityFieldErrors } from './account/security-messages.js';
import './account/account.css';

/** Props of SignInPage: why the user is here, if there is something to say. */
export interface SignInPageProps {
  notice: SignedOutNotice | null;
}

type Step = 'password' | 'code' | 'enrol' | 'codes';

const CODE_PATTERN = /^\d{6}$/;

/** The recovery codes shown once, with the button that finally enters the app. */
export function RecoveryCodes({ codes, onDone }: { codes: readonly string[]; onDone?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="otp" aria-labelledby="recovery-codes-label">
      <p id="recovery-codes-label" className="otp__label">
        {t('security.codesLabel')}
      </p>
      <ol className="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      {onDone ? (
        <button type="button" className="button button--primary button--block" onClick={onDone}>
          {t('security.codesSaved')}
        </button>
      ) : null}
    </div>
  );
}

/** The authenticator secret (shown once) as a link for the phone and as a key to type in. */
export function EnrolmentSecret({ enrolment }: { enrolment: TotpEnrolment }) {
  const { t } = useTranslation();
  return (
    <div className="otp">
      <p className="otp__note">{t('security.enrolStep1')}</p>
      <p>
        <a href={enrolment.otpauthUri} className="button button--secondary">
          {t('security.openInApp')}
        </a>
      </p>
      <p className="otp__label">{t('security.secretLabel')}</p>
      <p className="otp__value" data-testid="totp-secret">
        {groupSecret(enrolment.secret)}
      </p>
    </div>
  );
}

/** The sign-in form and its second steps. */
export function SignInPage({ notice }: SignInPageProps) {
  const { t } = useTranslation();
  const { adoptSession } = useSession();
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>([]);
  const [pendingSession, setPendingSession] = useState<CurrentSession | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const restart = (message: string | null): void => {
    setStep('password');
    setPassword('');
    setCode('');
    setEnrolment(null);
    setUseRecovery(false);
    setError(null);
    setFields({});
    setInfo(message);
  };

  /** A failed second step: a spent or expired challenge sends the user back to the password. */
  const onStepError = (err: unknown, wrongMessage: string): void => {
    setBusy(false);
    if (isApiError(err) && (err.code === 'unauthenticated' || err.code === 'session_expired')) {
      return restart(t('security.challengeExpired'));
    }
    if (isApiError(err) && (err.code === 'account_locked' || err.code === 'account_disabled')) {
      restart(null);
      setError(err);
      return;
    }
    setCode('');
    const translated = securityFieldErrors(t, err);
    if (isApiError(err) && err.code === 'invalid_credentials') translated.code = wrongMessage;
    setFields(translated);
    setError(translated.code ? null : err);
    document.getElementById('signin-code')?.focus();
  };

  // Entering the enrolment step fetches the secret once.
  useEffect(() => {
    if (step !== 'enrol' || enrolment) return;
    let live = true;
    startSignInEnrolment().then(
      (e) => live && setEnrolment(e),
      (err: unknown) => live && onStepError(err, t('security.wrongCode')),
    );
    return () => {
      live = false;
    };
  }, [step]);

  const submitPassword = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (email.trim() === '') missing.email = t('errors.required');
    if (password === '') missing.password = t('errors.required');
    setFields(missing);
    setError(null);
    setInfo(null);
    if (Object.keys(missing).length > 0) {
      document.getElementById(missing.email ? 'signin-email' : 'signin-password')?.focus();
      return;
    }
    setBusy(true);
    try {
      const outcome = await startSignIn(email.trim(), password);
      setBusy(false);
      if (outcome.status === 'signed_in') return adoptSession(outcome.session);
      setPassword('');
      setStep(outcome.status === 'totp_required' ? 'code' : 'enrol');
    } catch (err) {
      setError(err);
      setFields(securityFieldErrors(t, err));
      // A wrong password is retyped, not the address.
      if (isApiError(err) && err.code === 'invalid_credentials') setPassword('');
      setBusy(false);
    }
  };

  const submitCode = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const value = code.trim();
    if (useRecovery ? value.length < 16 : !CODE_PATTERN.test(value.replace(/\s/g, ''))) {
      setFields({
        code: value === '' ? t('errors.required') : useRecovery ? t('security.wrongRecovery') : t('security.codeHint'),
      });
      document.getElementById('signin-code')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await completeSignIn(useRecovery ? { recoveryCode: value } : { code: value.replace(/\s/g, '') });
      if (session.recoveryCodesLeft !== null) {
        // Say how many codes are left before entering the app.
        setInfo(t('security.recoveryLeft', { count: session.recoveryCodesLeft }));
        setPendingSession(session);
        setRecoveryCodes([]);
        setStep('codes');
        setBusy(false);
        return;
      }
      adoptSession(session);
    } catch (err) {
      onStepError(err, useRecovery ? t('security.wrongRecovery') : t('security.wrongCode'));
    }
  };

  const submitEnrolment = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const value = code.replace(/\s/g, '');
    if (!CODE_PATTERN.test(value)) {
      setFields({ code: value === '' ? t('errors.required') : t('security.codeHint') });
      document.getElementById('signin-code')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await confirmSignInEnrolment(value);
      setPendingSession(session);
      setRecoveryCodes(session.recoveryCodes);
      setStep('codes');
      setBusy(false);
    } catch (err) {
      onStepError(err, t('security.wrongCode'));
    }
  };

  if (step === 'codes') {
    return (
      <section className="card card--narrow">
        <PageHeading>{recoveryCodes.length > 0 ? t('security.codesTitle') : t('security.codeTitle')}</PageHeading>
        {info ? <Alert tone="info">{info}</Alert> : null}
        {recoveryCodes.length > 0 ? (
          <>
            <p className="muted">{t('security.codesIntro')}</p>
            <RecoveryCodes codes={recoveryCodes} onDone={() => pendingSession && adoptSession(pendingSession)} />
          </>
        ) : (
          <button
            type="button"
            className="button button--primary button--block"
            onClick={() => pendingSession && adoptSession(pendingSession)}
          >
            {t('security.codesSaved')}
          </button>
        )}
      </section>
    );
  }

  if (step === 'code' || step === 'enrol') {
    const enrolling = step === 'enrol';
    return (
      <section className="card card--narrow">
        <PageHeading>{enrolling ? t('security.enrolTitle') : t('security.codeTitle')}</PageHeading>
        {enrolling ? (
          <>
            <Alert tone="info">{t('security.enrolRequired')}</Alert>
            <p className="muted">{t('security.enrolIntro')}</p>
            {enrolment ? <EnrolmentSecret enrolment={enrolment} /> : null}
            <p className="muted">{t('security.enrolStep2')}</p>
          </>
        ) : (
          <p className="muted">{t('security.codeIntro')}</p>
        )}
        {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
        <form className="form" onSubmit={(e) => void (enrolling ? submitEnrolment(e) : submitCode(e))} noValidate>
          <TextField
            id="signin-code"
            label={useRecovery ? t('security.recoveryCode') : t('security.code')}
            hint={useRecovery ? t('security.recoveryHint') : t('security.codeHint')}
            name="code"
            autoComplete="one-time-code"
            inputMode={useRecovery ? 'text' : 'numeric'}
            autoCapitalize="characters"
            spellCheck={false}
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
            error={fields.code ?? fields.recoveryCode}
          />
          <button
            type="submit"
            className="button button--primary button--block"
            disabled={busy || (enrolling && !enrolment)}
          >
            {busy ? t('security.verifying') : enrolling ? t('security.confirm') : t('security.verify')}
          </button>
        </form>
        <div className="form__actions">
          {enrolling ? null : (
            <button
              type="button"
              className="button button--ghost"
              onClick={() => {
                setUseRecovery(!useRecovery);
                setCode('');
                setFields({});
              }}
            >
              {useRecovery ? t('security.useCode') : t('security.useRecovery')}
            </button>
          )}
          <button type="button" className="button button--ghost" onClick={() => restart(null)}>
            {t('security.back')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="card card--narrow">
      <PageHeading>{t('signIn.title')}</PageHeading>
      <p className="muted">{t('signIn.intro')}</p>
      {notice === 'session_expired' && !error && !info ? <Alert tone="info">{t('signIn.sessionExpired')}</Alert> : null}
      {notice === 'signed_out' && !error && !info ? <Alert tone="success">{t('signIn.signedOut')}</Alert> : null}
      {info ? <Alert tone="info">{info}</Alert> : null}
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submitPassword(e)} noValidate>
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
