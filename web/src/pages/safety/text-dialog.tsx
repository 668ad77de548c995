/** A small modal dialog asking for one required text (a reason or a response) before an action. */
import { useState, type FormEvent } from 'react';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextAreaField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { useCommonStrings } from '../randomization/common-strings.js';

/** The dialog; `onSubmit` throws the API error when refused. */
export function TextDialog({
  title,
  intro,
  label,
  submitLabel,
  danger,
  onSubmit,
  onClose,
}: {
  title: string;
  intro?: string;
  label: string;
  submitLabel: string;
  danger?: boolean;
  onSubmit: (text: string) => Promise<void>;
  onClose: () => void;
}) {
  const common = useCommonStrings();
  const { t } = common;
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    if (text.trim() === '') {
      setFieldError(common.pt('errors.required'));
      document.getElementById('text-dialog-input')?.focus();
      return;
    }
    setBusy(true);
    try {
      await onSubmit(text.trim());
    } catch (err) {
      setBusy(false);
      setError(err);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      {intro ? <p>{intro}</p> : null}
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextAreaField
          id="text-dialog-input"
          label={label}
          hint={common.pt('reasonHint')}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setFieldError(undefined);
          }}
          error={fieldError}
        />
        <div className="form__actions">
          <button type="submit" className={danger ? 'button button--danger' : 'button button--primary'} disabled={busy}>
            {submitLabel}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {common.pt('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
