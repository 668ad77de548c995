/**
 * A dialog that asks for a reason (or an optional comment) before an audited action such as
 * locking or unlocking a form or a casebook; the server's error is shown inside the dialog.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextAreaField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { useEcrfTranslation } from './ecrf-i18n.js';

/** Props of ReasonDialog. */
export interface ReasonDialogProps {
  title: string;
  intro?: ReactNode;
  label: string;
  /** Whether an empty reason is refused. */
  required: boolean;
  submitLabel: string;
  /** Performs the action; a rejection is shown in the dialog. */
  onSubmit: (reason: string) => Promise<void>;
  onClose: () => void;
  /** Extra explanation of a server refusal (e.g. the casebook's open drafts and queries). */
  explain?: (error: unknown) => ReactNode;
}

/** The reason dialog. */
export function ReasonDialog({
  title,
  intro,
  label,
  required,
  submitLabel,
  onSubmit,
  onClose,
  explain,
}: ReasonDialogProps) {
  const { et, t } = useEcrfTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    if (required && reason.trim() === '') {
      setFieldError(t('errors.required'));
      document.getElementById(id)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSubmit(reason.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog title={title} onClose={onClose}>
      {intro}
      {error ? (
        <Alert tone="error">
          {describeError(t, error)}
          {explain?.(error)}
        </Alert>
      ) : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextAreaField
          id={id}
          label={label}
          hint={required ? et('common.reasonHint') : et('common.optionalReasonHint')}
          rows={3}
          required={required}
          autoFocus
          value={reason}
          error={fieldError}
          onChange={(e) => {
            setReason(e.target.value);
            setFieldError(undefined);
          }}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {submitLabel}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {et('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
