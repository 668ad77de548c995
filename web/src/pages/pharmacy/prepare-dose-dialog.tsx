/**
 * Thaw and prepare the dose for one kit: a vial of a released lot with the viable cell count and
 * viability for an AD-MSC kit, a saline batch for a saline kit; the volume and appearance for both.
 * The server checks the measurements against the specification, sets the use-by time and records
 * the preparer's e-signature; the result (pass, or fail with each reason) is handed back.
 */
import { useState, type FormEvent } from 'react';
import {
  prepareDose,
  type Preparation,
  type PreparationInput,
  type ReleaseSpecification,
  type UnblindedRandomizationView,
  type Vial,
} from '../../api/randomization-api.js';
import { fieldErrors, isApiError } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { SelectField, TextField } from '../../components/field.js';
import { FormActions } from '../../components/form-actions.js';
import { describeError, translateFieldMessage } from '../../lib/error-messages.js';
import { useCommonStrings } from '../randomization/common-strings.js';
import { SignatureDialog } from '../randomization/signature-dialog.js';
import { CodeField } from '../randomization/trial-fields.js';
import { cphInputValue, formatNumber, instantFromCphInput, parseDecimal } from '../randomization/trial-format.js';
import { ArmBadge } from './badges.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

/** Props of PrepareDoseDialog. */
export interface PrepareDoseDialogProps {
  randomization: UnblindedRandomizationView;
  /** Available vials of released lots. */
  vials: readonly Vial[];
  spec: ReleaseSpecification | null;
  onPrepared: (preparation: Preparation) => void;
  onClose: () => void;
}

interface Draft {
  vialId: string;
  salineBatch: string;
  time: string;
  cells: string;
  viability: string;
  volume: string;
  appearance: 'conforms' | 'does_not_conform';
}

/** The two-step dialog: measurements, then the e-signature. */
export function PrepareDoseDialog({ randomization: r, vials, spec, onPrepared, onClose }: PrepareDoseDialogProps) {
  const { pt, t, locale } = usePharmacyStrings();
  const common = useCommonStrings();
  const cells = r.arm === 'ADMSC';
  const [draft, setDraft] = useState<Draft>(() => ({
    vialId: '',
    salineBatch: '',
    time: cphInputValue(new Date()),
    cells: '',
    viability: '',
    volume: '10',
    appearance: 'conforms',
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [input, setInput] = useState<PreparationInput | null>(null);

  const set = (k: keyof Draft, v: string): void => {
    setDraft((d) => ({ ...d, [k]: v }));
    setErrors((e) => ({ ...e, [k]: '' }));
  };
  const n = (x: number | undefined): string => (x === undefined ? '—' : formatNumber(x, locale));

  const proceed = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    setError(null);
    const found: Record<string, string> = {};
    const thawedAt = instantFromCphInput(draft.time);
    if (!thawedAt) found.time = common.pt('errors.dateTime');
    else if (Date.parse(thawedAt) > Date.now() + 60_000) found.time = common.pt('errors.future');
    const volumeMl = parseDecimal(draft.volume);
    if (volumeMl === null || volumeMl <= 0) found.volume = pt('errors.number');
    let viableCellsMillion: number | null = null;
    let viabilityPct: number | null = null;
    if (cells) {
      if (draft.vialId === '') found.vialId = pt('prepare.chooseVial');
      viableCellsMillion = parseDecimal(draft.cells);
      if (viableCellsMillion === null || viableCellsMillion < 0) found.cells = pt('errors.number');
      viabilityPct = parseDecimal(draft.viability);
      if (viabilityPct === null || viabilityPct < 0 || viabilityPct > 100) found.viability = pt('errors.percent');
    } else if (draft.salineBatch.trim() === '') {
      found.salineBatch = common.pt('errors.required');
    }
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`prep-${first}`)?.focus();
      return;
    }
    setInput({
      kit: r.kit,
      thawedAt: thawedAt ?? '',
      volumeMl: volumeMl ?? 0,
      appearance: draft.appearance,
      ...(cells
        ? { vialId: draft.vialId, viableCellsMillion, viabilityPct }
        : { salineBatch: draft.salineBatch.trim() }),
    });
  };

  if (input) {
    return (
      <SignatureDialog
        title={pt('prepare.signTitle')}
        statement={pt('prepare.statement', { kit: r.kit })}
        meaning="responsibility"
        onClose={() => setInput(null)}
        onSign={async (password) => onPrepared(await prepareDose(input, password))}
        onRefused={(err) => {
          const fields = isApiError(err) ? fieldErrors(err.details) : {};
          const map: Record<string, string> = {
            vialId: 'vialId',
            salineBatch: 'salineBatch',
            thawedAt: 'time',
            viableCellsMillion: 'cells',
            viabilityPct: 'viability',
            volumeMl: 'volume',
          };
          setErrors(
            Object.fromEntries(Object.entries(fields).map(([k, m]) => [map[k] ?? k, translateFieldMessage(t, m)])),
          );
          setError(err);
          setInput(null);
        }}
      >
        <p className="muted">
          {pt('prepare.kitFor', { kit: r.kit, studyId: r.studyId, number: r.randomizationNumber })}
        </p>
      </SignatureDialog>
    );
  }

  const d = spec?.dose;
  return (
    <Dialog title={pt('prepare.title', { kit: r.kit })} onClose={onClose}>
      <p>
        {pt('prepare.kitFor', { kit: r.kit, studyId: r.studyId, number: r.randomizationNumber })}{' '}
        <ArmBadge arm={r.arm} />
      </p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={proceed} noValidate>
        {cells ? (
          vials.length === 0 ? (
            <Alert tone="error">{pt('prepare.noVials')}</Alert>
          ) : (
            <SelectField
              id="prep-vialId"
              label={pt('prepare.vial')}
              hint={pt('prepare.vialHint')}
              value={draft.vialId}
              onChange={(e) => set('vialId', e.target.value)}
              error={errors.vialId || undefined}
            >
              <option value="">{pt('prepare.chooseVial')}</option>
              {vials.map((v) => (
                <option key={v.id} value={v.id}>
                  {pt('prepare.vialOption', { vial: v.vialCode, lot: v.lotNumber, location: v.location })}
                </option>
              ))}
            </SelectField>
          )
        ) : (
          <CodeField
            id="prep-salineBatch"
            label={pt('prepare.salineBatch')}
            value={draft.salineBatch}
            onValue={(v) => set('salineBatch', v)}
            error={errors.salineBatch || undefined}
          />
        )}
        <TextField
          id="prep-time"
          type="datetime-local"
          label={cells ? pt('prepare.thawedAt') : pt('prepare.drawnUpAt')}
          hint={pt('prepare.timeHint', { hours: n(d?.useByHours) })}
          className="input tp-input--date"
          value={draft.time}
          onChange={(e) => set('time', e.target.value)}
          error={errors.time || undefined}
        />
        <div className="tp-form-grid">
          {cells ? (
            <>
              <TextField
                id="prep-cells"
                label={pt('prepare.viableCells')}
                hint={
                  d
                    ? pt('prepare.limits', { min: n(d.viableCellsMillionMin), max: n(d.viableCellsMillionMax) })
                    : undefined
                }
                inputMode="decimal"
                className="input tp-input--short"
                value={draft.cells}
                onChange={(e) => set('cells', e.target.value)}
                error={errors.cells || undefined}
              />
              <TextField
                id="prep-viability"
                label={pt('prepare.viability')}
                hint={d ? pt('prepare.viabilityLimit', { min: n(d.viabilityPctMin) }) : undefined}
                inputMode="decimal"
                className="input tp-input--short"
                value={draft.viability}
                onChange={(e) => set('viability', e.target.value)}
                error={errors.viability || undefined}
              />
            </>
          ) : null}
          <TextField
            id="prep-volume"
            label={pt('prepare.volume')}
            hint={d ? pt('prepare.limits', { min: n(d.volumeMlMin), max: n(d.volumeMlMax) }) : undefined}
            inputMode="decimal"
            className="input tp-input--short"
            value={draft.volume}
            onChange={(e) => set('volume', e.target.value)}
            error={errors.volume || undefined}
          />
        </div>
        <fieldset className="tp-choices">
          <legend className="tp-choices__legend">{pt('prepare.appearance')}</legend>
          <div className="tp-choices__options">
            {(['conforms', 'does_not_conform'] as const).map((a) => (
              <label key={a} className="tp-choice">
                <input
                  type="radio"
                  name="prep-appearance"
                  value={a}
                  checked={draft.appearance === a}
                  onChange={() => set('appearance', a)}
                />
                {a === 'conforms' ? pt('prepare.conforms') : pt('prepare.doesNotConform')}
              </label>
            ))}
          </div>
        </fieldset>
        <FormActions
          submitLabel={pt('prepare.sign')}
          disabled={cells && vials.length === 0}
          cancelLabel={common.pt('cancel')}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
