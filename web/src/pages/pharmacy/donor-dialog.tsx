/** Registering a cell donor: pseudonymous code, eligibility, procurement date, infection screening. */
import { useState, type FormEvent } from 'react';
import {
  createDonor,
  SCREENING_TESTS,
  type Donor,
  type ScreeningTest,
  type TestResult,
} from '../../api/randomization-api.js';
import { fieldErrors, isApiError } from '../../api/client.js';
import { DialogForm } from '../../components/dialog-form.js';
import { SelectField, TextAreaField } from '../../components/field.js';
import { describeError, translateFieldMessage } from '../../lib/error-messages.js';
import { useCommonStrings } from '../randomization/common-strings.js';
import { CodeField, DateField, showFieldErrors, TrialFormActions } from '../randomization/trial-fields.js';
import { cphToday } from '../randomization/trial-format.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';
import { TestResultField } from './test-result-field.js';

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
    if (showFieldErrors(found, setErrors, 'donor')) return;
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
    <DialogForm
      title={pt('donors.form.title')}
      onClose={onClose}
      errorMessage={error ? describeError(t, error) : null}
      onSubmit={submit}
    >
      <CodeField
        id="donor-donorCode"
        label={pt('donors.form.code')}
        value={code}
        onValue={setCode}
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
      <DateField
        id="donor-procurementDate"
        label={pt('donors.form.procurementDate')}
        value={date}
        onValue={setDate}
        error={errors.procurementDate}
      />
      <fieldset className="fieldset">
        <legend className="field__label">{pt('donors.form.tests')}</legend>
        <div className="tp-form-grid">
          {SCREENING_TESTS.map((s) => (
            <TestResultField
              key={s}
              id={`donor-test-${s}`}
              label={pt(`donors.tests.${s}`)}
              value={tests[s]}
              onValue={(v) => setTests((x) => ({ ...x, [s]: v }))}
              error={errors[`test-${s}`]}
            />
          ))}
        </div>
      </fieldset>
      <TextAreaField
        id="donor-notes"
        label={pt('common.notes')}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
      />
      <TrialFormActions submitLabel={pt('donors.form.save')} busy={busy} onCancel={onClose} />
    </DialogForm>
  );
}
