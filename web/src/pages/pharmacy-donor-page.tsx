/** Trace donor X (unblinded): the donor, its lots and every participant who received product from them. */
import {
  fetchReleaseSpecification,
  SCREENING_TESTS,
  traceDonor,
  type DonorTrace,
  type ReleaseSpecification,
} from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { TestResultBadge } from './pharmacy/badges.js';
import { LotsTable } from './pharmacy/lots-table.js';
import { PharmacyFrame } from './pharmacy/pharmacy-frame.js';
import { usePharmacyStrings } from './pharmacy/pharmacy-i18n.js';
import { RecipientsTable } from './pharmacy/recipients-table.js';
import { formatPlainDate } from './randomization/trial-format.js';
import './randomization/trial-pages.css';

/** The donor trace page. */
export default function PharmacyDonorPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { pt, t, locale } = usePharmacyStrings();
  const { state } = useAsync<{ trace: DonorTrace; spec: ReleaseSpecification | null }>(async () => {
    const [trace, spec] = await Promise.all([traceDonor(id), fetchReleaseSpecification().catch(() => null)]);
    return { trace, spec };
  });
  const back = (
    <Link href="/pharmacy/donors" className="button button--secondary">
      {pt('donors.trace.back')}
    </Link>
  );
  if (state.status !== 'ready') {
    return (
      <PharmacyFrame title={pt('donors.trace.loadingTitle')} actions={back}>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </PharmacyFrame>
    );
  }
  const { trace, spec } = state.data;
  const d = trace.donor;
  return (
    <PharmacyFrame title={pt('donors.trace.title', { code: d.donorCode })} actions={back}>
      <section className="card tp-section" aria-labelledby="donor-facts">
        <h2 id="donor-facts" className="card__title">
          {d.donorCode}
        </h2>
        <dl className="facts">
          <div className="facts__item">
            <dt>{pt('donors.columns.eligibility')}</dt>
            <dd>
              <span className={`tp-badge ${d.eligibility === 'eligible' ? 'tp-badge--success' : 'tp-badge--danger'}`}>
                {pt(`donors.${d.eligibility}`)}
              </span>
            </dd>
          </div>
          <div className="facts__item">
            <dt>{pt('donors.columns.procured')}</dt>
            <dd>{formatPlainDate(d.procurementDate, locale)}</dd>
          </div>
          {SCREENING_TESTS.map((s) => (
            <div key={s} className="facts__item">
              <dt>{pt(`donors.tests.${s}`)}</dt>
              <dd>{d.screeningTests[s] ? <TestResultBadge result={d.screeningTests[s]} /> : '—'}</dd>
            </div>
          ))}
        </dl>
        {d.notes ? <p className="tp-section">{d.notes}</p> : null}
      </section>
      <section className="tp-section" aria-labelledby="donor-lots">
        <h2 id="donor-lots" className="tp-section__title">
          {pt('donors.trace.lotsTitle')}
        </h2>
        {trace.lots.length === 0 ? (
          <p className="tp-empty">{pt('lots.empty')}</p>
        ) : (
          <LotsTable lots={trace.lots} spec={spec} />
        )}
      </section>
      <section className="tp-section" aria-labelledby="donor-recipients">
        <h2 id="donor-recipients" className="tp-section__title">
          {pt('donors.trace.recipientsTitle')}
        </h2>
        <RecipientsTable recipients={trace.allocation?.recipients ?? []} />
      </section>
    </PharmacyFrame>
  );
}
