/**
 * The screening log: everyone pre-screened with number, date, status, eligibility, the criteria
 * not met, consent, sign-off and study id; counts by outcome (which double as the status filter)
 * and screen failures by criterion, and "New screening".
 */
import { useEffect, useState, type FormEvent } from 'react';
import {
  createScreening,
  fetchScreeningSummary,
  listParticipants,
  listScreenings,
  SCREENING_STATUSES,
  type ParticipantView,
  type ScreeningStatus,
  type ScreeningSummary,
  type ScreeningView,
} from '../api/screening-api.js';
import { fetchStudy } from '../api/study-api.js';
import type { Site } from '../api/types.js';
import { Link } from '../app/link.js';
import { navigate } from '../app/router.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Dialog } from '../components/dialog.js';
import { SelectField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { compareCriterionIds } from '../../../src/core/eligibility/assess-eligibility.js';
import { sitesAllowed } from '../../../src/core/authorization.js';
import { canAnywhere, formatPlainDate, todayIso } from './screening/screening-format.js';
import { useScreeningTranslation } from './screening/screening-i18n.js';
import { ScreeningStatusBadge } from './screening/status-badge.js';
import './screening/screening.css';

interface LogData {
  screenings: ScreeningView[];
  summary: ScreeningSummary;
  participants: Map<string, ParticipantView>;
  sites: Site[];
}

const isStatus = (value: string | null): value is ScreeningStatus =>
  value !== null && (SCREENING_STATUSES as readonly string[]).includes(value);

const statusFromUrl = (): ScreeningStatus | null => {
  const value = new URLSearchParams(window.location.search).get('status');
  return isStatus(value) ? value : null;
};

function LogRow({ s, participant }: { s: ScreeningView; participant: ParticipantView | undefined }) {
  const { st, locale } = useScreeningTranslation();
  const failed = [...s.assessment.unmet, ...s.assessment.excluded];
  const date = typeof s.values.screening_date === 'string' ? s.values.screening_date : s.createdAt;
  const eligibility =
    s.assessment.eligible === true ? 'eligible' : s.assessment.eligible === false ? 'ineligible' : 'undecided';
  return (
    <tr data-screening={s.screeningNumber}>
      <th scope="row">
        <Link href={`/screenings/${encodeURIComponent(s.id)}`} className="log-number sc-target">
          {s.screeningNumber}
        </Link>
      </th>
      <td data-label={st('log.columns.date')}>{formatPlainDate(date, locale)}</td>
      <td data-label={st('log.columns.status')}>
        <ScreeningStatusBadge status={s.status} />
        {s.outcomeReason ? <span className="log-sub">{s.outcomeReason}</span> : null}
      </td>
      <td data-label={st('log.columns.eligibility')}>
        <span className={`log-eligibility log-eligibility--${eligibility}`}>{st(`eligibility.${eligibility}`)}</span>
      </td>
      <td data-label={st('log.columns.failed')}>
        {failed.length > 0 ? <span className="mono">{failed.join(', ')}</span> : st('common.none')}
      </td>
      <td data-label={st('log.columns.consent')}>
        {s.consent ? (
          <>
            {st('log.consentValue', { version: s.consent.documentVersion })}
            <span className="log-sub">{st(`consent.status.${s.consent.status}`)}</span>
          </>
        ) : (
          st('common.none')
        )}
      </td>
      <td data-label={st('log.columns.signedOff')}>
        {s.signedOff ? (
          <>
            {st('common.yes')}
            <span className="log-sub">{formatPlainDate(s.signedOff.at, locale)}</span>
          </>
        ) : (
          st('common.no')
        )}
      </td>
      <td data-label={st('log.columns.enrolled')}>
        {participant ? (
          <Link href={`/participants/${encodeURIComponent(participant.id)}`} className="mono sc-target">
            {participant.studyId}
          </Link>
        ) : (
          st('common.none')
        )}
      </td>
    </tr>
  );
}

function NewScreeningDialog({ sites, onClose }: { sites: readonly Site[]; onClose: () => void }) {
  const { st, t } = useScreeningTranslation();
  const [siteId, setSiteId] = useState(sites[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    try {
      const created = await createScreening({ siteId, values: { screening_date: todayIso() } });
      navigate(`/screenings/${encodeURIComponent(created.id)}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Dialog title={st('log.newDialogTitle')} onClose={onClose}>
      <p>{st('log.newDialogIntro')}</p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <SelectField
          id="new-screening-site"
          label={st('common.site')}
          value={siteId}
          onChange={(e) => setSiteId(e.target.value)}
        >
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.code} · {s.name}
            </option>
          ))}
        </SelectField>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? st('log.creating') : st('log.create')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {st('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The screening log page. */
export default function ScreeningLogPage() {
  const { st, t } = useScreeningTranslation();
  const { session } = useSignedIn();
  const grants = session.user.grants;
  const [status, setStatus] = useState<ScreeningStatus | null>(statusFromUrl);
  const [data, setData] = useState<LogData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [choosingSite, setChoosingSite] = useState(false);
  const mayCreate = canAnywhere(grants, 'screening.write');
  const mayReadParticipants = canAnywhere(grants, 'participant.read');

  useEffect(() => {
    let current = true;
    setError(null);
    Promise.all([
      listScreenings(status ?? undefined),
      fetchScreeningSummary(),
      mayReadParticipants ? listParticipants() : Promise.resolve([]),
      fetchStudy(),
    ]).then(
      ([screenings, summary, participants, study]) =>
        current &&
        setData({
          screenings,
          summary,
          participants: new Map(participants.map((p) => [p.screeningId, p])),
          sites: study.sites,
        }),
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [status, mayReadParticipants]);

  const choose = (next: ScreeningStatus | null): void => {
    setStatus(next);
    const url = next ? `${window.location.pathname}?status=${next}` : window.location.pathname;
    window.history.replaceState(null, '', url);
  };

  const writableSites = (): Site[] => {
    const allowed = sitesAllowed(grants, 'screening.write');
    const sites = data?.sites ?? [];
    return allowed === 'all' ? sites : sites.filter((s) => allowed.includes(s.id));
  };

  const startNew = async (): Promise<void> => {
    const sites = writableSites();
    if (sites.length !== 1) return setChoosingSite(true);
    setCreating(true);
    setError(null);
    try {
      const created = await createScreening({ siteId: sites[0]?.id ?? '', values: { screening_date: todayIso() } });
      navigate(`/screenings/${encodeURIComponent(created.id)}`);
    } catch (err) {
      setError(err);
      setCreating(false);
    }
  };

  const summary = data?.summary;
  const criteria = summary ? Object.entries(summary.byCriterion).sort(([a], [b]) => compareCriterionIds(a, b)) : [];

  return (
    <>
      <PageHeading
        actions={
          mayCreate ? (
            <button
              type="button"
              className="button button--primary"
              onClick={() => void startNew()}
              disabled={!data || creating}
            >
              {creating ? st('log.creating') : st('log.newScreening')}
            </button>
          ) : undefined
        }
      >
        {st('log.title')}
      </PageHeading>
      <p className="muted">{st('log.intro')}</p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      {summary ? (
        <section className="card log-summary" aria-labelledby="log-counts">
          <h2 id="log-counts" className="card__title">
            {st('log.countsTitle')}
          </h2>
          <div className="sc-status-filter" role="group" aria-label={st('log.filterLabel')}>
            <button
              type="button"
              className="sc-status-filter__button"
              aria-pressed={status === null}
              onClick={() => choose(null)}
            >
              <span className="sc-status-filter__label">{st('log.all')}</span>
              <span className="sc-status-filter__count" data-count="all">
                {summary.screened}
              </span>
            </button>
            {SCREENING_STATUSES.map((s) => (
              <button
                key={s}
                type="button"
                className={`sc-status-filter__button sc-status-filter__button--${s}`}
                aria-pressed={status === s}
                onClick={() => choose(s)}
              >
                <span className="sc-status-filter__label">{st(`status.${s}`)}</span>
                <span className="sc-status-filter__count" data-count={s}>
                  {summary.byStatus[s] ?? 0}
                </span>
              </button>
            ))}
          </div>
          <h3 className="log-summary__subtitle">{st('log.byCriterionTitle')}</h3>
          {criteria.length === 0 ? (
            <p className="muted">{st('log.byCriterionEmpty')}</p>
          ) : (
            <ul className="sc-criterion-counts">
              {criteria.map(([id, count]) => (
                <li key={id} className="sc-criterion-counts__item" data-criterion={id}>
                  {st('log.byCriterionItem', { id, count })}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {!data && !error ? <Loading /> : null}
      {data ? (
        data.screenings.length === 0 ? (
          <p className="log-empty">{status ? st('log.emptyFiltered') : st('log.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive log-table sc-card-rows">
              <caption className="visually-hidden">
                {st('log.caption')}
                {status ? ` (${st(`status.${status}`)})` : ''}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{st('log.columns.number')}</th>
                  <th scope="col">{st('log.columns.date')}</th>
                  <th scope="col">{st('log.columns.status')}</th>
                  <th scope="col">{st('log.columns.eligibility')}</th>
                  <th scope="col">{st('log.columns.failed')}</th>
                  <th scope="col">{st('log.columns.consent')}</th>
                  <th scope="col">{st('log.columns.signedOff')}</th>
                  <th scope="col">{st('log.columns.enrolled')}</th>
                </tr>
              </thead>
              <tbody>
                {data.screenings.map((s) => (
                  <LogRow key={s.id} s={s} participant={data.participants.get(s.id)} />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {choosingSite ? <NewScreeningDialog sites={writableSites()} onClose={() => setChoosingSite(false)} /> : null}
    </>
  );
}
