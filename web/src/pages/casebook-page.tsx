/**
 * A participant's casebook: Day 0, progress, queries and deviations at a glance; the visits ×
 * forms matrix with each form's status, open queries and the visit windows and status (site staff
 * record a visit's date, or that it was missed); the participant-level logs; and the
 * investigator's e-signature and the data manager's casebook lock.
 */
import { useEffect, useRef, useState } from 'react';
import { fetchCasebook, type CasebookView, type VisitView } from '../api/ecrf-api.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { CasebookLogs } from './casebook/casebook-logs.js';
import { CasebookMatrix } from './casebook/casebook-matrix.js';
import { CasebookSignOff } from './casebook/casebook-signoff.js';
import { VisitDialog } from './casebook/visit-dialog.js';
import { useEcrfTranslation } from './form/ecrf-i18n.js';
import { canAtSite, formatPlainDate } from './form/ecrf-format.js';
import './form/ecrf.css';

/** The casebook page. */
export default function CasebookPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { et, t, locale, pick } = useEcrfTranslation();
  const { session } = useSignedIn();
  const { state, reload } = useAsync(() => fetchCasebook(id));
  const [recording, setRecording] = useState<VisitView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const back = (
    <Link href="/casebooks" className="button button--secondary">
      {et('casebook.back')}
    </Link>
  );
  if (state.status === 'error') {
    return (
      <>
        <PageHeading actions={back}>{et('casebook.loading')}</PageHeading>
        <Alert tone="error">{describeError(t, state.error)}</Alert>
      </>
    );
  }
  if (state.status === 'loading') {
    return (
      <>
        <PageHeading actions={back}>{et('casebook.loading')}</PageHeading>
        <Loading />
      </>
    );
  }
  const cb: CasebookView = state.data;
  const grants = session.user.grants;
  const site = cb.participant.siteId;
  const open = !cb.casebook.locked;
  const mayWrite = canAtSite(grants, 'ecrf.write', site) && open;
  const changed = (message: string): void => {
    setNotice(message);
    reload();
  };
  const unresolved = cb.queries.open + cb.queries.answered;

  return (
    <>
      <PageHeading actions={back}>{et('casebook.title', { studyId: cb.participant.studyId })}</PageHeading>
      {notice ? (
        <div ref={noticeRef} tabIndex={-1} className="ec-notice">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {cb.casebook.locked ? <Alert tone="info">{et('casebook.lockedNotice')}</Alert> : null}
      {cb.participant.withdrawnOn ? (
        <Alert tone="info">
          {et('casebook.withdrawn', {
            date: formatPlainDate(cb.participant.withdrawnOn, locale),
            scope: cb.participant.withdrawalScope ?? '',
          })}
        </Alert>
      ) : null}
      <section className="card ec-summary-card" aria-label={et('casebook.summary')}>
        <dl className="facts ec-facts">
          <div className="facts__item">
            <dt>{et('casebook.day0')}</dt>
            <dd data-day0={cb.day0 ?? ''}>
              {cb.day0
                ? `${formatPlainDate(cb.day0, locale)} (${cb.day0Source === 'injection' ? et('casebook.day0Injection') : et('casebook.day0Baseline')})`
                : et('casebook.day0Unknown')}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{et('casebook.progress')}</dt>
            <dd data-progress={`${cb.progress.submitted}/${cb.progress.expected}`}>
              {et('casebook.progressValue', {
                submitted: cb.progress.submitted,
                expected: cb.progress.expected,
                draft: cb.progress.draft,
              })}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{et('casebook.queries')}</dt>
            <dd>
              {unresolved > 0 ? (
                <Link href={`/queries?participantId=${encodeURIComponent(cb.participant.id)}`}>
                  {et('casebook.queriesValue', { open: cb.queries.open, answered: cb.queries.answered })}
                </Link>
              ) : (
                et('casebook.noQueries')
              )}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{et('casebook.deviations')}</dt>
            <dd>{cb.deviations}</dd>
          </div>
        </dl>
      </section>
      <section className="ec-matrix-section" aria-labelledby="matrix-title">
        <h2 id="matrix-title" className="ec-section-title">
          {et('casebook.matrixTitle')}
        </h2>
        {!cb.day0 ? <p className="muted">{et('casebook.noDay0')}</p> : null}
        <CasebookMatrix
          casebook={cb}
          mayRecord={canAtSite(grants, 'visit.write', site) && open}
          onRecord={setRecording}
        />
      </section>
      <CasebookLogs casebook={cb} mayWrite={mayWrite} />
      <CasebookSignOff
        casebook={cb}
        me={session.user.email}
        maySign={canAtSite(grants, 'casebook.sign', site)}
        mayLock={canAtSite(grants, 'ecrf.lock', site)}
        mayUnlock={canAtSite(grants, 'ecrf.unlock', site)}
        onChanged={changed}
      />
      {recording ? (
        <VisitDialog
          participantId={cb.participant.id}
          visit={recording}
          today={cb.today}
          onClose={() => setRecording(null)}
          onRecorded={(v) => {
            setRecording(null);
            changed(
              v.missed
                ? et('visit.missedDone', { visit: pick(v.name) })
                : v.deviation
                  ? et('visit.recordedDeviation', { visit: pick(v.name) })
                  : et('visit.recordedDone', { visit: pick(v.name) }),
            );
          }}
        />
      ) : null}
    </>
  );
}
