/**
 * The lot dialogs of the cell laboratory: register a lot of an eligible donor, record its release
 * results (the decision follows the specification; e-signed), and add its vials with a location.
 */
import { useState, type FormEvent } from 'react';
import {
  addVials,
  createLot,
  recordLotRelease,
  RELEASE_NUMBERS,
  type Donor,
  type Lot,
  type ReleaseNumber,
  type ReleaseResults,
  type ReleaseSpecification,
  type TestResult,
  type Vial,
} from '../../api/randomization-api.js';
import { fieldErrors, isApiError } from '../../api/client.js';
import { DialogForm } from '../../components/dialog-form.js';
import { FormActions } from '../../components/form-actions.js';
import { SelectField, TextAreaField, TextField } from '../../components/field.js';
import { describeError, translateFieldMessage } from '../../lib/error-messages.js';
import { useCommonStrings } from '../randomization/common-strings.js';
import { SignatureDialog } from '../randomization/signature-dialog.js';
import {
  CodeField,
  DateField,
  ShortNumberField,
  showFieldErrors,
  TrialFormActions,
} from '../randomization/trial-fields.js';
import { cphToday, parseDecimal } from '../randomization/trial-format.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';
import { limitText } from './release-results.js';
import { TestResultField } from './test-result-field.js';

type T = ReturnType<typeof usePharmacyStrings>['t'];

/** Server field errors translated and keyed by the last path segment. */
function serverErrors(t: T, err: unknown): Record<string, string> {
  if (!isApiError(err)) return {};
  const out: Record<string, string> = {};
  for (const d of err.details) {
    const key = d.path.split('.').at(-1) ?? d.path;
    out[key] ??= translateFieldMessage(t, d.message);
  }
  return out;
}

/** Registering a lot. */
export function LotDialog({
  donors,
  onSaved,
  onClose,
}: {
  donors: readonly Donor[];
  onSaved: (lot: Lot) => void;
  onClose: () => void;
}) {
  const { pt, t } = usePharmacyStrings();
  const common = useCommonStrings();
  const eligible = donors.filter((d) => d.eligibility === 'eligible');
  const [lotNumber, setLotNumber] = useState('');
  const [donorId, setDonorId] = useState(eligible.length === 1 ? (eligible[0]?.id ?? '') : '');
  const [passage, setPassage] = useState('');
  const [cryo, setCryo] = useState(cphToday);
  const [expiry, setExpiry] = useState('');
  const [notes, setNotes] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const found: Record<string, string> = {};
    if (lotNumber.trim().length < 2) found.lotNumber = pt('errors.code');
    if (donorId === '') found.donorId = pt('lots.form.chooseDonor');
    if (!/^\d{1,2}$/.test(passage.trim())) found.passage = pt('errors.wholeNumber');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(cryo)) found.cryopreservedOn = common.pt('errors.date');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expiry)) found.expiryDate = common.pt('errors.date');
    if (showFieldErrors(found, setErrors, 'lot')) return;
    setBusy(true);
    try {
      onSaved(
        await createLot({
          lotNumber: lotNumber.trim(),
          donorId,
          passage: Number(passage.trim()),
          cryopreservedOn: cryo,
          expiryDate: expiry,
          ...(notes.trim() ? { notes: notes.trim() } : {}),
        }),
      );
    } catch (err) {
      setBusy(false);
      setError(err);
      setErrors(serverErrors(t, err));
    }
  };

  return (
    <DialogForm
      title={pt('lots.form.title')}
      onClose={onClose}
      errorMessage={error ? describeError(t, error) : null}
      onSubmit={submit}
    >
      <CodeField
        id="lot-lotNumber"
        label={pt('lots.form.lotNumber')}
        value={lotNumber}
        onValue={setLotNumber}
        error={errors.lotNumber}
      />
      <SelectField
        id="lot-donorId"
        label={pt('lots.form.donor')}
        value={donorId}
        onChange={(e) => setDonorId(e.target.value)}
        error={errors.donorId}
      >
        <option value="">{pt('lots.form.chooseDonor')}</option>
        {eligible.map((d) => (
          <option key={d.id} value={d.id}>
            {d.donorCode}
          </option>
        ))}
      </SelectField>
      <div className="tp-form-grid">
        <ShortNumberField
          id="lot-passage"
          label={pt('lots.form.passage')}
          inputMode="numeric"
          value={passage}
          onValue={setPassage}
          error={errors.passage}
        />
        <DateField
          id="lot-cryopreservedOn"
          label={pt('lots.form.cryopreservedOn')}
          value={cryo}
          onValue={setCryo}
          error={errors.cryopreservedOn}
        />
        <DateField
          id="lot-expiryDate"
          label={pt('lots.form.expiryDate')}
          value={expiry}
          onValue={setExpiry}
          error={errors.expiryDate}
        />
      </div>
      <TextAreaField
        id="lot-notes"
        label={pt('common.notes')}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
      />
      <TrialFormActions submitLabel={pt('lots.form.save')} busy={busy} onCancel={onClose} />
    </DialogForm>
  );
}

/** Recording release results, then the e-signature. */
export function ReleaseDialog({
  lot,
  spec,
  onSaved,
  onClose,
}: {
  lot: Lot;
  spec: ReleaseSpecification | null;
  onSaved: (lot: Lot) => void;
  onClose: () => void;
}) {
  const { pt, t, locale } = usePharmacyStrings();
  const common = useCommonStrings();
  const [testedOn, setTestedOn] = useState(cphToday);
  const [numbers, setNumbers] = useState<Record<ReleaseNumber, string>>(
    () => Object.fromEntries(RELEASE_NUMBERS.map((n) => [n, ''])) as Record<ReleaseNumber, string>,
  );
  const [sterility, setSterility] = useState<TestResult>('negative');
  const [mycoplasma, setMycoplasma] = useState<TestResult>('negative');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [results, setResults] = useState<ReleaseResults | null>(null);

  const proceed = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    setError(null);
    const found: Record<string, string> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(testedOn)) found.testedOn = common.pt('errors.date');
    const parsed: Partial<Record<ReleaseNumber, number>> = {};
    for (const n of RELEASE_NUMBERS) {
      const v = parseDecimal(numbers[n]);
      const max = n === 'endotoxinEuPerMl' ? 1000 : 100;
      if (v === null || v < 0 || v > max) {
        found[n] = n === 'endotoxinEuPerMl' ? pt('errors.number') : pt('errors.percent');
      } else parsed[n] = v;
    }
    if (showFieldErrors(found, setErrors, 'release')) return;
    setResults({ testedOn, sterility, mycoplasma, ...(parsed as Record<ReleaseNumber, number>) });
  };

  if (results) {
    return (
      <SignatureDialog
        title={pt('lots.release.signTitle')}
        statement={pt('lots.release.statement', { lot: lot.lotNumber, version: spec?.version ?? '—' })}
        meaning="approval"
        onClose={() => setResults(null)}
        onSign={async (password) => onSaved(await recordLotRelease(lot.id, results, password))}
        onRefused={(err) => {
          setErrors(serverErrors(t, err));
          setError(err);
          setResults(null);
        }}
      />
    );
  }

  const numberField = (n: ReleaseNumber) => (
    <ShortNumberField
      key={n}
      id={`release-${n}`}
      label={pt(`lots.release.${n}`)}
      hint={limitText(pt, locale, n, spec)}
      value={numbers[n]}
      onValue={(v) => setNumbers((x) => ({ ...x, [n]: v }))}
      error={errors[n]}
    />
  );
  const resultField = (id: 'sterility' | 'mycoplasma', value: TestResult, set: (v: TestResult) => void) => (
    <TestResultField
      id={`release-${id}`}
      label={pt(`lots.release.${id}`)}
      value={value}
      onValue={set}
      error={errors[id]}
    />
  );

  return (
    <DialogForm
      title={pt('lots.release.title', { lot: lot.lotNumber })}
      onClose={onClose}
      intro={<p className="muted">{pt('lots.release.intro', { version: spec?.version ?? '—' })}</p>}
      errorMessage={error ? describeError(t, error) : null}
      onSubmit={proceed}
    >
      <DateField
        id="release-testedOn"
        label={pt('lots.release.testedOn')}
        value={testedOn}
        onValue={setTestedOn}
        error={errors.testedOn}
      />
      <div className="tp-form-grid">{numberField('viabilityPct')}</div>
      <fieldset className="fieldset">
        <legend className="field__label">{pt('lots.release.markersLegend')}</legend>
        <div className="tp-form-grid">
          {(['cd73Pct', 'cd90Pct', 'cd105Pct', 'cd45Pct', 'cd34Pct', 'hlaDrPct'] as const).map(numberField)}
        </div>
      </fieldset>
      <div className="tp-form-grid">
        {numberField('endotoxinEuPerMl')}
        {resultField('sterility', sterility, setSterility)}
        {resultField('mycoplasma', mycoplasma, setMycoplasma)}
      </div>
      <FormActions submitLabel={pt('lots.release.continue')} cancelLabel={common.pt('cancel')} onCancel={onClose} />
    </DialogForm>
  );
}

/** Adding vials (one code per line) at a storage location. */
export function VialsDialog({
  lot,
  onSaved,
  onClose,
}: {
  lot: Lot;
  onSaved: (vials: Vial[]) => void;
  onClose: () => void;
}) {
  const { pt, t } = usePharmacyStrings();
  const common = useCommonStrings();
  const [codes, setCodes] = useState('');
  const [location, setLocation] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const list = codes
      .split(/\r?\n/)
      .map((c) => c.trim())
      .filter((c) => c !== '');
    const found: Record<string, string> = {};
    if (list.length === 0) found.codes = pt('errors.vialCodes');
    else if (list.some((c) => c.length < 2)) found.codes = pt('errors.code');
    if (location.trim() === '') found.location = common.pt('errors.required');
    if (showFieldErrors(found, setErrors, 'vials')) return;
    setBusy(true);
    try {
      onSaved(
        await addVials(
          lot.id,
          list.map((vialCode) => ({ vialCode, location: location.trim() })),
        ),
      );
    } catch (err) {
      setBusy(false);
      setError(err);
      const fields = isApiError(err) ? fieldErrors(err.details) : {};
      if (fields.vials) setErrors({ codes: translateFieldMessage(t, fields.vials) });
    }
  };

  return (
    <DialogForm
      title={pt('lots.vialsForm.title', { lot: lot.lotNumber })}
      onClose={onClose}
      errorMessage={error ? describeError(t, error) : null}
      onSubmit={submit}
    >
      <TextAreaField
        id="vials-codes"
        label={pt('lots.vialsForm.codes')}
        hint={pt('lots.vialsForm.codesHint')}
        className="input input--textarea tp-code"
        value={codes}
        onChange={(e) => setCodes(e.target.value)}
        error={errors.codes}
      />
      <TextField
        id="vials-location"
        label={pt('lots.vialsForm.location')}
        value={location}
        onChange={(e) => setLocation(e.target.value)}
        error={errors.location}
      />
      <TrialFormActions submitLabel={pt('lots.vialsForm.save')} busy={busy} onCancel={onClose} />
    </DialogForm>
  );
}
