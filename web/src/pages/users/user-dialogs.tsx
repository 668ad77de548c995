/** The per-user actions: disable/enable with a reason, reset password, and change roles with a reason. */
import { useState, type FormEvent } from 'react';
import type { Site, UserSummary } from '../../api/types.js';
import { disableUser, enableUser, resetUserPassword, setUserGrants } from '../../api/users-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextAreaField } from '../../components/field.js';
import { useTranslation } from '../../i18n/use-translation.js';
import { describeError, translatedFieldErrors } from '../../lib/error-messages.js';
import { GrantsEditor, grantsFromRows, rowsFromGrants, type GrantRow } from './grants-editor.js';
import { OneTimePassword } from './one-time-password.js';

/** Props shared by the dialogs: the user, what to do after a change, and how to close. */
export interface UserDialogProps {
  user: UserSummary;
  /** Called after a successful change with a confirmation for the page (null: the dialog shows its own result). */
  onDone: (message: string | null) => void;
  onClose: () => void;
}

/** Disables or enables `user`, asking for the reason that goes into the audit trail. */
export function StatusDialog({ user, onDone, onClose }: UserDialogProps) {
  const { t } = useTranslation();
  const disabling = user.status === 'active';
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const name = user.displayName;

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    if (reason.trim() === '') {
      setFields({ reason: t('errors.required') });
      document.getElementById('status-reason')?.focus();
      return;
    }
    setBusy(true);
    try {
      if (disabling) await disableUser(user.id, reason.trim());
      else await enableUser(user.id, reason.trim());
      onDone(disabling ? t('users.done.disabled', { name }) : t('users.done.enabled', { name }));
    } catch (err) {
      setError(err);
      setFields(translatedFieldErrors(t, err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={disabling ? t('users.dialogs.disableTitle', { name }) : t('users.dialogs.enableTitle', { name })}
      onClose={onClose}
    >
      <p>{disabling ? t('users.dialogs.disableIntro') : t('users.dialogs.enableIntro')}</p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextAreaField
          id="status-reason"
          label={t('users.form.reason')}
          hint={t('users.form.reasonHint')}
          required
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={fields.reason}
        />
        <div className="form__actions">
          <button
            type="submit"
            className={disabling ? 'button button--danger' : 'button button--primary'}
            disabled={busy}
          >
            {disabling ? t('users.actions.disable') : t('users.actions.enable')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('users.form.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Resets `user`'s password after confirmation and shows the new one-time password once. */
export function ResetPasswordDialog({ user, onDone, onClose }: UserDialogProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [password, setPassword] = useState<string | null>(null);
  const name = user.displayName;

  const reset = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const result = await resetUserPassword(user.id);
      setPassword(result.oneTimePassword ?? '');
      onDone(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('users.dialogs.resetTitle', { name })} onClose={onClose}>
      {password !== null ? (
        <>
          <OneTimePassword intro={t('users.otp.resetFor', { name })} password={password} />
          <div className="form__actions">
            <button type="button" className="button button--primary" onClick={onClose} autoFocus>
              {t('users.form.close')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p>{t('users.dialogs.resetIntro')}</p>
          {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
          <div className="form__actions">
            <button type="button" className="button button--primary" onClick={() => void reset()} disabled={busy}>
              {t('users.actions.resetPassword')}
            </button>
            <button type="button" className="button button--secondary" onClick={onClose}>
              {t('users.form.cancel')}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

/** Replaces `user`'s role grants, with a reason. */
export function RolesDialog({ user, sites, onDone, onClose }: UserDialogProps & { sites: readonly Site[] }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<GrantRow[]>(() => rowsFromGrants(user.grants));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const name = user.displayName;

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const grants = grantsFromRows(rows);
    const problems: Record<string, string> = {};
    if (grants.length === 0) problems.grants = t('errors.chooseRole');
    if (reason.trim() === '') problems.reason = t('errors.required');
    setFields(problems);
    setError(null);
    if (problems.grants) return void document.getElementById('roles-grants')?.focus();
    if (problems.reason) return void document.getElementById('roles-reason')?.focus();
    setBusy(true);
    try {
      await setUserGrants(user.id, grants, reason.trim());
      onDone(t('users.done.roles', { name }));
    } catch (err) {
      setError(err);
      setFields(translatedFieldErrors(t, err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('users.dialogs.rolesTitle', { name })} onClose={onClose}>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <GrantsEditor idPrefix="roles-grants" rows={rows} sites={sites} error={fields.grants} onChange={setRows} />
        <TextAreaField
          id="roles-reason"
          label={t('users.form.reason')}
          hint={t('users.form.reasonHint')}
          required
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={fields.reason}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('users.form.saveRoles')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('users.form.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
