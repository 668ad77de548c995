/** Reserve, release a reservation, move or discard a vial, always with a reason. */
import { useState, type FormEvent } from 'react';
import { setVialStatus, type Vial } from '../../api/randomization-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { SelectField, TextAreaField, TextField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { useCommonStrings } from '../randomization/common-strings.js';
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
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    if (reason.trim() === '') {
      setFieldError(common.pt('errors.required'));
      document.getElementById('vial-reason')?.focus();
      return;
    }
    setBusy(true);
    try {
      onSaved(
        await setVialStatus(vial.id, {
          status,
          reason: reason.trim(),
          ...(location.trim() !== vial.location ? { location: location.trim() } : {}),
        }),
      );
    } catch (err) {
      setBusy(false);
      setError(err);
    }
  };

  return (
    <Dialog title={pt('vials.changeTitle', { vial: vial.vialCode })} onClose={onClose}>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
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
        <TextAreaField
          id="vial-reason"
          label={common.pt('reason')}
          hint={common.pt('reasonHint')}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setFieldError(undefined);
          }}
          error={fieldError}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? common.pt('saving') : common.pt('save')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {common.pt('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
