/** Reserve, release a reservation, move or discard a vial, always with a reason. */
import { useState, type FormEvent } from 'react';
import { setVialStatus, type Vial } from '../../api/randomization-api.js';
import { DialogForm } from '../../components/dialog-form.js';
import { SelectField, TextField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { useCommonStrings } from '../randomization/common-strings.js';
import { TrialFormActions, useReasonField } from '../randomization/trial-fields.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

const SETTABLE = ['available', 'reserved', 'discarded'] as const;
type Settable = (typeof SETTABLE)[number];

/** The dialog. */
export function VialStatusDialog({
  vial,
  onSaved,
  onClose,
}: {
  vial: Vial;
  onSaved: (v: Vial) => void;
  onClose: () => void;
}) {
  const { pt, t } = usePharmacyStrings();
  const common = useCommonStrings();
  const initial: Settable = (SETTABLE as readonly string[]).includes(vial.status)
    ? (vial.status as Settable)
    : 'available';
  const [status, setStatus] = useState<Settable>(initial);
  const [location, setLocation] = useState(vial.location);
  const reasonField = useReasonField('vial-reason');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const reason = reasonField.take();
    if (reason === null) return;
    setBusy(true);
    try {
      onSaved(
        await setVialStatus(vial.id, {
          status,
          reason,
          ...(location.trim() !== vial.location ? { location: location.trim() } : {}),
        }),
      );
    } catch (err) {
      setBusy(false);
      setError(err);
    }
  };

  return (
    <DialogForm
      title={pt('vials.changeTitle', { vial: vial.vialCode })}
      onClose={onClose}
      errorMessage={error ? describeError(t, error) : null}
      onSubmit={submit}
    >
      <SelectField
        id="vial-status"
        label={pt('vials.newStatus')}
        value={status}
        onChange={(e) => setStatus(e.target.value as Settable)}
      >
        {SETTABLE.map((s) => (
          <option key={s} value={s}>
            {pt(`vials.status.${s}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        id="vial-location"
        label={pt('common.location')}
        hint={pt('vials.moveHint')}
        value={location}
        onChange={(e) => setLocation(e.target.value)}
      />
      {reasonField.field}
      <TrialFormActions submitLabel={common.pt('save')} busy={busy} onCancel={onClose} />
    </DialogForm>
  );
}
