/** Registering a cell donor: pseudonymous code, eligibility, procurement date, infection screening. */
import { useState, type FormEvent } from 'react';
import {
  createDonor,
  SCREENING_TESTS,
  TEST_RESULTS,
  type Donor,
  type ScreeningTest,
  type TestResult,
} from '../../api/randomization-api.js';
import { fieldErrors, isApiError } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { SelectField, TextAreaField, TextField } from '../../components/field.js';
import { describeError, translateFieldMessage } from '../../lib/error-messages.js';
import { useCommonStrings } from '../randomization/common-strings.js';
import { cphToday } from '../randomization/trial-format.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

/** The dialog. */
export function DonorDialog({ onSaved, onClose }: { onSaved: (d: Donor) => void; onClose: () => void }) {
  const { pt, t } = usePharmacyStrings();
  const common = useCommonStrings();
  const [code, setCode] = useState('');
  const [eligibility, setEligibility] = useState<'eligible' | 'not_eligible'>('eligible');
  const [date, setDate] = useState(cphToday);
  const [tests, setTests] = useState<Record<ScreeningTest, TestResult>>(
    () => Object.fromEntries(SCREENING_TESTS.map((s) => [s, 'negative'])) as Record<ScreeningTest, TestResult>,
  );
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const found: Record<string, string> = {};
    if (code.trim().length < 2) found.donorCode = pt('errors.code');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) found.procurementDate = common.pt('errors.date');
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`donor-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      onSaved(
        await createDonor({
          donorCode: code.trim(),
          eligibility,
          screeningTests: tests,
          procurementDate: date,
          ...(notes.trim() ? { notes: notes.trim() } : {}),
        }),
      );
    } catch (err) {
      setBusy(false);
      setError(err);
      if (isApiError(err)) {
        const raw = err.details.map((d) => ({ ...d, path: d.path.replace(/^screeningTests\./, 'test-') }));
        setErrors(
          Object.fromEntries(Object.entries(fieldErrors(raw)).map(([k, m]) => [k, translateFieldMessage(t, m)])),
        );
      }
    }
  };

  return (
    <Dialog title={pt('donors.form.title')} onClose={onClose}>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="donor-donorCode"
          label={pt('donors.form.code')}
          className="input tp-input--date"
          autoComplete="off"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={errors.donorCode}
        />
        <SelectField
          id="donor-eligibility"
          label={pt('donors.form.eligibility')}
          value={eligibility}
          onChange={(e) => setEligibility(e.target.value === 'not_eligible' ? 'not_eligible' : 'eligible')}
          error={errors.eligibility}
        >
          <option value="eligible">{pt('donors.eligible')}</option>
          <option value="not_eligible">{pt('donors.not_eligible')}</option>
        </SelectField>
        <TextField
          id="donor-procurementDate"
          type="date"
          label={pt('donors.form.procurementDate')}
          className="input tp-input--date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          error={errors.procurementDate}
        />
        <fieldset className="fieldset">
          <legend className="field__label">{pt('donors.form.tests')}</legend>
          <div className="tp-form-grid">
            {SCREENING_TESTS.map((s) => (
              <SelectField
                key={s}
                id={`donor-test-${s}`}
                label={pt(`donors.tests.${s}`)}
                value={tests[s]}
                onChange={(e) => {
                  const v = e.target.value as TestResult;
                  setTests((x) => ({ ...x, [s]: v }));
                }}
                error={errors[`test-${s}`]}
              >
                {TEST_RESULTS.map((r) => (
                  <option key={r} value={r}>
                    {pt(`donors.results.${r}`)}
                  </option>
                ))}
              </SelectField>
            ))}
          </div>
        </fieldset>
        <TextAreaField
          id="donor-notes"
          label={pt('common.notes')}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? common.pt('saving') : pt('donors.form.save')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {common.pt('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
