/**
 * Randomization for site staff, blinded: the allocation list's published commitment and use, the
 * enrolled participants waiting (ready, or what is still missing), the randomize action with its
 * confirmation, and every randomization with its number, kit code, time and dose status. The arm is
 * never rendered here, even for an unblinded user whose API answers carry it: this route does not
 * require an unblinded role.
 */
import { useEffect, useRef, useState } from 'react';
import {
  fetchRandomizationStatus,
  listRandomizationCandidates,
  listRandomizations,
  type RandomizationCandidate,
  type RandomizationStatus,
  type RandomizationView,
} from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { DoseBadge } from './randomization/dose-badge.js';
import { RandomizeDialog } from './randomization/randomize-dialog.js';
import { RandomizationResult } from './randomization/randomization-result.js';
import { useRandomizationStrings } from './randomization/randomization-i18n.js';
import { describeReadinessProblem, stratumLabel } from './randomization/readiness.js';
import { canAtSite } from './randomization/site-access.js';
import { formatCph, formatPlainDate } from './randomization/trial-format.js';
import './randomization/trial-pages.css';

interface Loaded {
  status: RandomizationStatus;
  candidates: RandomizationCandidate[];
  randomizations: RandomizationView[];
}

const load = async (): Promise<Loaded> => {
  const [status, candidates, randomizations] = await Promise.all([
    fetchRandomizationStatus(),
    listRandomizationCandidates(),
    listRandomizations(),
  ]);
  return { status, candidates, randomizations };
};

function AllocationListCard({ status }: { status: RandomizationStatus }) {
  const { pt, locale } = useRandomizationStrings();
  return (
    <section className="card tp-section" aria-labelledby="allocation-list-title">
      <h2 id="allocation-list-title" className="card__title">
        {pt('list.title')}
      </h2>
      {!status.initialised ? (
        <p>{pt('list.notCreated')}</p>
      ) : (
        <>
          <p className="tp-sub">{pt('list.commitment')}</p>
          <p className="tp-wrap" data-commitment>
            {status.commitment}
          </p>
          <p className="muted">{pt('list.commitmentHint')}</p>
          {status.createdAt ? (
            <p className="muted">
              {pt('list.created', { date: formatCph(status.createdAt, locale), by: status.createdBy ?? '—' })}
            </p>
          ) : null}
          <p>
            <strong>{pt('list.randomized', { count: status.randomized })}</strong>
          </p>
          <div className="table-wrap">
            <table className="table tp-table-compact">
              <caption className="visually-hidden">{pt('list.strataCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('list.stratum')}</th>
                  <th scope="col" className="tp-num">
                    {pt('list.used')}
                  </th>
                  <th scope="col" className="tp-num">
                    {pt('list.remaining')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {status.strata.map((s) => (
                  <tr key={s.stratum}>
                    <th scope="row">{stratumLabel(pt, s.stratum)}</th>
                    <td className="tp-num">{s.used}</td>
                    <td className="tp-num">{s.remaining}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** The randomization page. */
export default function RandomizationPage() {
  const { pt, t, locale } = useRandomizationStrings();
  const { session } = useSignedIn();
  const grants = session.user.grants;
  const { state, reload } = useAsync(load);
  const [choosing, setChoosing] = useState<RandomizationCandidate | null>(null);
  const [last, setLast] = useState<{ randomization: RandomizationView; replayed: boolean } | null>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  // After the dialog closes, its opener (the row's button) is gone: continue from the result.
  useEffect(() => {
    if (last) resultHeading.current?.focus();
  }, [last]);

  const heading = <PageHeading>{pt('page.title')}</PageHeading>;
  if (state.status === 'loading') {
    return (
      <>
        {heading}
        <Loading />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        {heading}
        <Alert tone="error">{describeError(t, state.error)}</Alert>
      </>
    );
  }
  const { status, candidates, randomizations } = state.data;
  const mayRandomizeSomewhere = candidates.some((c) => canAtSite(grants, 'randomization.randomize', c.siteId));

  return (
    <>
      {heading}
      <p className="tp-intro muted">{pt('page.intro')}</p>

      {last ? (
        <section className="card tp-section" aria-labelledby="last-randomization">
          <Alert tone="success">
            {last.replayed
              ? pt('randomize.replayed', { studyId: last.randomization.studyId })
              : pt('randomize.done', { studyId: last.randomization.studyId })}
          </Alert>
          <h2 id="last-randomization" className="tp-section__title" ref={resultHeading} tabIndex={-1}>
            {pt('randomize.resultTitle', { studyId: last.randomization.studyId })}
          </h2>
          <RandomizationResult randomization={last.randomization} />
          <p className="muted tp-section">{pt('randomize.kitNote')}</p>
        </section>
      ) : null}

      <section className="tp-section" aria-labelledby="candidates-title">
        <h2 id="candidates-title" className="tp-section__title">
          {pt('candidates.title')}
        </h2>
        {candidates.length === 0 ? (
          <p className="tp-empty">{pt('candidates.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{pt('candidates.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('candidates.columns.participant')}</th>
                  <th scope="col">{pt('candidates.columns.stratum')}</th>
                  <th scope="col">{pt('candidates.columns.enrolled')}</th>
                  <th scope="col">{pt('candidates.columns.readiness')}</th>
                  <th scope="col">{pt('candidates.columns.action')}</th>
                </tr>
              </thead>
              <tbody>
                {candidates.map((c) => {
                  const may = canAtSite(grants, 'randomization.randomize', c.siteId);
                  return (
                    <tr key={c.participantId} data-candidate={c.studyId}>
                      <th scope="row">
                        <Link href={`/randomization/${encodeURIComponent(c.participantId)}`} className="tp-code">
                          {c.studyId}
                        </Link>
                      </th>
                      <td data-label={pt('candidates.columns.stratum')}>{stratumLabel(pt, c.readiness.stratum)}</td>
                      <td data-label={pt('candidates.columns.enrolled')}>{formatPlainDate(c.enrolledAt, locale)}</td>
                      <td data-label={pt('candidates.columns.readiness')}>
                        {c.readiness.ready ? (
                          <span className="tp-ready">✓ {pt('candidates.ready')}</span>
                        ) : (
                          <>
                            <span className="tp-badge tp-badge--warning">{pt('candidates.notReady')}</span>
                            <ul className="tp-problems" id={`missing-${c.participantId}`}>
                              {c.readiness.problems.map((p) => (
                                <li key={`${p.path}:${p.message}`}>{describeReadinessProblem(pt, p)}</li>
                              ))}
                            </ul>
                          </>
                        )}
                      </td>
                      <td data-label={pt('candidates.columns.action')}>
                        {may ? (
                          <button
                            type="button"
                            className="button button--primary"
                            disabled={!c.readiness.ready}
                            aria-describedby={c.readiness.ready ? undefined : `missing-${c.participantId}`}
                            onClick={() => {
                              setLast(null);
                              setChoosing(c);
                            }}
                          >
                            {pt('candidates.randomize', { studyId: c.studyId })}
                          </button>
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {candidates.length > 0 && !mayRandomizeSomewhere ? (
          <p className="muted">{pt('candidates.onlySiteStaff')}</p>
        ) : null}
      </section>

      <section className="tp-section" aria-labelledby="randomized-title">
        <h2 id="randomized-title" className="tp-section__title">
          {pt('randomized.title')}
        </h2>
        {randomizations.length === 0 ? (
          <p className="tp-empty">{pt('randomized.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{pt('randomized.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('randomized.columns.number')}</th>
                  <th scope="col">{pt('randomized.columns.participant')}</th>
                  <th scope="col">{pt('randomized.columns.kit')}</th>
                  <th scope="col">{pt('randomized.columns.time')}</th>
                  <th scope="col">{pt('randomized.columns.dose')}</th>
                  <th scope="col">{pt('randomized.columns.flags')}</th>
                </tr>
              </thead>
              <tbody>
                {randomizations.map((r) => (
                  <tr key={r.id} data-randomization={r.randomizationNumber}>
                    <th scope="row" className="tp-code">
                      {r.randomizationNumber}
                    </th>
                    <td data-label={pt('randomized.columns.participant')}>
                      <Link
                        href={`/randomization/${encodeURIComponent(r.participantId)}`}
                        className="tp-code"
                        aria-label={pt('randomized.open', { studyId: r.studyId })}
                      >
                        {r.studyId}
                      </Link>
                    </td>
                    <td data-label={pt('randomized.columns.kit')} className="tp-code">
                      {r.kit}
                    </td>
                    <td data-label={pt('randomized.columns.time')}>{formatCph(r.randomizedAt, locale)}</td>
                    <td data-label={pt('randomized.columns.dose')}>
                      <DoseBadge dose={r.dose} />
                    </td>
                    <td data-label={pt('randomized.columns.flags')}>
                      {r.emergencyUnblinded ? (
                        <span className="tp-badge tp-badge--danger">{pt('randomized.unblinded')}</span>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <AllocationListCard status={status} />

      {choosing ? (
        <RandomizeDialog
          participantId={choosing.participantId}
          studyId={choosing.studyId}
          stratum={choosing.readiness.stratum}
          onClose={() => setChoosing(null)}
          onDone={(randomization, replayed) => {
            setChoosing(null);
            setLast({ randomization, replayed });
            reload();
          }}
        />
      ) : null}
    </>
  );
}
