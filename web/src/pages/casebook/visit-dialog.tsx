/**
 * Records that a visit took place (its date) or that it was missed (with why). A date outside the
 * window is accepted and becomes a protocol deviation, which the dialog says beforehand; changing
 * a recorded visit needs a reason for the audit trail.
 */
import { useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client.js';
import { recordVisit, type VisitView } from '../../api/ecrf-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextAreaField, TextField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { useEcrfTranslation } from '../form/ecrf-i18n.js';
import { formatPlainDate } from '../form/ecrf-format.js';

/** Props of VisitDialog. */
export interface VisitDialogProps {
  participantId: string;
  visit: VisitView;
  today: string;
  onClose: () => void;
  onRecorded: (visit: VisitView) => void;
}

/** The record-visit dialog. */
export function VisitDialog({ participantId, visit, today, onClose, onRecorded }: VisitDialogProps) {
  const { et, t, pick, locale } = useEcrfTranslation();
  const recorded = visit.doneOn !== null || visit.missed;
  const [mode, setMode] = useState<'done' | 'missed'>(visit.missed ? 'missed' : 'done');
  const [date, setDate] = useState(visit.doneOn ?? today);
  const [missedReason, setMissedReason] = useState(visit.missedReason ?? '');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const outside =
    mode === 'done' &&
    visit.earliest !== null &&
    visit.latest !== null &&
    date !== '' &&
    (date < visit.earliest || date > visit.latest);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (mode === 'done' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) problems.date = et('problems.date');
    if (mode === 'done' && date > today) problems.date = et('visit.future');
    if (mode === 'missed' && missedReason.trim() === '') problems.missedReason = t('errors.required');
    if (recorded && reason.trim() === '') problems.reason = t('errors.required');
    setErrors(problems);
    const first = ['date', 'missedReason', 'reason'].find((k) => problems[k]);
    if (first) {
      document.getElementById(`visit-${first}`)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const extra = recorded ? { reason: reason.trim() } : {};
      const saved = await recordVisit(
        participantId,
        visit.visit,
        mode === 'done' ? { date, ...extra } : { missed: true, missedReason: missedReason.trim(), ...extra },
      );
      onRecorded(saved);
    } catch (err) {
      const fields: Record<string, string> = {};
      if (isApiError(err)) {
        for (const d of err.details) {
          const key = d.path.replace(/^body\./, '');
          if (key === 'date') {
            fields.date = /after today/.test(d.message)
              ? et('visit.future')
              : /withdrawal/.test(d.message)
                ? et('visit.afterWithdrawal')
                : d.message;
          } else if (key === 'reason' || key === 'missedReason') fields[key] = t('errors.required');
        }
      }
      setErrors(fields);
      if (Object.keys(fields).length === 0) setError(err);
      setBusy(false);
    }
  };

  return (
    <Dialog title={et('visit.dialogTitle', { visit: pick(visit.name) })} onClose={onClose}>
      {visit.earliest && visit.latest ? (
        <p>
          {et('visit.windowSentence', {
            target: formatPlainDate(visit.target, locale),
            from: formatPlainDate(visit.earliest, locale),
            to: formatPlainDate(visit.latest, locale),
          })}
        </p>
      ) : null}
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="fieldset">
          <legend className="field__label">{et('visit.what')}</legend>
          <div className="ec-radios__options ec-radios--stacked">
            <label className="ec-radio">
              <input type="radio" name="visit-mode" checked={mode === 'done'} onChange={() => setMode('done')} />
              <span>{et('visit.tookPlace')}</span>
            </label>
            <label className="ec-radio">
              <input type="radio" name="visit-mode" checked={mode === 'missed'} onChange={() => setMode('missed')} />
              <span>{et('visit.wasMissed')}</span>
            </label>
          </div>
        </fieldset>
        {mode === 'done' ? (
          <TextField
            id="visit-date"
            type="date"
            label={et('visit.date')}
            max={today}
            value={date}
            error={errors.date}
            onChange={(e) => {
              setDate(e.target.value);
              setErrors(({ date: _gone, ...rest }) => rest);
            }}
          />
        ) : (
          <TextAreaField
            id="visit-missedReason"
            label={et('visit.missedReason')}
            rows={2}
            value={missedReason}
            error={errors.missedReason}
            onChange={(e) => setMissedReason(e.target.value)}
          />
        )}
        {outside ? <p className="ec-warning">{et('visit.outsideWindow')}</p> : null}
        {recorded ? (
          <TextAreaField
            id="visit-reason"
            label={et('visit.changeReason')}
            hint={et('common.reasonHint')}
            rows={2}
            value={reason}
            error={errors.reason}
            onChange={(e) => setReason(e.target.value)}
          />
        ) : null}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {et('visit.save')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {et('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
