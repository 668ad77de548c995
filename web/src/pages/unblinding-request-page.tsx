/**
 * Emergency unblinding of one participant by an investigator: choose the participant, state the
 * medical reason, sign with the password (the statement and its meaning are shown), and the
 * treatment is shown to this user only, with a clear warning. The route requires the investigator's
 * `unblinding.emergency` operation; the server also refuses anyone else.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  listRandomizations,
  requestEmergencyUnblinding,
  type RandomizationView,
  type RevealedArm,
} from '../api/randomization-api.js';
import { fieldErrors, isApiError } from '../api/client.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { SelectField, TextAreaField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { SignatureDialog } from './randomization/signature-dialog.js';
import { canAtSite } from './randomization/site-access.js';
import { RevealedArmPanel } from './unblinding/revealed-arm.js';
import { useUnblindingStrings } from './unblinding/unblinding-i18n.js';
import './randomization/trial-pages.css';

const MIN_REASON = 10;

/** The request page. */
export default function UnblindingRequestPage() {
  const { pt, t } = useUnblindingStrings();
  const { session } = useSignedIn();
  const { state } = useAsync(listRandomizations);
  const [participantId, setParticipantId] = useState(
    () => new URLSearchParams(window.location.search).get('participant') ?? '',
  );
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [signing, setSigning] = useState(false);
  const [revealed, setRevealed] = useState<RevealedArm | null>(null);
  const revealRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (revealed) revealRef.current?.querySelector<HTMLElement>('#revealed-arm-title')?.focus();
  }, [revealed]);

  const back = (
    <Link href="/unblinding" className="button button--secondary">
      {pt('request.back')}
    </Link>
  );
  const heading = <PageHeading actions={back}>{pt('request.title')}</PageHeading>;

  if (revealed) {
    return (
      <>
        {heading}
        <div ref={revealRef}>
          <RevealedArmPanel revealed={revealed} fresh />
        </div>
      </>
    );
  }
  if (state.status !== 'ready') {
    return (
      <>
        {heading}
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </>
    );
  }

  const choices: RandomizationView[] = state.data.filter((r) =>
    canAtSite(session.user.grants, 'unblinding.emergency', r.siteId),
  );
  const chosen = choices.find((r) => r.participantId === participantId) ?? null;

  const proceed = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    setError(null);
    const found: Record<string, string> = {};
    if (!chosen) found.participant = pt('request.chooseParticipant');
    if (reason.trim().length < MIN_REASON) found.reason = pt('request.reasonTooShort');
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`unblind-${first}`)?.focus();
      return;
    }
    setSigning(true);
  };

  return (
    <>
      {heading}
      <p className="tp-intro tp-danger-note">{pt('request.intro')}</p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      {choices.length === 0 ? (
        <p className="tp-empty">{pt('request.noParticipants')}</p>
      ) : (
        <form className="form card tp-section" onSubmit={proceed} noValidate>
          <SelectField
            id="unblind-participant"
            label={pt('request.participant')}
            value={chosen ? participantId : ''}
            onChange={(e) => {
              setParticipantId(e.target.value);
              setErrors((x) => ({ ...x, participant: '' }));
            }}
            error={errors.participant || undefined}
          >
            <option value="">{pt('request.chooseParticipant')}</option>
            {choices.map((r) => (
              <option key={r.participantId} value={r.participantId}>
                {pt('request.participantOption', { studyId: r.studyId, number: r.randomizationNumber, kit: r.kit })}
                {r.emergencyUnblinded ? ` ${pt('request.alreadyUnblinded')}` : ''}
              </option>
            ))}
          </SelectField>
          <TextAreaField
            id="unblind-reason"
            label={pt('request.reason')}
            hint={pt('request.reasonHint')}
            value={reason}
            maxLength={2000}
            onChange={(e) => {
              setReason(e.target.value);
              setErrors((x) => ({ ...x, reason: '' }));
            }}
            error={errors.reason || undefined}
          />
          <div className="form__actions">
            <button type="submit" className="button button--danger">
              {pt('request.continue')}
            </button>
          </div>
        </form>
      )}
      {signing && chosen ? (
        <SignatureDialog
          title={pt('request.signTitle')}
          statement={pt('request.statement', { studyId: chosen.studyId, number: chosen.randomizationNumber })}
          meaning="responsibility"
          signLabel={pt('request.sign')}
          danger
          onClose={() => setSigning(false)}
          onSign={async (password) => {
            const result = await requestEmergencyUnblinding(chosen.participantId, reason.trim(), password);
            setSigning(false);
            setRevealed(result);
          }}
          onRefused={(err) => {
            setSigning(false);
            const fields = isApiError(err) ? fieldErrors(err.details) : {};
            if (fields.reason) {
              setErrors({ reason: pt('request.reasonTooShort') });
              return;
            }
            setError(err);
          }}
        >
          <p className="muted">{pt('request.reasonQuote', { reason: reason.trim() })}</p>
        </SignatureDialog>
      ) : null}
    </>
  );
}
