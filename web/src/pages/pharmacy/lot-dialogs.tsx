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
  TEST_RESULTS,
  type Donor,
  type Lot,
  type ReleaseNumber,
  type ReleaseResults,
  type ReleaseSpecification,
  type TestResult,
  type Vial,
} from '../../api/randomization-api.js';
import { fieldErrors, isApiError } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { SelectField, TextAreaField, TextField } from '../../components/field.js';
import { describeError, translateFieldMessage } from '../../lib/error-messages.js';
import { useCommonStrings } from '../randomization/common-strings.js';
import { SignatureDialog } from '../randomization/signature-dialog.js';
import { cphToday, parseDecimal } from '../randomization/trial-format.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';
import { limitText } from './release-results.js';

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
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`lot-${first}`)?.focus();
      return;
    }
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
    <Dialog title={pt('lots.form.title')} onClose={onClose}>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="lot-lotNumber"
          label={pt('lots.form.lotNumber')}
          className="input tp-input--date"
          autoComplete="off"
          value={lotNumber}
          onChange={(e) => setLotNumber(e.target.value)}
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
          <TextField
            id="lot-passage"
            label={pt('lots.form.passage')}
            inputMode="numeric"
            className="input tp-input--short"
            value={passage}
            onChange={(e) => setPassage(e.target.value)}
            error={errors.passage}
          />
          <TextField
            id="lot-cryopreservedOn"
            type="date"
            label={pt('lots.form.cryopreservedOn')}
            className="input tp-input--date"
            value={cryo}
            onChange={(e) => setCryo(e.target.value)}
            error={errors.cryopreservedOn}
          />
          <TextField
            id="lot-expiryDate"
            type="date"
            label={pt('lots.form.expiryDate')}
            className="input tp-input--date"
            value={expiry}
            onChange={(e) => setExpiry(e.target.value)}
            error={errors.expiryDate}
          />
        </div>
        <TextAreaField
          id="lot-notes"
          label={pt('common.notes')}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? common.pt('saving') : pt('lots.form.save')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {common.pt('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
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
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`release-${first}`)?.focus();
      return;
    }
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
    <TextField
      key={n}
      id={`release-${n}`}
      label={pt(`lots.release.${n}`)}
      hint={limitText(pt, locale, n, spec)}
      inputMode="decimal"
      className="input tp-input--short"
      value={numbers[n]}
      onChange={(e) => {
        const v = e.target.value;
        setNumbers((x) => ({ ...x, [n]: v }));
      }}
      error={errors[n]}
    />
  );
  const resultField = (id: 'sterility' | 'mycoplasma', value: TestResult, set: (v: TestResult) => void) => (
    <SelectField
      id={`release-${id}`}
      label={pt(`lots.release.${id}`)}
      value={value}
      onChange={(e) => set(e.target.value as TestResult)}
      error={errors[id]}
    >
      {TEST_RESULTS.map((r) => (
        <option key={r} value={r}>
          {pt(`donors.results.${r}`)}
        </option>
      ))}
    </SelectField>
  );

  return (
    <Dialog title={pt('lots.release.title', { lot: lot.lotNumber })} onClose={onClose}>
      <p className="muted">{pt('lots.release.intro', { version: spec?.version ?? '—' })}</p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={proceed} noValidate>
        <TextField
          id="release-testedOn"
          type="date"
          label={pt('lots.release.testedOn')}
          className="input tp-input--date"
          value={testedOn}
          onChange={(e) => setTestedOn(e.target.value)}
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
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            {pt('lots.release.continue')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {common.pt('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
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
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`vials-${first}`)?.focus();
      return;
    }
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
    <Dialog title={pt('lots.vialsForm.title', { lot: lot.lotNumber })} onClose={onClose}>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
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
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? common.pt('saving') : pt('lots.vialsForm.save')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {common.pt('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
