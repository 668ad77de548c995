/**
 * One participant: study id, screening, site, status, enrolment, consent version and re-consent,
 * withdrawal and its scope; site staff can record a withdrawal.
 */
import { useEffect, useState } from 'react';
import { fetchParticipant, type ParticipantView } from '../api/screening-api.js';
import { fetchStudy } from '../api/study-api.js';
import type { Site } from '../api/types.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { formatDateTime } from '../lib/format.js';
import { EproLinkSection } from './epro/participant-epro-link.js';
import { scopeLabel, WithdrawDialog } from './participant/withdraw-dialog.js';
import { canAtSite, formatPlainDate } from './screening/screening-format.js';
import { useScreeningTranslation } from './screening/screening-i18n.js';
import { ParticipantStatusBadge } from './screening/status-badge.js';
import './screening/screening.css';

/** The participant page. */
export default function ParticipantPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { st, t, locale } = useScreeningTranslation();
  const { session } = useSignedIn();
  const [participant, setParticipant] = useState<ParticipantView | null>(null);
  const [sites, setSites] = useState<Site[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    Promise.all([fetchParticipant(id), fetchStudy()]).then(
      ([p, study]) => {
        if (!current) return;
        setParticipant(p);
        setSites(study.sites);
      },
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [id]);

  const back = (
    <Link href="/participants" className="button button--secondary">
      {st('common.backToParticipants')}
    </Link>
  );
  if (error && !participant) {
    return (
      <>
        <PageHeading actions={back}>{st('participants.loadingTitle')}</PageHeading>
        <Alert tone="error">{describeError(t, error)}</Alert>
      </>
    );
  }
  if (!participant) {
    return (
      <>
        <PageHeading actions={back}>{st('participants.loadingTitle')}</PageHeading>
        <Loading />
      </>
    );
  }

  const p = participant;
  const grants = session.user.grants;
  const mayWithdraw = p.status !== 'withdrawn' && canAtSite(grants, 'participant.withdraw', p.siteId);
  const mayOpenScreening = canAtSite(grants, 'screening.read', p.siteId);
  const mayReadEpro = canAtSite(grants, 'epro.read', p.siteId);
  const site = sites.find((s) => s.id === p.siteId);

  return (
    <>
      <PageHeading actions={back}>{st('participants.pageTitle', { studyId: p.studyId })}</PageHeading>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {p.reconsentRequired ? <Alert tone="info">{st('participants.reconsentNeeded')}</Alert> : null}
      <section className="card sc-section" aria-labelledby="participant-facts">
        <h2 id="participant-facts" className="card__title">
          {p.studyId}
        </h2>
        <dl className="facts">
          <div className="facts__item">
            <dt>{st('participants.facts.status')}</dt>
            <dd>
              <ParticipantStatusBadge status={p.status} />
            </dd>
          </div>
          <div className="facts__item">
            <dt>{st('participants.facts.screening')}</dt>
            <dd className="mono">
              {mayOpenScreening ? (
                <Link href={`/screenings/${encodeURIComponent(p.screeningId)}`} className="sc-target">
                  {p.screeningNumber}
                </Link>
              ) : (
                p.screeningNumber
              )}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{st('participants.facts.site')}</dt>
            <dd>{site ? `${site.code} · ${site.name}` : p.siteId}</dd>
          </div>
          <div className="facts__item">
            <dt>{st('participants.facts.enrolled')}</dt>
            <dd>{formatDateTime(p.enrolledAt, locale)}</dd>
          </div>
          <div className="facts__item">
            <dt>{st('participants.facts.sex')}</dt>
            <dd>{p.sex === 'female' || p.sex === 'male' ? st(`form.sex.${p.sex}`) : st('common.none')}</dd>
          </div>
          <div className="facts__item">
            <dt>{st('participants.facts.yearOfBirth')}</dt>
            <dd>{p.yearOfBirth ?? st('common.none')}</dd>
          </div>
          <div className="facts__item">
            <dt>{st('participants.facts.klGrade')}</dt>
            <dd>{p.klGrade ?? st('common.none')}</dd>
          </div>
          <div className="facts__item">
            <dt>{st('participants.facts.consent')}</dt>
            <dd>{p.consentVersion ?? st('common.none')}</dd>
          </div>
          <div className="facts__item">
            <dt>{st('participants.facts.reconsent')}</dt>
            <dd>
              {p.reconsentRequired ? (
                <span className="sc-badge sc-badge--warning">{st('participants.reconsent')}</span>
              ) : (
                st('participants.reconsentNotNeeded')
              )}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{st('participants.facts.protocol')}</dt>
            <dd className="mono">{p.protocolVersion}</dd>
          </div>
        </dl>
      </section>
      <section className="card sc-section" aria-labelledby="participant-withdrawal">
        <h2 id="participant-withdrawal" className="card__title">
          {st('participants.facts.withdrawal')}
        </h2>
        {p.withdrawnAt ? (
          <>
            <p className="sc-withdrawal-facts">
              {st('participants.withdrawnFacts', {
                date: formatPlainDate(p.withdrawnAt, locale),
                scope: scopeLabel(st, p.withdrawalScope),
              })}
            </p>
            <p className="muted">{st('participants.keptNote')}</p>
          </>
        ) : (
          <p>{st('participants.notWithdrawn')}</p>
        )}
        {mayWithdraw ? (
          <div className="form__actions">
            <button
              type="button"
              className="button button--danger-outline"
              onClick={() => {
                setNotice(null);
                setWithdrawing(true);
              }}
            >
              {st('withdraw.button')}
            </button>
          </div>
        ) : null}
      </section>
      {mayReadEpro ? <EproLinkSection participantId={p.id} studyId={p.studyId} /> : null}
      {withdrawing ? (
        <WithdrawDialog
          participant={p}
          onClose={() => setWithdrawing(false)}
          onWithdrawn={(next) => {
            setWithdrawing(false);
            setParticipant(next);
            setNotice(st('withdraw.done', { studyId: next.studyId }));
          }}
        />
      ) : null}
    </>
  );
}
