/** The forced password change after signing in with a one-time password. */
import { useState, type FormEvent } from 'react';
import { useSession } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { TextField } from '../components/field.js';
import { PageHeading } from '../components/page-heading.js';
import { useTranslation } from '../i18n/use-translation.js';
import { describeError, translatedFieldErrors } from '../lib/error-messages.js';

const FIELD_IDS: Record<string, string> = {
  currentPassword: 'pw-current',
  newPassword: 'pw-new',
  confirm: 'pw-confirm',
};

/** Asks for the one-time password and a new password (twice). */
export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { changePassword, signOut } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const focusFirst = (errors: Record<string, string>): void => {
    const first = Object.keys(FIELD_IDS).find((name) => errors[name]);
    if (first) document.getElementById(FIELD_IDS[first] as string)?.focus();
  };

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (current === '') problems.currentPassword = t('errors.required');
    if (next === '') problems.newPassword = t('errors.required');
    if (confirm === '') problems.confirm = t('errors.required');
    else if (confirm !== next) problems.confirm = t('changePassword.mismatch');
    setFields(problems);
    setError(null);
    if (Object.keys(problems).length > 0) return focusFirst(problems);
    setBusy(true);
    try {
      await changePassword(current, next);
    } catch (err) {
      const translated = translatedFieldErrors(t, err);
      setError(err);
      setFields(translated);
      setBusy(false);
      focusFirst(translated);
    }
  };

  return (
    <section className="card card--narrow">
      <PageHeading>{t('changePassword.title')}</PageHeading>
      <p className="muted">{t('changePassword.intro')}</p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="pw-current"
          label={t('changePassword.current')}
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={fields.currentPassword}
        />
        <TextField
          id="pw-new"
          label={t('changePassword.new')}
          hint={t('changePassword.newHint')}
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={fields.newPassword}
        />
        <TextField
          id="pw-confirm"
          label={t('changePassword.confirm')}
          type="password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={fields.confirm}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('changePassword.submit')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => void signOut()}>
            {t('app.signOut')}
          </button>
        </div>
      </form>
    </section>
  );
}
