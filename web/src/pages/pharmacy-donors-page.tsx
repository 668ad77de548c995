/** Cell donors (unblinded area): pseudonymous code, eligibility, infection screening, lots; register a donor. */
import { useState } from 'react';
import { listDonors, SCREENING_TESTS } from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { can } from '../../../src/core/authorization.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { TestResultBadge } from './pharmacy/badges.js';
import { DonorDialog } from './pharmacy/donor-dialog.js';
import { PharmacyFrame } from './pharmacy/pharmacy-frame.js';
import { usePharmacyStrings } from './pharmacy/pharmacy-i18n.js';
import { formatPlainDate } from './randomization/trial-format.js';
import './randomization/trial-pages.css';

/** The donors page. */
export default function PharmacyDonorsPage() {
  const { pt, t, locale } = usePharmacyStrings();
  const { roles } = useSignedIn();
  const mayWrite = can(roles, 'product.write');
  const { state, reload } = useAsync(listDonors);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <PharmacyFrame
      title={pt('donors.title')}
      actions={
        mayWrite ? (
          <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
            {pt('donors.new')}
          </button>
        ) : undefined
      }
    >
      <p className="tp-intro muted">{pt('donors.intro')}</p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? (
        state.data.length === 0 ? (
          <p className="tp-empty">{pt('donors.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{pt('donors.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('donors.columns.code')}</th>
                  <th scope="col">{pt('donors.columns.eligibility')}</th>
                  <th scope="col">{pt('donors.columns.tests')}</th>
                  <th scope="col">{pt('donors.columns.procured')}</th>
                  <th scope="col" className="tp-num">
                    {pt('donors.columns.lots')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.data.map((d) => (
                  <tr key={d.id} data-donor={d.donorCode}>
                    <th scope="row">
                      <Link href={`/pharmacy/donors/${encodeURIComponent(d.id)}`} className="tp-code">
                        {d.donorCode}
                      </Link>
                    </th>
                    <td data-label={pt('donors.columns.eligibility')}>
                      <span
                        className={`tp-badge ${d.eligibility === 'eligible' ? 'tp-badge--success' : 'tp-badge--danger'}`}
                      >
                        {pt(`donors.${d.eligibility}`)}
                      </span>
                    </td>
                    <td data-label={pt('donors.columns.tests')}>
                      <dl className="tp-kv">
                        {SCREENING_TESTS.map((s) => (
                          <div key={s} className="tp-kv__row">
                            <dt>{pt(`donors.tests.${s}`)}</dt>
                            <dd>{d.screeningTests[s] ? <TestResultBadge result={d.screeningTests[s]} /> : '—'}</dd>
                          </div>
                        ))}
                      </dl>
                    </td>
                    <td data-label={pt('donors.columns.procured')}>{formatPlainDate(d.procurementDate, locale)}</td>
                    <td data-label={pt('donors.columns.lots')} className="tp-num">
                      {d.lotCount}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {creating ? (
        <DonorDialog
          onClose={() => setCreating(false)}
          onSaved={(d) => {
            setCreating(false);
            setNotice(pt('donors.form.saved', { code: d.donorCode }));
            reload();
          }}
        />
      ) : null}
    </PharmacyFrame>
  );
}
