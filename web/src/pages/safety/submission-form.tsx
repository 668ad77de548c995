/**
 * Recording something sent or received on an SAE case: the site's initial or follow-up report to
 * the sponsor, or (for the sponsor's safety physician) the acknowledgement and the SUSAR reports.
 * The time defaults to now and is entered in Copenhagen time.
 */
import { useState, type FormEvent } from 'react';
import type { SaeCase, SubmissionKind } from '../../api/safety-api.js';
import { isApiError } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { SelectField, TextAreaField, TextField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { cphInputValue, instantFromCphInput } from '../randomization/trial-format.js';
import { aeMessageKey, fieldOfDetail } from './ae-form-model.js';
import { useSafetyStrings } from './safety-i18n.js';

/** Props of SubmissionForm. */
export interface SubmissionFormProps<K extends SubmissionKind> {
  id: string;
  title: string;
  kinds: readonly K[];
  /** The kind preselected (the next one due). */
  initialKind: K;
  onSubmit: (input: { kind: K; occurredAt: string; reference: string | null; note: string | null }) => Promise<SaeCase>;
  onSaved: (c: SaeCase, kind: K) => void;
}

/** The form, in a card. */
export function SubmissionForm<K extends SubmissionKind>({
  id,
  title,
  kinds,
  initialKind,
  onSubmit,
  onSaved,
}: SubmissionFormProps<K>) {
  const { pt, t } = useSafetyStrings();
  const [kind, setKind] = useState<K>(initialKind);
  const [time, setTime] = useState(() => cphInputValue(new Date()));
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const occurredAt = instantFromCphInput(time);
    if (!occurredAt) {
      setErrors({ occurredAt: pt('errors.dateTime') });
      return;
    }
    if (Date.parse(occurredAt) > Date.now() + 60_000) {
      setErrors({ occurredAt: pt('errors.future') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = await onSubmit({
        kind,
        occurredAt,
        reference: reference.trim() || null,
        note: note.trim() || null,
      });
      setReference('');
      setNote('');
      setTime(cphInputValue(new Date()));
      onSaved(saved, kind);
    } catch (err) {
      setError(err);
      if (isApiError(err)) {
        setErrors(
          Object.fromEntries(
            err.details.map((d) => {
              const key = aeMessageKey(d.message);
              return [fieldOfDetail(d), key ? pt(key) : d.message];
            }),
          ),
        );
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card tp-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="tp-section__title">
        {title}
      </h2>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="tp-form-grid">
          <SelectField
            id={`${id}-kind`}
            label={pt('case.kind')}
            value={kind}
            onChange={(e) => setKind(e.target.value as K)}
            error={errors.kind}
          >
            {kinds.map((k) => (
              <option key={k} value={k}>
                {pt(`case.kinds.${k}`)}
              </option>
            ))}
          </SelectField>
          <TextField
            id={`${id}-occurredAt`}
            type="datetime-local"
            label={pt('case.occurredAt')}
            hint={pt('case.occurredHint')}
            className="input tp-input--date"
            value={time}
            onChange={(e) => setTime(e.target.value)}
            error={errors.occurredAt}
          />
          <TextField
            id={`${id}-reference`}
            label={pt('case.reference')}
            value={reference}
            maxLength={200}
            onChange={(e) => setReference(e.target.value)}
            error={errors.reference}
          />
        </div>
        <TextAreaField
          id={`${id}-note`}
          label={pt('case.note')}
          value={note}
          maxLength={2000}
          onChange={(e) => setNote(e.target.value)}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? pt('form.saving') : pt('case.record')}
          </button>
        </div>
      </form>
    </section>
  );
}
