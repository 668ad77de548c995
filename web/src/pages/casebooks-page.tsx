/**
 * The casebooks of the user's sites: one row per participant with the site, status and unresolved
 * queries, each opening the participant's casebook.
 */
import { useSignedIn } from '../app/session.js';
import { fetchQuerySummary, type QuerySummary } from '../api/ecrf-api.js';
import { listParticipants, type ParticipantView } from '../api/screening-api.js';
import { fetchStudy } from '../api/study-api.js';
import type { Site } from '../api/types.js';
import { Link } from '../app/link.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { useEcrfTranslation } from './form/ecrf-i18n.js';
import { canAnywhere, casebookHref } from './form/ecrf-format.js';
import './form/ecrf.css';

interface Loaded {
  participants: ParticipantView[];
  sites: Site[];
  summary: QuerySummary | null;
}

/** The casebook list page. */
export default function CasebooksPage() {
  const { et, t } = useEcrfTranslation();
  const { session } = useSignedIn();
  const readsQueries = canAnywhere(session.user.grants, 'query.read');
  const { state } = useAsync<Loaded>(async () => {
    const [participants, study, summary] = await Promise.all([
      listParticipants(),
      fetchStudy(),
      readsQueries ? fetchQuerySummary() : Promise.resolve(null),
    ]);
    return { participants, sites: study.sites, summary };
  });

  return (
    <>
      <PageHeading>{et('casebooks.title')}</PageHeading>
      <p className="muted">{et('casebooks.intro')}</p>
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'ready' ? (
        state.data.participants.length === 0 ? (
          <p>{et('casebooks.empty')}</p>
        ) : (
          <div className="table-wrap ec-table-wrap">
            <table className="table ec-stack-table">
              <caption className="visually-hidden">{et('casebooks.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{et('casebooks.studyId')}</th>
                  <th scope="col">{et('casebooks.site')}</th>
                  <th scope="col">{et('casebooks.status')}</th>
                  {readsQueries ? <th scope="col">{et('casebooks.queries')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {state.data.participants.map((p) => {
                  const site = state.data.sites.find((s) => s.id === p.siteId);
                  const open = state.data.summary?.unresolved.byParticipant[p.id] ?? 0;
                  return (
                    <tr key={p.id} data-participant={p.studyId}>
                      <th scope="row" data-label={et('casebooks.studyId')}>
                        <Link href={casebookHref(p.id)} className="ec-strong-link">
                          {et('casebooks.open', { studyId: p.studyId })}
                        </Link>
                      </th>
                      <td data-label={et('casebooks.site')}>{site?.code ?? p.siteId}</td>
                      <td data-label={et('casebooks.status')}>{et(`participantStatus.${p.status}`)}</td>
                      {readsQueries ? <td data-label={et('casebooks.queries')}>{open}</td> : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}
