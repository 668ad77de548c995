/**
 * The sponsor's assessment of an AE, shown apart from the investigator's: its causality and the
 * expectedness against a named version of the reference safety information. The designated safety
 * physician can record or change it (a change needs a reason); it never alters the investigator's.
 */
import { useState, type FormEvent } from 'react';
import {
  assessAdverseEventAsSponsor,
  CAUSALITY_CODES,
  EXPECTEDNESS_CODES,
  type AeDetail,
  type Causality,
  type Expectedness,
  type RsiVersion,
} from '../../api/safety-api.js';
import { isApiError } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { SelectField, TextAreaField } from '../../components/field.js';
import { describeError, translateFieldMessage } from '../../lib/error-messages.js';
import { formatPlainDate } from '../randomization/trial-format.js';
import { fieldOfDetail } from './ae-form-model.js';
import { useSafetyStrings } from './safety-i18n.js';

/** Props of SponsorAssessmentSection. */
export interface SponsorAssessmentProps {
  ae: AeDetail;
  /** Whether the user is a designated safety physician who may assess. */
  mayAssess: boolean;
  rsiVersions: readonly RsiVersion[];
  onSaved: (ae: AeDetail) => void;
}

/** The section on the AE page. */
export function SponsorAssessmentSection({ ae, mayAssess, rsiVersions, onSaved }: SponsorAssessmentProps) {
  const { pt, t, locale } = useSafetyStrings();
  const s = ae.sponsorAssessment;
  const [editing, setEditing] = useState(false);
  const [cell, setCell] = useState<Causality | ''>(s?.causality.cellProduct ?? '');
  const [procedure, setProcedure] = useState<Causality | ''>(s?.causality.procedure ?? '');
  const [expectedness, setExpectedness] = useState<Expectedness | ''>(s?.expectedness ?? '');
  const [rsi, setRsi] = useState(s?.rsiVersion ?? rsiVersions.at(-1)?.version ?? '');
  const [comment, setComment] = useState(s?.comment ?? '');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const found: Record<string, string> = {};
    if (cell === '' || procedure === '') found.causality = pt('errors.chooseOne');
    if (expectedness === '') found.expectedness = pt('errors.chooseOne');
    if (rsi === '') found.rsiVersion = pt('errors.chooseOne');
    if (s && reason.trim() === '') found.reason = pt('errors.required');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      onSaved(
        await assessAdverseEventAsSponsor(ae.id, {
          causality: { cellProduct: cell as Causality, procedure: procedure as Causality },
          expectedness: expectedness as Expectedness,
          rsiVersion: rsi,
          comment: comment.trim() === '' ? null : comment.trim(),
          ...(s ? { reason: reason.trim() } : {}),
        }),
      );
      setEditing(false);
      setReason('');
    } catch (err) {
      setError(err);
      if (isApiError(err)) {
        setErrors(Object.fromEntries(err.details.map((d) => [fieldOfDetail(d), translateFieldMessage(t, d.message)])));
      }
    } finally {
      setBusy(false);
    }
  };

  const radios = (legend: string, name: string, value: string, set: (v: Causality) => void) => (
    <fieldset className="tp-choices">
      <legend className="tp-choices__legend">{legend}</legend>
      <div className="tp-choices__options">
        {CAUSALITY_CODES.map((c) => (
          <label key={c} className="tp-choice">
            <input type="radio" name={name} checked={value === c} onChange={() => set(c)} />
            {pt(`form.causalityCodes.${c}`)}
          </label>
        ))}
      </div>
    </fieldset>
  );

  return (
    <section className="card tp-section" aria-labelledby="sponsor-assessment">
      <h2 id="sponsor-assessment" className="tp-section__title">
        {pt('sponsor.title')}
      </h2>
      <p className="muted">{pt('sponsor.intro')}</p>
      {s ? (
        <dl className="facts" data-sponsor-assessment>
          <div className="facts__item">
            <dt>{pt('sponsor.causality')}</dt>
            <dd>
              {pt('detail.causalityLine', {
                cell: pt(`form.causalityCodes.${s.causality.cellProduct}`),
                procedure: pt(`form.causalityCodes.${s.causality.procedure}`),
              })}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{pt('sponsor.expectedness')}</dt>
            <dd>
              {pt('sponsor.line', {
                expectedness: pt(`sponsor.expectednessCodes.${s.expectedness}`),
                rsi: s.rsiVersion,
              })}
            </dd>
          </div>
          {s.comment ? (
            <div className="facts__item">
              <dt>{pt('sponsor.comment')}</dt>
              <dd className="tp-narrative">{s.comment}</dd>
            </div>
          ) : null}
        </dl>
      ) : (
        <p>{pt('sponsor.none')}</p>
      )}
      {mayAssess && !editing && ae.status === 'active' ? (
        <div className="form__actions">
          <button type="button" className="button button--secondary" onClick={() => setEditing(true)}>
            {pt('sponsor.edit')}
          </button>
        </div>
      ) : null}
      {mayAssess && editing ? (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
          <p className="field__hint">{pt('form.causalityHint')}</p>
          <div className="tp-form-grid">
            {radios(pt('form.cellProduct'), 'sponsor-cell', cell, setCell)}
            {radios(pt('form.procedure'), 'sponsor-procedure', procedure, setProcedure)}
          </div>
          {errors.causality ? <p className="field__error">{errors.causality}</p> : null}
          <div className="tp-form-grid">
            <SelectField
              id="sponsor-expectedness"
              label={pt('sponsor.expectedness')}
              value={expectedness}
              onChange={(e) => setExpectedness(e.target.value as Expectedness)}
              error={errors.expectedness}
            >
              <option value="">—</option>
              {EXPECTEDNESS_CODES.map((x) => (
                <option key={x} value={x}>
                  {pt(`sponsor.expectednessCodes.${x}`)}
                </option>
              ))}
            </SelectField>
            <SelectField
              id="sponsor-rsi"
              label={pt('sponsor.rsiVersion')}
              value={rsi}
              onChange={(e) => setRsi(e.target.value)}
              error={errors.rsiVersion}
            >
              <option value="">{pt('sponsor.chooseRsi')}</option>
              {rsiVersions.map((v) => (
                <option key={v.version} value={v.version}>
                  {pt('sponsor.rsiOption', {
                    version: v.version,
                    title: v.title,
                    date: formatPlainDate(v.effectiveFrom, locale),
                  })}
                </option>
              ))}
            </SelectField>
          </div>
          <TextAreaField
            id="sponsor-comment"
            label={pt('sponsor.comment')}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          {s ? (
            <TextAreaField
              id="sponsor-reason"
              label={pt('sponsor.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={errors.reason}
            />
          ) : null}
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {busy ? pt('form.saving') : pt('sponsor.save')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setEditing(false)}>
              {pt('form.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
