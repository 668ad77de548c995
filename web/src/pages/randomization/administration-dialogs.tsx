/**
 * Recording the injection from the masked syringe (kit code read back from the label, time in
 * Copenhagen, knee, ultrasound guidance, volume, injector), or that the dose will not be given.
 * Both are blinded: nothing here depends on or reveals the treatment.
 */
import { useState, type FormEvent } from 'react';
import {
  KNEE_SIDES,
  recordAdministration,
  recordNonAdministration,
  type AdministrationView,
  type KneeSide,
} from '../../api/randomization-api.js';
import { fieldErrors, isApiError } from '../../api/client.js';
import { DialogForm } from '../../components/dialog-form.js';
import { TextField } from '../../components/field.js';
import { describeError, translateFieldMessage } from '../../lib/error-messages.js';
import { useCommonStrings } from './common-strings.js';
import { useRandomizationStrings } from './randomization-i18n.js';
import { ShortNumberField, showFieldErrors, TrialFormActions, useReasonField } from './trial-fields.js';
import { cphInputValue, instantFromCphInput, parseDecimal } from './trial-format.js';

const KIT_PATTERN = /^K-[2-9A-Z]{4}-[2-9A-Z]{4}$/;

/** Props of the two dialogs. */
export interface AdministrationDialogProps {
  participantId: string;
  studyId: string;
  kit: string;
  onSaved: (administration: AdministrationView) => void;
  onClose: () => void;
}

/** The injection form. */
export function AdministrationDialog({ participantId, studyId, kit, onSaved, onClose }: AdministrationDialogProps) {
  const { pt, t } = useRandomizationStrings();
  const common = useCommonStrings();
  const [kitCode, setKitCode] = useState('');
  const [time, setTime] = useState(() => cphInputValue(new Date()));
  const [side, setSide] = useState<KneeSide | ''>('');
  const [ultrasound, setUltrasound] = useState<'yes' | 'no' | ''>('');
  const [volume, setVolume] = useState('10');
  const [injector, setInjector] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const found: Record<string, string> = {};
    const code = kitCode.trim().toUpperCase();
    if (code === '') found.kit = common.pt('errors.required');
    else if (!KIT_PATTERN.test(code)) found.kit = pt('errors.kitFormat');
    else if (code !== kit) found.kit = pt('administration.kitMismatch', { studyId });
    const administeredAt = instantFromCphInput(time);
    if (!administeredAt) found.administeredAt = common.pt('errors.dateTime');
    else if (Date.parse(administeredAt) > Date.now() + 60_000) found.administeredAt = pt('errors.future');
    if (side === '') found.kneeSide = common.pt('errors.required');
    if (ultrasound === '') found.ultrasoundGuided = common.pt('errors.required');
    const volumeMl = parseDecimal(volume);
    if (volumeMl === null || volumeMl <= 0) found.volumeMl = pt('errors.volume');
    if (injector.trim() === '') found.injector = common.pt('errors.required');
    if (showFieldErrors(found, setErrors, 'adm')) return;
    setBusy(true);
    try {
      onSaved(
        await recordAdministration(participantId, {
          kit: code,
          administeredAt: administeredAt ?? '',
          kneeSide: side as KneeSide,
          ultrasoundGuided: ultrasound === 'yes',
          volumeMl: volumeMl ?? 0,
          injector: injector.trim(),
        }),
      );
    } catch (err) {
      setBusy(false);
      const fields = isApiError(err) ? fieldErrors(err.details) : {};
      const translated = Object.fromEntries(Object.entries(fields).map(([k, m]) => [k, translateFieldMessage(t, m)]));
      setErrors(translated);
      setError(err);
    }
  };

  const radio = (
    name: string,
    legend: string,
    value: string,
    options: readonly { value: string; label: string }[],
    onChange: (v: string) => void,
  ) => (
    <fieldset
      className={errors[name] ? 'tp-choices field--invalid' : 'tp-choices'}
      aria-describedby={errors[name] ? `adm-${name}-error` : undefined}
    >
      <legend className="tp-choices__legend">{legend}</legend>
      <div className="tp-choices__options">
        {options.map((o, i) => (
          <label key={o.value} className="tp-choice">
            <input
              type="radio"
              name={`adm-${name}`}
              id={i === 0 ? `adm-${name}` : undefined}
              value={o.value}
              checked={value === o.value}
              onChange={() => onChange(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
      {errors[name] ? (
        <p id={`adm-${name}-error`} className="field__error">
          {errors[name]}
        </p>
      ) : null}
    </fieldset>
  );

  return (
    <DialogForm
      title={pt('administration.formTitle', { studyId })}
      onClose={onClose}
      errorMessage={error ? describeError(t, error) : null}
      onSubmit={submit}
    >
      <TextField
        id="adm-kit"
        label={pt('administration.kit')}
        hint={pt('administration.kitHint', { kit })}
        className="input tp-input--date tp-code"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        value={kitCode}
        onChange={(e) => setKitCode(e.target.value)}
        error={errors.kit}
      />
      <TextField
        id="adm-administeredAt"
        type="datetime-local"
        label={pt('administration.administeredAt')}
        hint={pt('administration.administeredAtHint')}
        className="input tp-input--date"
        value={time}
        onChange={(e) => setTime(e.target.value)}
        error={errors.administeredAt}
      />
      {radio(
        'kneeSide',
        pt('administration.kneeSide'),
        side,
        KNEE_SIDES.map((s) => ({ value: s, label: pt(`administration.${s}`) })),
        (v) => setSide(v as KneeSide),
      )}
      {radio(
        'ultrasoundGuided',
        pt('administration.ultrasound'),
        ultrasound,
        [
          { value: 'yes', label: common.pt('yes') },
          { value: 'no', label: common.pt('no') },
        ],
        (v) => setUltrasound(v as 'yes' | 'no'),
      )}
      <ShortNumberField
        id="adm-volumeMl"
        label={pt('administration.volume')}
        value={volume}
        onValue={setVolume}
        error={errors.volumeMl}
      />
      <TextField
        id="adm-injector"
        label={pt('administration.injector')}
        hint={pt('administration.injectorHint')}
        autoComplete="name"
        value={injector}
        onChange={(e) => setInjector(e.target.value)}
        error={errors.injector}
      />
      <TrialFormActions submitLabel={pt('administration.save')} busy={busy} onCancel={onClose} />
    </DialogForm>
  );
}

/** "Will not be given", with the reason. */
export function NonAdministrationDialog({ participantId, studyId, onSaved, onClose }: AdministrationDialogProps) {
  const { pt, t } = useRandomizationStrings();
  const common = useCommonStrings();
  const reasonField = useReasonField('adm-not-given-reason');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const reason = reasonField.take();
    if (reason === null) return;
    setBusy(true);
    try {
      onSaved(await recordNonAdministration(participantId, reason));
    } catch (err) {
      setBusy(false);
      setError(err);
    }
  };

  return (
    <DialogForm
      title={pt('administration.notGivenTitle', { studyId })}
      onClose={onClose}
      intro={<p>{pt('administration.notGivenIntro')}</p>}
      errorMessage={error ? describeError(t, error) : null}
      onSubmit={submit}
    >
      {reasonField.field}
      <TrialFormActions submitLabel={common.pt('save')} busy={busy} onCancel={onClose} />
    </DialogForm>
  );
}
