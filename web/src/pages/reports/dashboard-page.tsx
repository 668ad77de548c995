/**
 * The trial dashboard for a trial manager preparing a DSMB meeting: enrolment over time against the
 * target, visits due and overdue by site, the visit completion matrix (participants × visits, each
 * cell's status as text), diary compliance, unresolved queries by age, SAE reporting clocks (soonest
 * first) and the data-entry backlog. The API is blinded for everyone, and no string here names a
 * treatment group.
 */
import { useState, type ReactNode } from 'react';
import {
  fetchDashboard,
  QUERY_AGE_BUCKETS,
  type CompletionStatus,
  type EnrolmentMonth,
  type QueryAgeBucket,
  type TrialDashboard,
} from '../../api/reports-api.js';
import { Alert } from '../../components/alert.js';
import { Loading } from '../../components/loading.js';
import { describeError } from '../../lib/error-messages.js';
import { useAsync } from '../../lib/use-async.js';
import { formatCph, formatNumber, formatPlainDate } from '../randomization/trial-format.js';
import { EnrolmentChart } from './enrolment-chart.js';
import { ReportsFrame } from './reports-frame.js';
import { useReportsStrings } from './reports-i18n.js';
import '../randomization/trial-pages.css';
import './reports.css';

/** Matrix rows shown at first and added per "show more". */
const MATRIX_PAGE = 50;

/** One labelled figure of a counts row. */
interface Figure {
  key: string;
  label: string;
  value: ReactNode;
  tone?: 'danger' | 'warning';
}

function Counts({ figures }: { figures: readonly Figure[] }) {
  return (
    <dl className="tp-counts">
      {figures.map((f) => (
        <div key={f.key} className={`tp-count${f.tone ? ` tp-count--${f.tone}` : ''}`} data-count={f.key}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A titled panel of the dashboard. */
function Panel({ id, title, intro, children }: { id: string; title: string; intro?: string; children: ReactNode }) {
  return (
    <section className="tp-section rp-panel" aria-labelledby={`rp-${id}`} data-panel={id}>
      <h2 id={`rp-${id}`} className="tp-section__title">
        {title}
      </h2>
      {intro ? <p className="muted">{intro}</p> : null}
      {children}
    </section>
  );
}

/** A two-column table: a label column and a number column, with an optional total row. */
function PairTable({
  caption,
  head,
  rows,
  total,
}: {
  caption: string;
  head: readonly [string, string];
  rows: readonly (readonly [string, number])[];
  total?: string;
}) {
  const { pt } = useReportsStrings();
  const empty = pt('common.none');
  return (
    <div className="table-wrap rp-narrow">
      <table className="table">
        <caption className="rp-caption">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head[0]}</th>
            <th scope="col" className="tp-num">
              {head[1]}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={2} className="tp-empty">
                {empty}
              </td>
            </tr>
          ) : null}
          {rows.map(([label, n]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="tp-num">{n}</td>
            </tr>
          ))}
          {total ? (
            <tr className="rp-total">
              <th scope="row">{total}</th>
              <td className="tp-num">{rows.reduce((s, [, n]) => s + n, 0)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

/** The numeric columns of the monthly enrolment table: the field and its column label's key. */
const MONTH_COLUMNS = [
  ['screened', 'screened'],
  ['enrolled', 'enrolled'],
  ['randomized', 'randomized'],
  ['cumulativeEnrolled', 'cumulative'],
  ['cumulativeTarget', 'target'],
] as const satisfies readonly (readonly [keyof EnrolmentMonth, string])[];

function EnrolmentPanel({ data }: { data: TrialDashboard['enrolment'] }) {
  const { pt, locale } = useReportsStrings();
  const last = data.byMonth.at(-1);
  const projection =
    data.enrolled >= data.target
      ? pt('dashboard.enrolment.reached')
      : data.projectedTargetMonth
        ? pt('dashboard.enrolment.projected', { month: data.projectedTargetMonth })
        : pt('dashboard.enrolment.noRate');
  return (
    <Panel id="enrolment" title={pt('dashboard.enrolment.title')}>
      <Counts
        figures={[
          { key: 'screened', label: pt('dashboard.enrolment.screened'), value: data.screened },
          { key: 'enrolled', label: pt('dashboard.enrolment.enrolled'), value: data.enrolled },
          { key: 'randomized', label: pt('dashboard.enrolment.randomized'), value: data.randomized },
          { key: 'withdrawn', label: pt('dashboard.enrolment.withdrawn'), value: data.withdrawn },
          { key: 'target', label: pt('dashboard.enrolment.target'), value: data.target },
        ]}
      />
      <p>{projection}</p>
      <EnrolmentChart
        months={data.byMonth}
        target={data.target}
        label={pt('dashboard.enrolment.chartLabel', {
          enrolled: last?.cumulativeEnrolled ?? 0,
          target: data.target,
          month: last?.month ?? '—',
        })}
        enrolledLabel={pt('dashboard.enrolment.cumulative')}
        targetLabel={pt('dashboard.enrolment.targetLine', {
          target: data.target,
          months: formatNumber(data.plannedMonths, locale),
        })}
      />
      <details className="tp-details">
        <summary>{pt('dashboard.enrolment.tableSummary')}</summary>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{pt('dashboard.enrolment.tableSummary')}</caption>
            <thead>
              <tr>
                <th scope="col">{pt('dashboard.enrolment.columns.month')}</th>
                {MONTH_COLUMNS.map(([field, key]) => (
                  <th key={field} scope="col" className="tp-num">
                    {pt(`dashboard.enrolment.columns.${key}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.byMonth.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.month}</th>
                  {MONTH_COLUMNS.map(([field]) => (
                    <td key={field} className="tp-num">
                      {m[field]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </Panel>
  );
}

const SITE_COLUMNS = [
  'participants',
  'due',
  'overdue',
  'upcoming30Days',
  'doneInWindow',
  'doneOutOfWindow',
  'missed',
] as const;
const SITE_COLUMN_LABEL = {
  participants: 'participants',
  due: 'due',
  overdue: 'overdue',
  upcoming30Days: 'upcoming',
  doneInWindow: 'doneInWindow',
  doneOutOfWindow: 'doneOutOfWindow',
  missed: 'missed',
} as const;

function VisitsPanel({ data }: { data: TrialDashboard['visits'] }) {
  const { pt } = useReportsStrings();
  const col = (k: (typeof SITE_COLUMNS)[number]): string => pt(`dashboard.visits.columns.${SITE_COLUMN_LABEL[k]}`);
  return (
    <Panel id="visits" title={pt('dashboard.visits.title')}>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">{pt('dashboard.visits.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{pt('common.site')}</th>
              {SITE_COLUMNS.map((k) => (
                <th key={k} scope="col" className="tp-num">
                  {col(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.bySite.map((s) => (
              <tr key={s.site} data-site={s.site}>
                <th scope="row" className="tp-code">
                  {s.site}
                </th>
                {SITE_COLUMNS.map((k) => (
                  <td key={k} className={`tp-num${k === 'overdue' && s.overdue > 0 ? ' rp-alert' : ''}`}>
                    {s[k]}
                  </td>
                ))}
              </tr>
            ))}
            {data.bySite.length > 1 ? (
              <tr className="rp-total">
                <th scope="row">{pt('common.total')}</th>
                {SITE_COLUMNS.map((k) => (
                  <td key={k} className="tp-num">
                    {data.bySite.reduce((sum, s) => sum + s[k], 0)}
                  </td>
                ))}
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <h3 className="rp-subtitle">{pt('dashboard.visits.overdueTitle')}</h3>
      {data.overdue.length === 0 ? (
        <p className="tp-empty">{pt('dashboard.visits.overdueEmpty')}</p>
      ) : (
        <div className="table-wrap rp-scroll">
          <table className="table">
            <caption className="visually-hidden">{pt('dashboard.visits.overdueTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{pt('common.participant')}</th>
                <th scope="col">{pt('common.site')}</th>
                <th scope="col">{pt('common.visit')}</th>
                <th scope="col" className="tp-num">
                  {pt('dashboard.visits.columns.daysOverdue')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.overdue.map((o) => (
                <tr key={`${o.studyId}-${o.visit}`}>
                  <th scope="row" className="tp-code">
                    {o.studyId}
                  </th>
                  <td className="tp-code">{o.site}</td>
                  <td className="tp-code">{o.visit}</td>
                  <td className="tp-num">{o.daysOverdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

function CompletionPanel({ data }: { data: TrialDashboard['completion'] }) {
  const { pt } = useReportsStrings();
  const [shown, setShown] = useState(MATRIX_PAGE);
  const label = (s: CompletionStatus): string => pt(`dashboard.completion.status.${s}`);
  const abbr = (s: CompletionStatus): string => pt(`dashboard.completion.abbreviation.${s}`);
  const rows = data.rows.slice(0, shown);
  return (
    <Panel id="completion" title={pt('dashboard.completion.title')} intro={pt('dashboard.completion.intro')}>
      <div className="rp-legend" role="group" aria-label={pt('dashboard.completion.legend')}>
        <span className="rp-legend__title">{pt('dashboard.completion.legend')}:</span>
        {data.statuses.map((s) => (
          <span key={s} className="rp-legend__item">
            <span className={`rp-cell rp-cell--${s}`} aria-hidden="true">
              {abbr(s)}
            </span>
            {label(s)}
          </span>
        ))}
      </div>
      <div className="table-wrap">
        <table className="table rp-matrix">
          <caption className="rp-caption">{pt('dashboard.completion.totalsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{pt('common.visit')}</th>
              {data.statuses.map((s) => (
                <th key={s} scope="col" className="tp-num">
                  <abbr title={label(s)}>{abbr(s)}</abbr>
                  <span className="visually-hidden"> {label(s)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.totals.map((t) => (
              <tr key={t.visit}>
                <th scope="row" className="tp-code">
                  {t.visit}
                </th>
                {data.statuses.map((s) => (
                  <td key={s} className="tp-num">
                    {t.counts[s] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-wrap rp-scroll">
        <table className="table rp-matrix rp-heatmap">
          <caption className="rp-caption">{pt('dashboard.completion.matrixCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{pt('common.participant')}</th>
              <th scope="col">{pt('common.site')}</th>
              {data.visits.map((v) => (
                <th key={v} scope="col" className="tp-code">
                  {v}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.studyId} data-participant={r.studyId}>
                <th scope="row" className="tp-code">
                  {r.studyId}
                </th>
                <td className="tp-code">{r.site}</td>
                {r.cells.map((c, i) => {
                  const s = data.statuses[c] ?? 'not_applicable';
                  return (
                    <td key={data.visits[i] ?? i} className={`rp-cell rp-cell--${s}`} title={label(s)}>
                      <span aria-hidden="true">{abbr(s)}</span>
                      <span className="visually-hidden">{label(s)}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted" role="status">
        {pt('dashboard.completion.showing', { shown: rows.length, total: data.rows.length })}
      </p>
      {rows.length < data.rows.length ? (
        <div className="tp-actions">
          <button type="button" className="button button--secondary" onClick={() => setShown((n) => n + MATRIX_PAGE)}>
            {pt('dashboard.completion.showMore', { count: Math.min(MATRIX_PAGE, data.rows.length - rows.length) })}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setShown(data.rows.length)}>
            {pt('dashboard.completion.showAll')}
          </button>
        </div>
      ) : null}
    </Panel>
  );
}

function DiariesPanel({ data }: { data: TrialDashboard['diaries'] }) {
  const { pt, locale } = useReportsStrings();
  return (
    <Panel id="diaries" title={pt('dashboard.diaries.title')} intro={pt('dashboard.diaries.intro')}>
      <Counts
        figures={[
          { key: 'participants', label: pt('dashboard.diaries.participants'), value: data.participants },
          {
            key: 'entries',
            label: pt('dashboard.diaries.entries'),
            value: `${data.entries} / ${data.expectedEntries}`,
          },
          {
            key: 'compliance',
            label: pt('dashboard.diaries.compliance'),
            value:
              data.compliance === null
                ? '—'
                : pt('common.percent', { value: formatNumber(data.compliance * 100, locale, 1) }),
            ...(data.compliance !== null && data.compliance < 0.8 ? { tone: 'warning' as const } : {}),
          },
        ]}
      />
      <PairTable
        caption={pt('dashboard.diaries.distribution')}
        head={[pt('dashboard.diaries.compliance'), pt('dashboard.diaries.count')]}
        rows={[
          [pt('dashboard.diaries.below50'), data.distribution.below50],
          [pt('dashboard.diaries.from50to79'), data.distribution.from50to79],
          [pt('dashboard.diaries.atLeast80'), data.distribution.atLeast80],
        ]}
        total={pt('common.total')}
      />
    </Panel>
  );
}

function ageRows(
  pt: ReturnType<typeof useReportsStrings>['pt'],
  byAge: Record<QueryAgeBucket, number>,
): [string, number][] {
  return QUERY_AGE_BUCKETS.map((b) => [pt(`ageBuckets.${b}`), byAge[b]]);
}

function QueriesPanel({ data }: { data: TrialDashboard['queries'] }) {
  const { pt } = useReportsStrings();
  return (
    <Panel id="queries" title={pt('dashboard.queries.title')}>
      <Counts
        figures={[
          { key: 'open', label: pt('dashboard.queries.open'), value: data.open },
          { key: 'answered', label: pt('dashboard.queries.answered'), value: data.answered },
          {
            key: 'oldest',
            label: pt('dashboard.queries.oldest'),
            value: data.oldestDays ?? '—',
            ...(data.oldestDays !== null && data.oldestDays > 30 ? { tone: 'warning' as const } : {}),
          },
          { key: 'safety', label: pt('dashboard.queries.safety'), value: data.safetyQueriesOpen },
        ]}
      />
      <div className="rp-tables">
        <PairTable
          caption={pt('dashboard.queries.title')}
          head={[pt('dashboard.queries.age'), pt('dashboard.queries.unresolved')]}
          rows={ageRows(pt, data.byAge)}
          total={pt('common.total')}
        />
        <PairTable
          caption={pt('dashboard.queries.bySite')}
          head={[pt('common.site'), pt('dashboard.queries.unresolved')]}
          rows={data.bySite.map((s) => [s.site, s.unresolved])}
        />
      </div>
    </Panel>
  );
}

const DEADLINE_KINDS = ['sponsor_report', 'susar_initial', 'susar_followup'] as const;
const DEADLINE_STATUSES = ['pending', 'due_soon', 'overdue', 'met', 'met_late'] as const;
const isOneOf = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

function SaeClocksPanel({ data }: { data: TrialDashboard['saeClocks'] }) {
  const { pt, locale } = useReportsStrings();
  if (data === null) {
    return (
      <Panel id="sae" title={pt('dashboard.sae.title')}>
        <p className="tp-empty">{pt('dashboard.sae.notShown')}</p>
      </Panel>
    );
  }
  const deadlines = [...data.deadlines].sort((a, b) => a.due.localeCompare(b.due));
  return (
    <Panel id="sae" title={pt('dashboard.sae.title')}>
      <Counts
        figures={[
          { key: 'openCases', label: pt('dashboard.sae.openCases'), value: data.openCases },
          {
            key: 'overdue',
            label: pt('dashboard.sae.overdue'),
            value: data.overdue,
            ...(data.overdue > 0 ? { tone: 'danger' as const } : {}),
          },
          {
            key: 'dueSoon',
            label: pt('dashboard.sae.dueSoon'),
            value: data.dueSoon,
            ...(data.dueSoon > 0 ? { tone: 'warning' as const } : {}),
          },
        ]}
      />
      {deadlines.length === 0 ? (
        <p className="tp-empty">{pt('dashboard.sae.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="rp-caption">{pt('dashboard.sae.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{pt('dashboard.sae.columns.case')}</th>
                <th scope="col">{pt('common.participant')}</th>
                <th scope="col">{pt('dashboard.sae.columns.clock')}</th>
                <th scope="col">{pt('dashboard.sae.columns.due')}</th>
                <th scope="col">{pt('dashboard.sae.columns.status')}</th>
              </tr>
            </thead>
            <tbody>
              {deadlines.map((d) => (
                <tr key={`${d.caseNumber}-${d.kind}`} data-deadline={`${d.caseNumber}:${d.kind}`}>
                  <th scope="row" className="tp-code">
                    {d.caseNumber}
                  </th>
                  <td className="tp-code">{d.studyId}</td>
                  <td>{isOneOf(DEADLINE_KINDS, d.kind) ? pt(`dashboard.sae.kind.${d.kind}`) : d.kind}</td>
                  <td>{formatCph(d.due, locale)}</td>
                  <td>
                    <span
                      className={`tp-badge tp-badge--${d.status === 'overdue' ? 'danger' : d.status === 'due_soon' ? 'warning' : 'neutral'}`}
                    >
                      {isOneOf(DEADLINE_STATUSES, d.status) ? pt(`dashboard.sae.status.${d.status}`) : d.status}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}

function BacklogPanel({ data }: { data: TrialDashboard['backlog'] }) {
  const { pt } = useReportsStrings();
  return (
    <Panel id="backlog" title={pt('dashboard.backlog.title')} intro={pt('dashboard.backlog.intro')}>
      <Counts
        figures={[
          { key: 'visits', label: pt('dashboard.backlog.visits'), value: data.visitsWithMissingForms },
          { key: 'missing', label: pt('dashboard.backlog.missing'), value: data.missingForms },
          { key: 'drafts', label: pt('dashboard.backlog.drafts'), value: data.draftForms },
        ]}
      />
      <div className="rp-tables">
        <PairTable
          caption={pt('dashboard.backlog.byForm')}
          head={[pt('dashboard.backlog.form'), pt('dashboard.backlog.missing')]}
          rows={data.byForm.map((f) => [f.form, f.missing])}
        />
        <PairTable
          caption={pt('dashboard.backlog.byAge')}
          head={[pt('dashboard.queries.age'), pt('dashboard.backlog.missing')]}
          rows={ageRows(pt, data.byAge)}
        />
        <PairTable
          caption={pt('dashboard.backlog.bySite')}
          head={[pt('common.site'), pt('dashboard.backlog.missing')]}
          rows={data.bySite.map((s) => [s.site, s.missing])}
        />
      </div>
    </Panel>
  );
}

/** The dashboard page. */
export default function DashboardPage() {
  const { pt, t, locale } = useReportsStrings();
  const { state } = useAsync(fetchDashboard);
  return (
    <ReportsFrame title={pt('dashboard.title')}>
      <p className="tp-intro muted">{pt('dashboard.intro')}</p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? (
        <>
          <p>
            {pt('common.generated', {
              time: formatCph(state.data.generatedAt, locale),
              today: formatPlainDate(state.data.today, locale),
            })}
          </p>
          <EnrolmentPanel data={state.data.enrolment} />
          <VisitsPanel data={state.data.visits} />
          <CompletionPanel data={state.data.completion} />
          <DiariesPanel data={state.data.diaries} />
          <QueriesPanel data={state.data.queries} />
          <SaeClocksPanel data={state.data.saeClocks} />
          <BacklogPanel data={state.data.backlog} />
        </>
      ) : null}
    </ReportsFrame>
  );
}
