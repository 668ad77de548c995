/**
 * Confirmation before randomizing one participant. The request carries an idempotency key made
 * when the dialog opens, so a retry after a lost answer returns the same slot instead of a second.
 */
import { useState } from 'react';
import { randomizeParticipant, type RandomizationView } from '../../api/randomization-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { describeError } from '../../lib/error-messages.js';
import { describeReadinessProblem, stratumLabel } from './readiness.js';
import { useRandomizationStrings } from './randomization-i18n.js';
import { newRequestId } from './trial-format.js';
import { isApiError } from '../../api/client.js';
import { useCommonStrings } from './common-strings.js';

/** Props of RandomizeDialog. */
export interface RandomizeDialogProps {
  participantId: string;
  studyId: string;
  stratum: string | null;
  onDone: (randomization: RandomizationView, replayed: boolean) => void;
  onClose: () => void;
}

/** The confirmation dialog. */
export function RandomizeDialog({ participantId, studyId, stratum, onDone, onClose }: RandomizeDialogProps) {
  const { pt, t } = useRandomizationStrings();
  const common = useCommonStrings();
  const [requestId] = useState(newRequestId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const result = await randomizeParticipant(participantId, requestId);
      onDone(result.randomization, result.replayed);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const problems = isApiError(error) && error.code === 'conflict' ? error.details : [];

  return (
    <Dialog title={pt('randomize.dialogTitle', { studyId })} onClose={onClose}>
      <p>{pt('randomize.intro', { stratum: stratumLabel(pt, stratum) })}</p>
      <p className="muted">{pt('randomize.checklist')}</p>
      {error ? (
        <Alert tone="error">
          {problems.length > 0 ? (
            <ul className="tp-problems">
              {problems.map((p) => (
                <li key={`${p.path}:${p.message}`}>{describeReadinessProblem(pt, p)}</li>
              ))}
            </ul>
          ) : (
            describeError(t, error)
          )}
        </Alert>
      ) : null}
      <div className="form__actions">
        <button type="button" className="button button--primary" disabled={busy} onClick={() => void confirm()}>
          {busy ? pt('randomize.busy') : pt('randomize.confirm')}
        </button>
        <button type="button" className="button button--secondary" onClick={onClose}>
          {common.pt('cancel')}
        </button>
      </div>
    </Dialog>
  );
}
