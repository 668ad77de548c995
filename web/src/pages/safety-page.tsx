/**
 * The safety overview: counts (open cases, overdue and soon-due reports, open review tasks and
 * queries), every report that is due with its Copenhagen due time and countdown, reports sent
 * late, and the SAE cases with their next deadline.
 */
import {
  fetchSafetyDashboard,
  listSaeCases,
  type DashboardLine,
  type SaeCase,
  type SafetyDashboard,
} from '../api/safety-api.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { canAnywhere } from './randomization/site-access.js';
import { formatCph } from './randomization/trial-format.js';
import { CaseStatusBadge, DeadlineBadge } from './safety/badges.js';
import { dueShort, useCountdown, useNow } from './safety/deadline-clock.js';
import { SafetyFrame } from './safety/safety-frame.js';
import { useSafetyStrings } from './safety/safety-i18n.js';
import './randomization/trial-pages.css';

interface Loaded {
  dashboard: SafetyDashboard;
  cases: SaeCase[];
}

const COUNT_KEYS = [
  'overdue',
  'dueSoon',
  'openCases',
  'openReviewTasks',
  'openQueries',
  'aesPendingInvestigatorCausality',
] as const;

function DeadlineRows({ lines, now }: { lines: readonly DashboardLine[]; now: number }) {
  const { pt, locale } = useSafetyStrings();
  const countdown = useCountdown();
  return (
    <div className="table-wrap">
      <table className="table table--responsive">
        <caption className="visually-hidden">{pt('dashboard.deadlinesCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{pt('dashboard.columns.case')}</th>
            <th scope="col">{pt('dashboard.columns.participant')}</th>
            <th scope="col">{pt('dashboard.columns.clock')}</th>
            <th scope="col">{pt('dashboard.columns.due')}</th>
            <th scope="col">{pt('dashboard.columns.status')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={`${l.caseId}-${l.kind}`} data-deadline-line={`${l.caseNumber}:${l.kind}`}>
              <th scope="row">
                <Link href={`/safety/cases/${encodeURIComponent(l.caseId)}`} className="tp-code">
                  {l.caseNumber}
                </Link>
                <span className="tp-sub">
                  {l.aeNumber} · {l.verbatimTerm}
                </span>
              </th>
              <td data-label={pt('dashboard.columns.participant')} className="tp-code">
                {l.studyId}
              </td>
              <td data-label={pt('dashboard.columns.clock')}>{pt(`case.clocks.${l.kind}`)}</td>
              <td data-label={pt('dashboard.columns.due')}>
                {dueShort(pt, l.kind, l.due, locale)}
                {l.status === 'met' || l.status === 'met_late' ? (
                  l.metAt ? (
                    <span className="tp-sub">{pt('case.metLateAt', { time: formatCph(l.metAt, locale) })}</span>
                  ) : null
                ) : (
                  <span className="tp-sub">{countdown(l.due, now)}</span>
                )}
              </td>
              <td data-label={pt('dashboard.columns.status')}>
                <DeadlineBadge status={l.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The safety overview page. */
export default function SafetyPage() {
  const { pt, t, locale } = useSafetyStrings();
  const { session } = useSignedIn();
  const mayWrite = canAnywhere(session.user.grants, 'safety.ae.write');
  const now = useNow();
  const { state } = useAsync<Loaded>(async () => {
    const [dashboard, cases] = await Promise.all([fetchSafetyDashboard(), listSaeCases()]);
    return { dashboard, cases };
  });

  return (
    <SafetyFrame
      title={pt('dashboard.title')}
      actions={
        mayWrite ? (
          <Link href="/safety/adverse-events/new" className="button button--primary">
            {pt('common.recordAe')}
          </Link>
        ) : undefined
      }
    >
      <p className="tp-intro muted">{pt('dashboard.intro')}</p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? (
        <>
          <dl className="tp-counts tp-section">
            {COUNT_KEYS.map((k) => {
              const n = state.data.dashboard.counts[k];
              const tone =
                k === 'overdue' && n > 0 ? ' tp-count--danger' : k === 'dueSoon' && n > 0 ? ' tp-count--warning' : '';
              return (
                <div key={k} className={`tp-count${tone}`} data-count={k}>
                  <dt>{pt(`dashboard.counts.${k}`)}</dt>
                  <dd>{n}</dd>
                </div>
              );
            })}
          </dl>

          <section className="tp-section" aria-labelledby="dash-deadlines">
            <h2 id="dash-deadlines" className="tp-section__title">
              {pt('dashboard.deadlinesTitle')}
            </h2>
            {state.data.dashboard.deadlines.length === 0 ? (
              <p className="tp-empty">{pt('dashboard.deadlinesEmpty')}</p>
            ) : (
              <DeadlineRows lines={state.data.dashboard.deadlines} now={now} />
            )}
          </section>

          {state.data.dashboard.metLate.length > 0 ? (
            <section className="tp-section" aria-labelledby="dash-late">
              <h2 id="dash-late" className="tp-section__title">
                {pt('dashboard.metLateTitle')}
              </h2>
              <DeadlineRows lines={state.data.dashboard.metLate} now={now} />
            </section>
          ) : null}

          <section className="tp-section" aria-labelledby="dash-cases">
            <h2 id="dash-cases" className="tp-section__title">
              {pt('dashboard.casesTitle')}
            </h2>
            {state.data.cases.length === 0 ? (
              <p className="tp-empty">{pt('dashboard.casesEmpty')}</p>
            ) : (
              <div className="table-wrap">
                <table className="table table--responsive">
                  <caption className="visually-hidden">{pt('dashboard.casesCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{pt('dashboard.columns.case')}</th>
                      <th scope="col">{pt('dashboard.columns.participant')}</th>
                      <th scope="col">{pt('dashboard.columns.event')}</th>
                      <th scope="col">{pt('dashboard.columns.opened')}</th>
                      <th scope="col">{pt('dashboard.columns.nextDue')}</th>
                      <th scope="col">{pt('dashboard.columns.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {state.data.cases.map((c) => {
                      const next = c.deadlines.find((d) => d.status !== 'met' && d.status !== 'met_late');
                      return (
                        <tr key={c.id} data-case={c.caseNumber}>
                          <th scope="row">
                            <Link href={`/safety/cases/${encodeURIComponent(c.id)}`} className="tp-code">
                              {c.caseNumber}
                            </Link>
                          </th>
                          <td data-label={pt('dashboard.columns.participant')} className="tp-code">
                            {c.studyId}
                          </td>
                          <td data-label={pt('dashboard.columns.event')}>
                            {c.verbatimTerm}
                            <span className="tp-sub">{c.aeNumber}</span>
                          </td>
                          <td data-label={pt('dashboard.columns.opened')}>{formatCph(c.openedAt, locale)}</td>
                          <td data-label={pt('dashboard.columns.nextDue')}>
                            {next ? (
                              <>
                                {pt(`case.clocks.${next.kind}`)}
                                <span className="tp-sub">{dueShort(pt, next.kind, next.due, locale)}</span>{' '}
                                <DeadlineBadge status={next.status} />
                              </>
                            ) : (
                              '—'
                            )}
                          </td>
                          <td data-label={pt('dashboard.columns.status')}>
                            <CaseStatusBadge status={c.status} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      ) : null}
    </SafetyFrame>
  );
}
