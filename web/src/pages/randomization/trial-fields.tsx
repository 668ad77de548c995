/**
 * The labelled fields the trial dialogs (randomization, pharmacy) repeat: a date, a code, a short
 * number and the audited reason. Each hands the typed text to `onValue`; ids, labels and classes stay the
 * callers' (tests and the first-error focus find the controls by them).
 */
import { useState, type ReactNode } from 'react';
import { TextAreaField, TextField, type TextFieldProps } from '../../components/field.js';
import { FormActions } from '../../components/form-actions.js';
import { useCommonStrings } from './common-strings.js';

type ValueFieldProps = Omit<TextFieldProps, 'onChange' | 'value'> & { value: string; onValue: (value: string) => void };

/** A calendar date (`YYYY-MM-DD`). */
export function DateField({ onValue, ...props }: ValueFieldProps) {
  return (
    <TextField type="date" className="input tp-input--date" onChange={(e) => onValue(e.target.value)} {...props} />
  );
}

/** A code people copy from a label or a record (donor code, lot number, batch): no autofill. */
export function CodeField({ onValue, ...props }: ValueFieldProps) {
  return (
    <TextField
      className="input tp-input--date"
      autoComplete="off"
      onChange={(e) => onValue(e.target.value)}
      {...props}
    />
  );
}

/** A short number (decimal unless `inputMode` says otherwise) in a narrow input. */
export function ShortNumberField({ onValue, ...props }: ValueFieldProps) {
  return (
    <TextField
      inputMode="decimal"
      className="input tp-input--short"
      onChange={(e) => onValue(e.target.value)}
      {...props}
    />
  );
}

/**
 * The reason recorded in the audit trail with a change, required: `field` renders it, `take()`
 * gives the trimmed reason, or null after marking the empty field and moving focus to it.
 */
export function useReasonField(id: string): { field: ReactNode; take: () => string | null } {
  const common = useCommonStrings();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const take = (): string | null => {
    if (reason.trim() !== '') return reason.trim();
    setError(common.pt('errors.required'));
    document.getElementById(id)?.focus();
    return null;
  };
  const field = (
    <TextAreaField
      id={id}
      label={common.pt('reason')}
      hint={common.pt('reasonHint')}
      value={reason}
      onChange={(e) => {
        setReason(e.target.value);
        setError(undefined);
      }}
      error={error}
    />
  );
  return { field, take };
}

/** Submit ("Saving…" while busy) and Cancel under a trial dialog's form. */
export function TrialFormActions({
  submitLabel,
  busy,
  onCancel,
}: {
  submitLabel: string;
  busy: boolean;
  onCancel: () => void;
}) {
  const common = useCommonStrings();
  return (
    <FormActions
      submitLabel={submitLabel}
      busy={busy}
      busyLabel={common.pt('saving')}
      cancelLabel={common.pt('cancel')}
      onCancel={onCancel}
    />
  );
}

/**
 * Shows the client-side field errors found before sending and moves focus to the first of them
 * (controls are named `<prefix>-<field>`). True when there was one, and the form is not to be sent.
 */
export function showFieldErrors(
  found: Record<string, string>,
  setErrors: (errors: Record<string, string>) => void,
  prefix: string,
): boolean {
  setErrors(found);
  const first = Object.keys(found)[0];
  if (!first) return false;
  document.getElementById(`${prefix}-${first}`)?.focus();
  return true;
}
