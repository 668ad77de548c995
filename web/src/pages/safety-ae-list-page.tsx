/** The AE listing: every adverse event (latest version), optionally serious only or with entered-in-error ones. */
import { useState } from 'react';
import { listAdverseEvents, type AeView } from '../api/safety-api.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { SelectField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { canAnywhere } from './randomization/site-access.js';
import { AeDates } from './safety/ae-facts.js';
import { GradeBadge, SeriousBadge } from './safety/badges.js';
import { SafetyFrame } from './safety/safety-frame.js';
import { useSafetyStrings } from './safety/safety-i18n.js';
import './randomization/trial-pages.css';

type Filter = 'all' | 'serious' | 'errors';

/** The AE list page. */
export default function SafetyAeListPage() {
  const { pt, t } = useSafetyStrings();
  const { session } = useSignedIn();
  const mayWrite = canAnywhere(session.user.grants, 'safety.ae.write');
  const [filter, setFilter] = useState<Filter>('all');
  const { state } = useAsync<AeView[]>(() => listAdverseEvents({ status: 'all' }));

  const shown =
    state.status === 'ready'
      ? state.data.filter((a) =>
          filter === 'serious' ? a.serious && a.status === 'active' : filter === 'all' ? a.status === 'active' : true,
        )
      : [];

  return (
    <SafetyFrame
      title={pt('aeList.title')}
      actions={
        mayWrite ? (
          <Link href="/safety/adverse-events/new" className="button button--primary">
            {pt('common.recordAe')}
          </Link>
        ) : undefined
      }
    >
      <p className="tp-intro muted">{pt('aeList.intro')}</p>
      <div className="tp-form-grid">
        <SelectField
          id="ae-filter"
          label={pt('aeList.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value as Filter)}
        >
          <option value="all">{pt('aeList.all')}</option>
          <option value="serious">{pt('aeList.seriousOnly')}</option>
          <option value="errors">{pt('aeList.includeErrors')}</option>
        </SelectField>
      </div>
      <div className="tp-section">
        {state.status === 'loading' ? <Loading /> : null}
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
        {state.status === 'ready' && shown.length === 0 ? <p className="tp-empty">{pt('aeList.empty')}</p> : null}
        {shown.length > 0 ? (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{pt('aeList.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('aeList.columns.number')}</th>
                  <th scope="col">{pt('aeList.columns.participant')}</th>
                  <th scope="col">{pt('aeList.columns.term')}</th>
                  <th scope="col">{pt('aeList.columns.dates')}</th>
                  <th scope="col">{pt('aeList.columns.grade')}</th>
                  <th scope="col">{pt('aeList.columns.serious')}</th>
                  <th scope="col">{pt('aeList.columns.causality')}</th>
                  <th scope="col">{pt('aeList.columns.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => (
                  <tr key={a.id} data-ae={a.aeNumber}>
                    <th scope="row">
                      <Link href={`/safety/adverse-events/${encodeURIComponent(a.id)}`} className="tp-code">
                        {a.aeNumber}
                      </Link>
                      {a.status === 'entered_in_error' ? (
                        <span className="tp-sub">{pt('aeList.enteredInError')}</span>
                      ) : null}
                    </th>
                    <td data-label={pt('aeList.columns.participant')} className="tp-code">
                      {a.studyId}
                    </td>
                    <td data-label={pt('aeList.columns.term')}>
                      {a.verbatimTerm}
                      {a.meddra?.ptName ? <span className="tp-sub">{a.meddra.ptName}</span> : null}
                      {a.openQueries > 0 ? (
                        <span className="tp-sub">
                          <span className="tp-badge tp-badge--warning">
                            {pt('aeList.openQueries', { count: a.openQueries })}
                          </span>
                        </span>
                      ) : null}
                    </td>
                    <td data-label={pt('aeList.columns.dates')}>
                      <AeDates onset={a.onsetDate} end={a.endDate} />
                    </td>
                    <td data-label={pt('aeList.columns.grade')}>
                      <GradeBadge grade={a.grade} />
                    </td>
                    <td data-label={pt('aeList.columns.serious')}>
                      <SeriousBadge ae={a} />
                      {a.caseId ? (
                        <span className="tp-sub">
                          <Link href={`/safety/cases/${encodeURIComponent(a.caseId)}`}>{a.caseNumber}</Link>
                        </span>
                      ) : null}
                    </td>
                    <td data-label={pt('aeList.columns.causality')}>{pt(`reportable.${a.reportableCausality}`)}</td>
                    <td data-label={pt('aeList.columns.outcome')}>{pt(`form.outcomes.${a.outcome}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </SafetyFrame>
  );
}
