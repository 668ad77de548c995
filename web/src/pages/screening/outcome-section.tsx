/**
 * Closing a screening by hand: declined, not reached or another reason, each with a reason that
 * the screening log shows and the CONSORT diagram counts.
 */
import { useState, type FormEvent } from 'react';
import {
  MANUAL_OUTCOMES,
  recordScreeningOutcome,
  type ManualOutcome,
  type ScreeningView,
} from '../../api/screening-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextAreaField } from '../../components/field.js';
import { FormActions } from '../../components/form-actions.js';
import { describeError } from '../../lib/error-messages.js';
import { screeningFieldErrors } from './screening-errors.js';
import { useScreeningTranslation } from './screening-i18n.js';

/** Props of OutcomeSection. */
export interface OutcomeSectionProps {
  screening: ScreeningView;
  onClosed: (screening: ScreeningView) => void;
}

function OutcomeDialog({
  screening,
  outcome,
  onClosed,
  onClose,
}: {
  screening: ScreeningView;
  outcome: ManualOutcome;
  onClosed: (s: ScreeningView) => void;
  onClose: () => void;
}) {
  const { st, t } = useScreeningTranslation();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    if (reason.trim() === '') {
      setFieldError(t('errors.required'));
      document.getElementById('outcome-reason')?.focus();
      return;
    }
    setBusy(true);
    try {
      onClosed(await recordScreeningOutcome(screening.id, outcome, reason.trim()));
    } catch (err) {
      const fields = screeningFieldErrors(st, t, err);
      setFieldError(fields.reason);
      if (!fields.reason) setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog title={st(`outcome.dialogTitle.${outcome}`)} onClose={onClose}>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextAreaField
          id="outcome-reason"
          label={st('common.reason')}
          hint={st('outcome.reasonHint')}
          required
          rows={3}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setFieldError(undefined);
          }}
          error={fieldError}
        />
        <FormActions
          submitLabel={st('outcome.submit')}
          tone="danger"
          busy={busy}
          cancelLabel={st('common.cancel')}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

/** The card with the three outcome buttons. */
export function OutcomeSection({ screening, onClosed }: OutcomeSectionProps) {
  const { st } = useScreeningTranslation();
  const [open, setOpen] = useState<ManualOutcome | null>(null);
  return (
    <section className="card sc-section" aria-labelledby="outcome-title">
      <h2 id="outcome-title" className="sc-section__title">
        {st('outcome.title')}
      </h2>
      <p className="muted">{st('outcome.intro')}</p>
      <div className="form__actions">
        {MANUAL_OUTCOMES.map((outcome) => (
          <button
            key={outcome}
            type="button"
            className="button button--danger-outline"
            onClick={() => setOpen(outcome)}
          >
            {st(`outcome.${outcome}`)}
          </button>
        ))}
      </div>
      {open ? (
        <OutcomeDialog
          screening={screening}
          outcome={open}
          onClose={() => setOpen(null)}
          onClosed={(s) => {
            setOpen(null);
            onClosed(s);
          }}
        />
      ) : null}
    </section>
  );
}
