/**
 * The electronic-signature dialog of the trial pages (21 CFR Part 11 style): it states exactly what
 * is signed and what the signature means, and asks for the password again. A wrong password is
 * shown next to the field; any other refusal is shown above the form and handed to `onRefused`
 * so the page can show field errors where they belong.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { fieldErrors, isApiError } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextField } from '../../components/field.js';
import { FormActions } from '../../components/form-actions.js';
import { describeError } from '../../lib/error-messages.js';
import { useCommonStrings } from './common-strings.js';

/** What a signature means (the server records one of these with it). */
export type SignatureMeaning = 'approval' | 'responsibility' | 'review';

/** Props of SignatureDialog. */
export interface SignatureDialogProps {
  title: string;
  /** The sentence being signed, as the server records it. */
  statement: string;
  meaning: SignatureMeaning;
  /** Extra content above the statement (a summary of what is signed). */
  children?: ReactNode;
  /** Label of the submit button; defaults to "Sign". */
  signLabel?: string;
  /** Danger styling for irreversible actions such as unblinding. */
  danger?: boolean;
  /** Signs; throws the API error when refused. */
  onSign: (password: string) => Promise<void>;
  /** Called with a refusal that is not about the password (the dialog closes). */
  onRefused?: (error: unknown) => void;
  onClose: () => void;
}

const PASSWORD_ID = 'e-signature-password';

/** A modal e-signature dialog. */
export function SignatureDialog({
  title,
  statement,
  meaning,
  children,
  signLabel,
  danger = false,
  onSign,
  onRefused,
  onClose,
}: SignatureDialogProps) {
  const { pt, t } = useCommonStrings();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const focusPassword = (): void => document.getElementById(PASSWORD_ID)?.focus();

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    if (password === '') {
      setFieldError(pt('errors.required'));
      focusPassword();
      return;
    }
    setBusy(true);
    try {
      await onSign(password);
    } catch (err) {
      setBusy(false);
      setPassword('');
      const fields = isApiError(err) ? fieldErrors(err.details) : {};
      if (fields.signature) {
        setFieldError(
          fields.signature === 'password is not correct' ? pt('signature.wrongPassword') : fields.signature,
        );
        focusPassword();
        return;
      }
      if (onRefused) {
        onRefused(err);
        return;
      }
      setError(err);
      focusPassword();
    }
  };

  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      <blockquote className="tp-signature-statement">{statement}</blockquote>
      <p className="tp-signature-meaning">
        {pt('signature.meaning', { meaning: pt(`signature.meanings.${meaning}`) })}
      </p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id={PASSWORD_ID}
          type="password"
          label={pt('signature.password')}
          hint={pt('signature.passwordHint')}
          autoComplete="current-password"
          required
          autoFocus
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setFieldError(undefined);
          }}
          error={fieldError}
        />
        <FormActions
          submitLabel={signLabel ?? pt('signature.sign')}
          tone={danger ? 'danger' : 'primary'}
          busy={busy}
          busyLabel={pt('signature.signing')}
          cancelLabel={pt('cancel')}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
