/** Who received product from a donor or a lot (trace query), with kit, vial, preparation and Day 0. */
import { PREPARATION_STATUSES, type PreparationStatus, type Recipient } from '../../api/randomization-api.js';
import { Link } from '../../app/link.js';
import { formatCph, formatPlainDate } from '../randomization/trial-format.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

const isPreparationStatus = (s: string): s is PreparationStatus =>
  (PREPARATION_STATUSES as readonly string[]).includes(s);

/** The recipients table (or a sentence when there are none). */
export function RecipientsTable({ recipients }: { recipients: readonly Recipient[] }) {
  const { pt, locale } = usePharmacyStrings();
  if (recipients.length === 0) return <p className="tp-empty">{pt('recipients.empty')}</p>;
  return (
    <div className="table-wrap">
      <table className="table table--responsive tp-table-compact">
        <caption className="visually-hidden">{pt('recipients.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{pt('recipients.columns.participant')}</th>
            <th scope="col">{pt('recipients.columns.kit')}</th>
            <th scope="col">{pt('recipients.columns.lot')}</th>
            <th scope="col">{pt('recipients.columns.vial')}</th>
            <th scope="col">{pt('recipients.columns.preparation')}</th>
            <th scope="col">{pt('recipients.columns.received')}</th>
          </tr>
        </thead>
        <tbody>
          {recipients.map((r) => (
            <tr key={r.preparationId} data-recipient={r.studyId} data-received={r.received}>
              <th scope="row">
                <Link href={`/pharmacy/participants/${encodeURIComponent(r.participantId)}`} className="tp-code">
                  {r.studyId}
                </Link>
              </th>
              <td data-label={pt('recipients.columns.kit')} className="tp-code">
                {r.kit}
              </td>
              <td data-label={pt('recipients.columns.lot')}>{r.lotNumber ?? '—'}</td>
              <td data-label={pt('recipients.columns.vial')}>{r.vialCode ?? '—'}</td>
              <td data-label={pt('recipients.columns.preparation')}>
                {formatCph(r.thawedAt, locale)}
                <span className="tp-sub">
                  {isPreparationStatus(r.preparationStatus)
                    ? pt(`preparations.status.${r.preparationStatus}`)
                    : r.preparationStatus}
                </span>
              </td>
              <td data-label={pt('recipients.columns.received')}>
                {r.received
                  ? pt('recipients.receivedYes', { time: r.administeredAt ? formatCph(r.administeredAt, locale) : '—' })
                  : pt('recipients.receivedNo')}
                {r.day0 ? (
                  <span className="tp-sub">
                    {pt('recipients.columns.day0')}: {formatPlainDate(r.day0, locale)}
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
