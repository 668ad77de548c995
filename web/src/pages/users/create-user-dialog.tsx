/** "New user": name, e-mail, language, roles and an optional password; shows the one-time password once. */
import { useState, type FormEvent } from 'react';
import type { Site, UserSummary } from '../../api/types.js';
import { createUser } from '../../api/users-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { SelectField, TextField } from '../../components/field.js';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../../i18n/i18n.js';
import { useTranslation } from '../../i18n/use-translation.js';
import { describeError, translatedFieldErrors } from '../../lib/error-messages.js';
import { emptyGrantRow, GrantsEditor, grantsFromRows, type GrantRow } from './grants-editor.js';
import { OneTimePassword } from './one-time-password.js';

const FIELD_IDS: Record<string, string> = {
  displayName: 'new-user-name',
  email: 'new-user-email',
  password: 'new-user-password',
  grants: 'new-user-grants',
};

/** Props of CreateUserDialog. */
export interface CreateUserDialogProps {
  sites: readonly Site[];
  onCreated: (user: UserSummary) => void;
  onClose: () => void;
}

/** The create-user dialog. */
export function CreateUserDialog({ sites, onCreated, onClose }: CreateUserDialogProps) {
  const { t, language } = useTranslation();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [locale, setLocale] = useState<Language>(language);
  const [password, setPassword] = useState('');
  const [rows, setRows] = useState<GrantRow[]>(() => [emptyGrantRow()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<{ user: UserSummary; oneTimePassword: string | null } | null>(null);

  const focusFirst = (errors: Record<string, string>): void => {
    const first = Object.keys(FIELD_IDS).find((name) => errors[name]);
    if (first) document.getElementById(FIELD_IDS[first] as string)?.focus();
  };

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const grants = grantsFromRows(rows);
    const problems: Record<string, string> = {};
    if (displayName.trim() === '') problems.displayName = t('errors.required');
    if (email.trim() === '') problems.email = t('errors.required');
    if (grants.length === 0) problems.grants = t('errors.chooseRole');
    setFields(problems);
    setError(null);
    if (Object.keys(problems).length > 0) return focusFirst(problems);
    setBusy(true);
    try {
      const result = await createUser({
        displayName: displayName.trim(),
        email: email.trim(),
        locale,
        grants,
        ...(password !== '' ? { password } : {}),
      });
      setCreated(result);
      onCreated(result.user);
    } catch (err) {
      const translated = translatedFieldErrors(t, err);
      setError(err);
      setFields(translated);
      focusFirst(translated);
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    const name = created.user.displayName;
    return (
      <Dialog title={t('users.dialogs.createTitle')} onClose={onClose}>
        {created.oneTimePassword ? (
          <OneTimePassword intro={t('users.otp.createdFor', { name })} password={created.oneTimePassword} />
        ) : (
          <Alert tone="success">{t('users.otp.createdWithPassword', { name })}</Alert>
        )}
        <div className="form__actions">
          <button type="button" className="button button--primary" onClick={onClose} autoFocus>
            {t('users.form.close')}
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={t('users.dialogs.createTitle')} onClose={onClose}>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id={FIELD_IDS.displayName as string}
          label={t('users.form.displayName')}
          autoComplete="off"
          required
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={fields.displayName}
        />
        <TextField
          id={FIELD_IDS.email as string}
          label={t('users.form.email')}
          type="email"
          inputMode="email"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.email}
        />
        <SelectField
          id="new-user-locale"
          label={t('users.form.locale')}
          value={locale}
          onChange={(e) => setLocale(e.target.value as Language)}
        >
          {LANGUAGES.map((lang) => (
            <option key={lang} value={lang} lang={lang}>
              {LANGUAGE_NAMES[lang]}
            </option>
          ))}
        </SelectField>
        <GrantsEditor
          idPrefix={FIELD_IDS.grants as string}
          rows={rows}
          sites={sites}
          error={fields.grants}
          onChange={(next) => {
            setRows(next);
            // The "choose a role" message is stale as soon as a role is picked.
            if (fields.grants && grantsFromRows(next).length > 0) setFields(({ grants: _done, ...rest }) => rest);
          }}
        />
        <TextField
          id={FIELD_IDS.password as string}
          label={t('users.form.password')}
          hint={t('users.form.passwordHint')}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fields.password}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('users.form.create')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('users.form.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
