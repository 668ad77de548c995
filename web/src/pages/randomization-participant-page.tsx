/**
 * One participant's randomization, blinded: readiness (or the randomize action), number, kit code,
 * time, dose status and use-by, the injection record (or "not given"), and the emergency
 * unblindings (who, when, why — never the arm), with the way to request one for investigators.
 */
import { useState } from 'react';
import {
  fetchParticipantRandomization,
  type AdministrationView,
  type ParticipantRandomization,
} from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { AdministrationDialog, NonAdministrationDialog } from './randomization/administration-dialogs.js';
import { DoseBadge } from './randomization/dose-badge.js';
import { RandomizeDialog } from './randomization/randomize-dialog.js';
import { RandomizationResult } from './randomization/randomization-result.js';
import { useRandomizationStrings } from './randomization/randomization-i18n.js';
import { describeReadinessProblem, stratumLabel } from './randomization/readiness.js';
import { canAtSite } from './randomization/site-access.js';
import { formatCph, formatNumber, formatPlainDate } from './randomization/trial-format.js';
import './randomization/trial-pages.css';

const PARTICIPANT_STATUSES = ['enrolled', 'randomized', 'withdrawn', 'completed'] as const;
const isParticipantStatus = (s: string): s is (typeof PARTICIPANT_STATUSES)[number] =>
  (PARTICIPANT_STATUSES as readonly string[]).includes(s);

function AdministrationFacts({ administration }: { administration: AdministrationView }) {
  const { pt, locale } = useRandomizationStrings();
  const a = administration;
  return (
    <>
      {a.status === 'administered' ? (
        <p data-administration="administered">
          {pt('administration.given', {
            time: formatCph(a.administeredAt ?? '', locale),
            side: a.kneeSide ? pt(`administration.sides.${a.kneeSide}`) : '—',
            volume: a.volumeMl === null ? '—' : formatNumber(a.volumeMl, locale),
            ultrasound: a.ultrasoundGuided ? pt('administration.givenUltrasound') : '',
            injector: a.injector ?? '—',
          })}
        </p>
      ) : (
        <p data-administration="not_administered">
          {pt('administration.notGivenRecorded', { reason: a.reason ?? '' })}
        </p>
      )}
      <p className="muted">
        {pt('administration.recordedBy', { by: a.recordedBy, date: formatCph(a.recordedAt, locale) })}
      </p>
    </>
  );
}

/** The participant's randomization page. */
export default function RandomizationParticipantPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { pt, t, locale } = useRandomizationStrings();
  const { session } = useSignedIn();
  const grants = session.user.grants;
  const { state, reload } = useAsync<ParticipantRandomization>(() => fetchParticipantRandomization(id));
  const [dialog, setDialog] = useState<'randomize' | 'administer' | 'not_given' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const back = (
    <Link href="/randomization" className="button button--secondary">
      {pt('participant.back')}
    </Link>
  );
  if (state.status !== 'ready') {
    return (
      <>
        <PageHeading actions={back}>{pt('participant.loadingTitle')}</PageHeading>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </>
    );
  }
  const p = state.data;
  const r = p.randomization;
  const mayRandomize = canAtSite(grants, 'randomization.randomize', p.siteId);
  const mayAdminister = canAtSite(grants, 'product.administer', p.siteId);
  const mayUnblind = canAtSite(grants, 'unblinding.emergency', p.siteId);
  const mayOpenParticipant = canAtSite(grants, 'participant.read', p.siteId);

  return (
    <>
      <PageHeading actions={back}>{pt('participant.title', { studyId: p.studyId })}</PageHeading>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {r?.emergencyUnblinded ? (
        <Alert tone="info">
          {pt('participant.unblindedNotice', { date: formatCph(r.emergencyUnblindedAt ?? '', locale) })}
        </Alert>
      ) : null}

      <section className="card tp-section" aria-labelledby="rand-facts">
        <h2 id="rand-facts" className="card__title">
          {p.studyId}
        </h2>
        <dl className="facts">
          <div className="facts__item">
            <dt>{pt('participant.facts.status')}</dt>
            <dd>
              {isParticipantStatus(p.participantStatus)
                ? pt(`participant.status.${p.participantStatus}`)
                : p.participantStatus}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{pt('participant.facts.stratum')}</dt>
            <dd>{stratumLabel(pt, r?.stratum ?? p.readiness.stratum)}</dd>
          </div>
          {r ? (
            <>
              <div className="facts__item">
                <dt>{pt('participant.facts.randomizedBy')}</dt>
                <dd>{r.randomizedBy}</dd>
              </div>
              <div className="facts__item">
                <dt>{pt('participant.facts.dose')}</dt>
                <dd>
                  <DoseBadge dose={r.dose} />
                </dd>
              </div>
            </>
          ) : null}
        </dl>
        {r ? <RandomizationResult randomization={r} /> : null}
        {mayOpenParticipant ? (
          <p className="tp-section">
            <Link href={`/participants/${encodeURIComponent(p.participantId)}`}>
              {pt('participant.participantPage')}
            </Link>
          </p>
        ) : null}
      </section>

      {!r ? (
        <section className="card tp-section" aria-labelledby="rand-readiness">
          <h2 id="rand-readiness" className="tp-section__title">
            {pt('participant.readinessTitle')}
          </h2>
          <p>{pt('participant.notRandomized', { studyId: p.studyId })}</p>
          {p.readiness.ready ? (
            <p className="tp-ready">✓ {pt('candidates.ready')}</p>
          ) : (
            <ul className="tp-problems" id="rand-missing">
              {p.readiness.problems.map((x) => (
                <li key={`${x.path}:${x.message}`}>{describeReadinessProblem(pt, x)}</li>
              ))}
            </ul>
          )}
          {mayRandomize && p.participantStatus === 'enrolled' ? (
            <div className="form__actions">
              <button
                type="button"
                className="button button--primary"
                disabled={!p.readiness.ready}
                aria-describedby={p.readiness.ready ? undefined : 'rand-missing'}
                onClick={() => {
                  setNotice(null);
                  setDialog('randomize');
                }}
              >
                {pt('candidates.randomize', { studyId: p.studyId })}
              </button>
            </div>
          ) : null}
        </section>
      ) : (
        <section className="card tp-section" aria-labelledby="rand-injection">
          <h2 id="rand-injection" className="tp-section__title">
            {pt('administration.title')}
          </h2>
          {p.administration ? (
            <AdministrationFacts administration={p.administration} />
          ) : (
            <>
              <p>{pt('administration.none')}</p>
              {r.dose.status === 'awaiting_preparation' ? (
                <p className="muted">{pt('administration.waitingForDose', { kit: r.kit })}</p>
              ) : null}
              {r.dose.status === 'expired' ? <p className="muted">{pt('administration.doseExpired')}</p> : null}
              {mayAdminister ? (
                <div className="form__actions">
                  <button
                    type="button"
                    className="button button--primary"
                    disabled={r.dose.status !== 'ready'}
                    onClick={() => {
                      setNotice(null);
                      setDialog('administer');
                    }}
                  >
                    {pt('administration.record')}
                  </button>
                  <button
                    type="button"
                    className="button button--secondary"
                    onClick={() => {
                      setNotice(null);
                      setDialog('not_given');
                    }}
                  >
                    {pt('administration.notGiven')}
                  </button>
                </div>
              ) : null}
            </>
          )}
          {p.administration?.day0 ? (
            <p>
              <strong>{pt('participant.facts.day0')}:</strong> {formatPlainDate(p.administration.day0, locale)}
            </p>
          ) : null}
        </section>
      )}

      {r ? (
        <section className="card tp-section" aria-labelledby="rand-unblinding">
          <h2 id="rand-unblinding" className="tp-section__title">
            {pt('unblindings.title')}
          </h2>
          {p.emergencyUnblindings.length === 0 ? (
            <p>{pt('unblindings.none')}</p>
          ) : (
            <ul className="tp-history">
              {p.emergencyUnblindings.map((u) => (
                <li key={u.id} className="tp-history__item">
                  {pt('unblindings.entry', {
                    by: u.requestedBy,
                    date: formatCph(u.requestedAt, locale),
                    reason: u.reason,
                  })}
                </li>
              ))}
            </ul>
          )}
          {mayUnblind ? (
            <div className="form__actions">
              <Link
                href={`/unblinding/request?participant=${encodeURIComponent(p.participantId)}`}
                className="button button--danger-outline"
              >
                {pt('unblindings.request')}
              </Link>
            </div>
          ) : null}
        </section>
      ) : null}

      {dialog === 'randomize' ? (
        <RandomizeDialog
          participantId={p.participantId}
          studyId={p.studyId}
          stratum={p.readiness.stratum}
          onClose={() => setDialog(null)}
          onDone={(randomization, replayed) => {
            setDialog(null);
            setNotice(
              replayed
                ? pt('randomize.replayed', { studyId: randomization.studyId })
                : pt('randomize.done', { studyId: randomization.studyId }),
            );
            reload();
          }}
        />
      ) : null}
      {dialog === 'administer' && r ? (
        <AdministrationDialog
          participantId={p.participantId}
          studyId={p.studyId}
          kit={r.kit}
          onClose={() => setDialog(null)}
          onSaved={(a) => {
            setDialog(null);
            setNotice(pt('administration.saved', { date: a.day0 ? formatPlainDate(a.day0, locale) : '—' }));
            reload();
          }}
        />
      ) : null}
      {dialog === 'not_given' && r ? (
        <NonAdministrationDialog
          participantId={p.participantId}
          studyId={p.studyId}
          kit={r.kit}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            setNotice(pt('administration.notGivenSaved', { studyId: p.studyId }));
            reload();
          }}
        />
      ) : null}
    </>
  );
}
