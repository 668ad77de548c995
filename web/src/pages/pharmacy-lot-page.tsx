/**
 * Trace lot Y (unblinded): the lot with its release results against the specification, its donor,
 * its vials, and every participant who received (or had prepared) product from it.
 */
import { useState } from 'react';
import {
  fetchReleaseSpecification,
  traceLot,
  type LotTrace,
  type ReleaseSpecification,
  type Vial,
} from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { can } from '../../../src/core/authorization.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { LotStatusBadge } from './pharmacy/badges.js';
import { PharmacyFrame } from './pharmacy/pharmacy-frame.js';
import { usePharmacyStrings } from './pharmacy/pharmacy-i18n.js';
import { RecipientsTable } from './pharmacy/recipients-table.js';
import { ReleaseResultsTable } from './pharmacy/release-results.js';
import { VialsTable } from './pharmacy/vials-table.js';
import { VialStatusDialog } from './pharmacy/vial-status-dialog.js';
import { formatCph, formatPlainDate } from './randomization/trial-format.js';
import './randomization/trial-pages.css';

interface Loaded {
  trace: LotTrace;
  spec: ReleaseSpecification | null;
}

/** The lot trace page. */
export default function PharmacyLotPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { pt, t, locale } = usePharmacyStrings();
  const { roles } = useSignedIn();
  const mayWrite = can(roles, 'product.write');
  const { state, reload } = useAsync<Loaded>(async () => {
    const [trace, spec] = await Promise.all([traceLot(id), fetchReleaseSpecification().catch(() => null)]);
    return { trace, spec };
  });
  const [changing, setChanging] = useState<Vial | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const back = (
    <Link href="/pharmacy/lots" className="button button--secondary">
      {pt('lots.trace.back')}
    </Link>
  );

  if (state.status !== 'ready') {
    return (
      <PharmacyFrame title={pt('lots.trace.loadingTitle')} actions={back}>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </PharmacyFrame>
    );
  }
  const { trace, spec } = state.data;
  const { lot, donor, vials } = trace;

  return (
    <PharmacyFrame title={pt('lots.trace.title', { lot: lot.lotNumber })} actions={back}>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <section className="card tp-section" aria-labelledby="lot-facts">
        <h2 id="lot-facts" className="card__title">
          {pt('lots.trace.facts')}
        </h2>
        <dl className="facts">
          <div className="facts__item">
            <dt>{pt('common.status')}</dt>
            <dd>
              <LotStatusBadge status={lot.status} />
            </dd>
          </div>
          <div className="facts__item">
            <dt>{pt('lots.columns.donor')}</dt>
            <dd>
              <Link href={`/pharmacy/donors/${encodeURIComponent(donor.id)}`} className="tp-code">
                {donor.donorCode}
              </Link>
            </dd>
          </div>
          <div className="facts__item">
            <dt>{pt('lots.columns.passage')}</dt>
            <dd>{lot.passage}</dd>
          </div>
          <div className="facts__item">
            <dt>{pt('lots.columns.cryopreserved')}</dt>
            <dd>{formatPlainDate(lot.cryopreservedOn, locale)}</dd>
          </div>
          <div className="facts__item">
            <dt>{pt('lots.columns.expiry')}</dt>
            <dd>{formatPlainDate(lot.expiryDate, locale)}</dd>
          </div>
          {lot.releasedAt ? (
            <div className="facts__item">
              <dt>{pt('lots.columns.release')}</dt>
              <dd>
                {formatCph(lot.releasedAt, locale)}
                {lot.releasedBy ? <span className="tp-sub">{pt('common.by', { by: lot.releasedBy })}</span> : null}
              </dd>
            </div>
          ) : null}
        </dl>
      </section>
      {lot.releaseResults ? (
        <section className="tp-section" aria-labelledby="lot-release">
          <h2 id="lot-release" className="tp-section__title">
            {pt('lots.release.resultsTitle')}
          </h2>
          <ReleaseResultsTable lot={lot} spec={spec} />
        </section>
      ) : null}
      <section className="tp-section" aria-labelledby="lot-vials">
        <h2 id="lot-vials" className="tp-section__title">
          {pt('lots.trace.vialsTitle')}
        </h2>
        <VialsTable vials={vials} {...(mayWrite ? { onChange: setChanging } : {})} />
      </section>
      <section className="tp-section" aria-labelledby="lot-recipients">
        <h2 id="lot-recipients" className="tp-section__title">
          {pt('lots.trace.recipientsTitle')}
        </h2>
        <RecipientsTable recipients={trace.allocation?.recipients ?? []} />
      </section>
      {changing ? (
        <VialStatusDialog
          vial={changing}
          onClose={() => setChanging(null)}
          onSaved={(v) => {
            setChanging(null);
            setNotice(pt('vials.changed', { vial: v.vialCode }));
            reload();
          }}
        />
      ) : null}
    </PharmacyFrame>
  );
}
