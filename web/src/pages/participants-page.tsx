/** The participant list: study id, site, status, enrolment date, consent version, re-consent and withdrawal. */
import { listParticipants, type ParticipantView } from '../api/screening-api.js';
import { fetchStudy } from '../api/study-api.js';
import type { Site } from '../api/types.js';
import { Link } from '../app/link.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { formatPlainDate } from './screening/screening-format.js';
import { useScreeningTranslation } from './screening/screening-i18n.js';
import { ParticipantStatusBadge } from './screening/status-badge.js';
import { scopeLabel } from './participant/withdraw-dialog.js';
import './screening/screening.css';

async function loadPage(): Promise<{ participants: ParticipantView[]; sites: Site[] }> {
  const [participants, study] = await Promise.all([listParticipants(), fetchStudy()]);
  return { participants, sites: study.sites };
}

function ParticipantRow({ p, sites }: { p: ParticipantView; sites: readonly Site[] }) {
  const { st, locale } = useScreeningTranslation();
  return (
    <tr data-participant={p.studyId}>
      <th scope="row">
        <Link href={`/participants/${encodeURIComponent(p.id)}`} className="mono sc-target">
          {p.studyId}
        </Link>
      </th>
      <td data-label={st('participants.columns.site')}>{sites.find((s) => s.id === p.siteId)?.code ?? p.siteId}</td>
      <td data-label={st('participants.columns.status')}>
        <ParticipantStatusBadge status={p.status} />
      </td>
      <td data-label={st('participants.columns.enrolled')}>{formatPlainDate(p.enrolledAt, locale)}</td>
      <td data-label={st('participants.columns.consent')}>
        {p.consentVersion ?? st('common.none')}
        {p.reconsentRequired ? (
          <>
            {' '}
            <span className="sc-badge sc-badge--warning">{st('participants.reconsent')}</span>
          </>
        ) : null}
      </td>
      <td data-label={st('participants.columns.withdrawal')}>
        {p.withdrawnAt
          ? st('participants.withdrawnOn', {
              date: formatPlainDate(p.withdrawnAt, locale),
              scope: scopeLabel(st, p.withdrawalScope),
            })
          : st('common.none')}
      </td>
    </tr>
  );
}

/** The participants page. */
export default function ParticipantsPage() {
  const { st, t } = useScreeningTranslation();
  const { state } = useAsync(loadPage);
  return (
    <>
      <PageHeading>{st('participants.title')}</PageHeading>
      <p className="muted">{st('participants.intro')}</p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? (
        state.data.participants.length === 0 ? (
          <p>{st('participants.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive sc-card-rows">
              <caption className="visually-hidden">{st('participants.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{st('participants.columns.studyId')}</th>
                  <th scope="col">{st('participants.columns.site')}</th>
                  <th scope="col">{st('participants.columns.status')}</th>
                  <th scope="col">{st('participants.columns.enrolled')}</th>
                  <th scope="col">{st('participants.columns.consent')}</th>
                  <th scope="col">{st('participants.columns.withdrawal')}</th>
                </tr>
              </thead>
              <tbody>
                {state.data.participants.map((p) => (
                  <ParticipantRow key={p.id} p={p} sites={state.data.sites} />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}
