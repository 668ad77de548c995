/**
 * The emergency-unblinding log: who unblinded which participant, when and why — never the arm.
 * Investigators can start a request from here and see the treatment again for their own
 * unblindings (on the unblinding route, which only investigators may open).
 */
import { listEmergencyUnblindings } from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { canAnywhere } from './randomization/site-access.js';
import { formatCph } from './randomization/trial-format.js';
import { useUnblindingStrings } from './unblinding/unblinding-i18n.js';
import './randomization/trial-pages.css';

/** The unblinding log page. */
export default function UnblindingPage() {
  const { pt, t, locale } = useUnblindingStrings();
  const { session } = useSignedIn();
  const mayRequest = canAnywhere(session.user.grants, 'unblinding.emergency');
  const { state } = useAsync(listEmergencyUnblindings);

  return (
    <>
      <PageHeading
        actions={
          mayRequest ? (
            <Link href="/unblinding/request" className="button button--danger-outline">
              {pt('log.request')}
            </Link>
          ) : undefined
        }
      >
        {pt('log.title')}
      </PageHeading>
      <p className="tp-intro muted">{pt('log.intro')}</p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? (
        state.data.length === 0 ? (
          <p className="tp-empty">{pt('log.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{pt('log.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('log.columns.participant')}</th>
                  <th scope="col">{pt('log.columns.number')}</th>
                  <th scope="col">{pt('log.columns.kit')}</th>
                  <th scope="col">{pt('log.columns.by')}</th>
                  <th scope="col">{pt('log.columns.when')}</th>
                  <th scope="col">{pt('log.columns.reason')}</th>
                  {mayRequest ? <th scope="col">{pt('log.columns.action')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {state.data.map((u) => (
                  <tr key={u.id} data-unblinding={u.studyId}>
                    <th scope="row" className="tp-code">
                      {u.studyId}
                    </th>
                    <td data-label={pt('log.columns.number')} className="tp-code">
                      {u.randomizationNumber}
                    </td>
                    <td data-label={pt('log.columns.kit')} className="tp-code">
                      {u.kit}
                    </td>
                    <td data-label={pt('log.columns.by')}>{u.requestedBy}</td>
                    <td data-label={pt('log.columns.when')}>{formatCph(u.requestedAt, locale)}</td>
                    <td data-label={pt('log.columns.reason')}>{u.reason}</td>
                    {mayRequest ? (
                      <td data-label={pt('log.columns.action')}>
                        {u.requestedById === session.user.id ? (
                          <Link href={`/unblinding/${encodeURIComponent(u.id)}`}>{pt('log.showAgain')}</Link>
                        ) : (
                          '—'
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </>
  );
}
