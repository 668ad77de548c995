/**
 * Enrolment: the checklist the server applies (eligible, identity, valid consent, sign-off), the
 * Enrol button once everything is in place, and the study id after enrolment.
 */
import { useState } from 'react';
import { isApiError } from '../../api/client.js';
import { enrolScreening, type ParticipantView, type ScreeningView } from '../../api/screening-api.js';
import { Link } from '../../app/link.js';
import { useSignedIn } from '../../app/session.js';
import { Alert } from '../../components/alert.js';
import { describeError } from '../../lib/error-messages.js';
import { canAtSite } from './screening-format.js';
import { useScreeningTranslation } from './screening-i18n.js';

/** Props of EnrolSection. */
export interface EnrolSectionProps {
  screening: ScreeningView;
  /** The participant, once enrolled (null while unknown or not enrolled). */
  participant: ParticipantView | null;
  unsaved: boolean;
  onEnrolled: (participant: ParticipantView) => void;
}

const CHECKS = ['eligible', 'identity', 'consent', 'signOff'] as const;

/** The enrolment card of the screening page. */
export function EnrolSection({ screening, participant, unsaved, onEnrolled }: EnrolSectionProps) {
  const { st, t } = useScreeningTranslation();
  const { session } = useSignedIn();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const mayEnrol = canAtSite(session.user.grants, 'participant.enrol', screening.siteId);

  if (screening.status === 'enrolled') {
    const studyId = participant?.studyId ?? '…';
    return (
      <section className="card sc-section" aria-labelledby="enrol-title">
        <h2 id="enrol-title" className="sc-section__title">
          {st('enrol.title')}
        </h2>
        {done ? (
          <Alert tone="success">{st('enrol.done', { studyId })}</Alert>
        ) : (
          <p className="sc-enrolled-as">{st('enrol.enrolledAs', { studyId })}</p>
        )}
        {participant ? (
          <p>
            <Link href={`/participants/${encodeURIComponent(participant.id)}`} className="button button--secondary">
              {st('enrol.openParticipant', { studyId: participant.studyId })}
            </Link>
          </p>
        ) : null}
      </section>
    );
  }

  const met: Record<(typeof CHECKS)[number], boolean> = {
    eligible: screening.status === 'eligible',
    identity: screening.hasIdentity,
    consent: screening.consent?.status === 'active',
    signOff: screening.signedOff !== null,
  };
  const ready = CHECKS.every((c) => met[c]) && !unsaved;

  const enrol = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const p = await enrolScreening(screening.id);
      setDone(true);
      onEnrolled(p);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card sc-section" aria-labelledby="enrol-title">
      <h2 id="enrol-title" className="sc-section__title">
        {st('enrol.title')}
      </h2>
      <p>{ready ? st('enrol.ready') : st('enrol.notReady')}</p>
      <ul className="sc-checklist">
        {CHECKS.map((c) => (
          <li key={c} className={met[c] ? 'sc-checklist__item sc-checklist__item--met' : 'sc-checklist__item'}>
            <span aria-hidden="true" className="sc-checklist__icon">
              {met[c] ? '✓' : '○'}
            </span>
            {st(`enrol.checks.${c}`)}
            <span className="visually-hidden">: {met[c] ? st('enrol.met') : st('enrol.notMet')}</span>
          </li>
        ))}
      </ul>
      {unsaved ? <p className="muted">{st('signOff.needsSaved')}</p> : null}
      {error ? (
        <Alert tone="error">
          {describeError(t, error)}
          {isApiError(error) && error.details.length > 0 ? (
            <ul>
              {error.details.map((d) => (
                <li key={d.path}>{d.message}</li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      {mayEnrol ? (
        <div className="form__actions">
          <button
            type="button"
            className="button button--primary"
            disabled={!ready || busy}
            onClick={() => void enrol()}
          >
            {st('enrol.button')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
