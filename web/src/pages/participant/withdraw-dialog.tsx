/**
 * Withdrawal of consent: the scope (no further visits / data / contact) as radio buttons with what
 * each stops, the reason and the date. Collected data is never erased.
 */
import { useState, type FormEvent } from 'react';
import {
  WITHDRAWAL_SCOPES,
  withdrawParticipant,
  type ParticipantView,
  type WithdrawalScope,
} from '../../api/screening-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextAreaField, TextField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { screeningFieldErrors } from '../screening/screening-errors.js';
import { todayIso } from '../screening/screening-format.js';
import { useScreeningTranslation, type ScreeningT } from '../screening/screening-i18n.js';

const isScope = (value: string | null): value is WithdrawalScope =>
  value !== null && (WITHDRAWAL_SCOPES as readonly string[]).includes(value);

/** The label of a withdrawal scope (the code itself when unknown). */
export const scopeLabel = (st: ScreeningT, scope: string | null): string =>
  isScope(scope) ? st(`withdraw.scopes.${scope}`) : (scope ?? st('common.none'));

/** Props of WithdrawDialog. */
export interface WithdrawDialogProps {
  participant: ParticipantView;
  onWithdrawn: (participant: ParticipantView) => void;
  onClose: () => void;
}

/** The withdrawal dialog. */
export function WithdrawDialog({ participant, onWithdrawn, onClose }: WithdrawDialogProps) {
  const { st, t } = useScreeningTranslation();
  const [scope, setScope] = useState<WithdrawalScope | ''>('');
  const [reason, setReason] = useState('');
  const [date, setDate] = useState(todayIso);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (scope === '') problems.scope = st('withdraw.chooseScope');
    if (reason.trim() === '') problems.reason = t('errors.required');
    if (date === '') problems.withdrawnOn = t('errors.required');
    setFields(problems);
    setError(null);
    const ids: Record<string, string> = {
      scope: 'withdraw-scope',
      reason: 'withdraw-reason',
      withdrawnOn: 'withdraw-date',
    };
    const first = ['scope', 'reason', 'withdrawnOn'].find((k) => problems[k]);
    if (first) return void document.getElementById(ids[first] ?? '')?.focus();
    setBusy(true);
    try {
      onWithdrawn(
        await withdrawParticipant(participant.id, {
          scope: scope as WithdrawalScope,
          reason: reason.trim(),
          withdrawnOn: date,
        }),
      );
    } catch (err) {
      const translated = screeningFieldErrors(st, t, err);
      setFields(translated);
      setError(err);
      setBusy(false);
    }
  };

  const scopeError = fields.scope;
  return (
    <Dialog title={st('withdraw.title', { studyId: participant.studyId })} onClose={onClose}>
      <p>{st('withdraw.intro')}</p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset
          id="withdraw-scope"
          tabIndex={-1}
          className={scopeError ? 'sf-radios sf-radios--stacked field--invalid' : 'sf-radios sf-radios--stacked'}
          aria-describedby={scopeError ? 'withdraw-scope-error' : undefined}
        >
          <legend className="field__label sf-radios__legend">{st('withdraw.scope')}</legend>
          {WITHDRAWAL_SCOPES.map((s) => (
            <label key={s} htmlFor={`withdraw-scope-${s}`} className="sf-choice">
              <input
                id={`withdraw-scope-${s}`}
                type="radio"
                name="withdraw-scope"
                value={s}
                checked={scope === s}
                aria-describedby={`withdraw-scope-${s}-hint`}
                onChange={() => {
                  setScope(s);
                  if (fields.scope) setFields(({ scope: _gone, ...rest }) => rest);
                }}
              />
              <span className="sf-choice__text">
                <span className="sf-choice__label">{st(`withdraw.scopes.${s}`)}</span>
                <span id={`withdraw-scope-${s}-hint`} className="sf-choice__hint">
                  {st(`withdraw.scopeHints.${s}`)}
                </span>
              </span>
            </label>
          ))}
          {scopeError ? (
            <p id="withdraw-scope-error" className="field__error">
              {scopeError}
            </p>
          ) : null}
        </fieldset>
        <TextAreaField
          id="withdraw-reason"
          label={st('common.reason')}
          hint={st('common.reasonHint')}
          required
          rows={3}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            if (fields.reason) setFields(({ reason: _gone, ...rest }) => rest);
          }}
          error={fields.reason}
        />
        <TextField
          id="withdraw-date"
          type="date"
          label={st('withdraw.date')}
          required
          max={todayIso()}
          value={date}
          onChange={(e) => {
            setDate(e.target.value);
            if (fields.withdrawnOn) setFields(({ withdrawnOn: _gone, ...rest }) => rest);
          }}
          error={fields.withdrawnOn}
        />
        <p className="muted">{st('participants.keptNote')}</p>
        <div className="form__actions">
          <button type="submit" className="button button--danger" disabled={busy}>
            {st('withdraw.submit')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {st('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
