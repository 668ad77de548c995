/**
 * The buttons under a form in a dialog or panel: the form's own submit button (disabled while it
 * is busy, with an optional "…ing" label) and Cancel beside it.
 */

/** Props of FormActions. */
export interface FormActionsProps {
  submitLabel: string;
  cancelLabel: string;
  onCancel: () => void;
  /** While the form is being sent: the submit button is disabled and shows `busyLabel` when given. */
  busy?: boolean;
  busyLabel?: string;
  /** Disabled for another reason than being busy (nothing to submit yet). */
  disabled?: boolean;
  /** Danger styling for actions that end or refuse something. */
  tone?: 'primary' | 'danger';
}

/** Submit and Cancel, in the form's action row. */
export function FormActions({
  submitLabel,
  cancelLabel,
  onCancel,
  busy = false,
  busyLabel,
  disabled = false,
  tone = 'primary',
}: FormActionsProps) {
  return (
    <div className="form__actions">
      <button type="submit" className={`button button--${tone}`} disabled={busy || disabled}>
        {busy && busyLabel ? busyLabel : submitLabel}
      </button>
      <button type="button" className="button button--secondary" onClick={onCancel}>
        {cancelLabel}
      </button>
    </div>
  );
}
