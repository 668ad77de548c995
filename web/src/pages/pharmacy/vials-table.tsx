/** Vials with lot, location, status (and why) and the dose each was used for. */
import type { Vial } from '../../api/randomization-api.js';
import { Link } from '../../app/link.js';
import { VialStatusBadge } from './badges.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

/** The vials table; `onChange` adds a "Change" button for vials that can still change. */
export function VialsTable({ vials, onChange }: { vials: readonly Vial[]; onChange?: (v: Vial) => void }) {
  const { pt } = usePharmacyStrings();
  if (vials.length === 0) return <p className="tp-empty">{pt('vials.empty')}</p>;
  return (
    <div className="table-wrap">
      <table className="table table--responsive tp-table-compact">
        <caption className="visually-hidden">{pt('vials.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{pt('vials.columns.vial')}</th>
            <th scope="col">{pt('vials.columns.lot')}</th>
            <th scope="col">{pt('vials.columns.location')}</th>
            <th scope="col">{pt('vials.columns.status')}</th>
            <th scope="col">{pt('vials.columns.usedFor')}</th>
            {onChange ? <th scope="col">{pt('common.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {vials.map((v) => (
            <tr key={v.id} data-vial={v.vialCode}>
              <th scope="row" className="tp-code">
                {v.vialCode}
              </th>
              <td data-label={pt('vials.columns.lot')}>
                <Link href={`/pharmacy/lots/${encodeURIComponent(v.lotId)}`} className="tp-code">
                  {v.lotNumber}
                </Link>
              </td>
              <td data-label={pt('vials.columns.location')}>{v.location}</td>
              <td data-label={pt('vials.columns.status')}>
                <VialStatusBadge status={v.status} />
                {v.statusReason ? <span className="tp-sub">{v.statusReason}</span> : null}
              </td>
              <td data-label={pt('vials.columns.usedFor')}>
                {v.allocation ? (
                  <>
                    <Link
                      href={`/pharmacy/participants/${encodeURIComponent(v.allocation.participantId)}`}
                      className="tp-code"
                    >
                      {v.allocation.studyId}
                    </Link>
                    <span className="tp-sub tp-code">{v.allocation.kit}</span>
                  </>
                ) : (
                  '—'
                )}
              </td>
              {onChange ? (
                <td data-label={pt('common.actions')}>
                  {v.status === 'available' || v.status === 'reserved' ? (
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => onChange(v)}
                    >
                      {pt('vials.change')}
                    </button>
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
  );
}
