/** Lots with donor, passage, dates, release decision (with reasons) and vial counts. */
import type { ReactNode } from 'react';
import type { Lot, ReleaseSpecification } from '../../api/randomization-api.js';
import { Link } from '../../app/link.js';
import { formatPlainDate } from '../randomization/trial-format.js';
import { LotStatusBadge } from './badges.js';
import { describeLotFailure } from './failures.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

/** Props of LotsTable; `actions` renders the action cell of a row when given. */
export interface LotsTableProps {
  lots: readonly Lot[];
  spec: ReleaseSpecification | null;
  actions?: (lot: Lot) => ReactNode;
}

/** Translated names of pending release tests. */
function pendingNames(pt: ReturnType<typeof usePharmacyStrings>['pt'], tests: readonly string[]): string {
  return tests.map((x) => (x === 'sterility' || x === 'mycoplasma' ? pt(`lots.release.${x}`) : x)).join(', ');
}

/** The lots table. */
export function LotsTable({ lots, spec, actions }: LotsTableProps) {
  const { pt, locale } = usePharmacyStrings();
  return (
    <div className="table-wrap">
      <table className="table table--responsive">
        <caption className="visually-hidden">{pt('lots.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{pt('lots.columns.lot')}</th>
            <th scope="col">{pt('lots.columns.donor')}</th>
            <th scope="col" className="tp-num">
              {pt('lots.columns.passage')}
            </th>
            <th scope="col">{pt('lots.columns.cryopreserved')}</th>
            <th scope="col">{pt('lots.columns.release')}</th>
            <th scope="col">{pt('lots.columns.vials')}</th>
            {actions ? <th scope="col">{pt('common.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {lots.map((l) => {
            const total = Object.values(l.vials).reduce((a, b) => a + b, 0);
            return (
              <tr key={l.id} data-lot={l.lotNumber}>
                <th scope="row">
                  <Link href={`/pharmacy/lots/${encodeURIComponent(l.id)}`} className="tp-code">
                    {l.lotNumber}
                  </Link>
                </th>
                <td data-label={pt('lots.columns.donor')}>
                  <Link href={`/pharmacy/donors/${encodeURIComponent(l.donorId)}`} className="tp-code">
                    {l.donorCode}
                  </Link>
                </td>
                <td data-label={pt('lots.columns.passage')} className="tp-num">
                  {l.passage}
                </td>
                <td data-label={pt('lots.columns.cryopreserved')}>
                  {formatPlainDate(l.cryopreservedOn, locale)}
                  <span className="tp-sub">
                    {pt('lots.columns.expiry')}: {formatPlainDate(l.expiryDate, locale)}
                  </span>
                </td>
                <td data-label={pt('lots.columns.release')}>
                  <LotStatusBadge status={l.status} />
                  {l.releaseFailures.length > 0 ? (
                    <ul className="tp-failures">
                      {l.releaseFailures.map((f) => (
                        <li key={f.test}>{describeLotFailure(pt, locale, f, l.releaseResults, spec)}</li>
                      ))}
                    </ul>
                  ) : null}
                  {l.pendingResults.length > 0 ? (
                    <span className="tp-sub">{pt('lots.pending', { tests: pendingNames(pt, l.pendingResults) })}</span>
                  ) : null}
                </td>
                <td data-label={pt('lots.columns.vials')}>
                  {pt('lots.vialCounts', { available: l.vials.available ?? 0, total })}
                </td>
                {actions ? <td data-label={pt('common.actions')}>{actions(l)}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
