/**
 * The allocation list with its kit ↔ arm map (unblinded): design and commitment, use by stratum,
 * and every slot with its arm and kit code and who took it. The route requires an unblinded role.
 */
import { useState } from 'react';
import { fetchAllocationList } from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import { Alert } from '../components/alert.js';
import { SelectField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { ArmBadge } from './pharmacy/badges.js';
import { PharmacyFrame } from './pharmacy/pharmacy-frame.js';
import { usePharmacyStrings } from './pharmacy/pharmacy-i18n.js';
import { formatCph } from './randomization/trial-format.js';
import './randomization/trial-pages.css';

/** The allocation-list page. */
export default function PharmacyAllocationPage() {
  const { pt, t, locale } = usePharmacyStrings();
  const { state } = useAsync(fetchAllocationList);
  const [stratum, setStratum] = useState('');
  const [usedOnly, setUsedOnly] = useState(true);

  if (state.status !== 'ready') {
    return (
      <PharmacyFrame title={pt('allocation.title')}>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </PharmacyFrame>
    );
  }
  const list = state.data;
  const used = list.slots.filter((s) => s.participantId !== null);
  const slots = list.slots.filter(
    (s) => (stratum === '' || s.stratum === stratum) && (!usedOnly || s.participantId !== null),
  );
  const design =
    list.parameters.design === 'blocks'
      ? pt('allocation.designs.blocks', { sizes: (list.parameters.block_sizes ?? []).join(', ') })
      : pt('allocation.designs.bigstick', { max: list.parameters.max_imbalance ?? '—' });

  return (
    <PharmacyFrame title={pt('allocation.title')}>
      <p className="tp-intro muted">{pt('allocation.intro')}</p>
      <section className="card tp-section" aria-labelledby="alloc-facts">
        <h2 id="alloc-facts" className="card__title">
          {pt('allocation.about')}
        </h2>
        <dl className="facts">
          <div className="facts__item">
            <dt>{pt('allocation.design')}</dt>
            <dd>{design}</dd>
          </div>
          <div className="facts__item">
            <dt>{pt('allocation.algorithm')}</dt>
            <dd className="tp-wrap">
              {list.algorithm} v{list.version}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{pt('allocation.created')}</dt>
            <dd>{formatCph(list.createdAt, locale)}</dd>
          </div>
          <div className="facts__item">
            <dt>{pt('allocation.commitment')}</dt>
            <dd className="tp-wrap">{list.commitment}</dd>
          </div>
        </dl>
        <ul className="plain-list tp-section">
          {list.strata.map((s) => (
            <li key={s.stratum}>{pt('allocation.usage', { stratum: s.stratum, used: s.used, slots: s.slots })}</li>
          ))}
          <li>
            <strong>
              {pt('allocation.balance', {
                admsc: used.filter((s) => s.arm === 'ADMSC').length,
                saline: used.filter((s) => s.arm === 'SALINE').length,
              })}
            </strong>
          </li>
        </ul>
      </section>

      <div className="tp-form-grid tp-section">
        <SelectField
          id="alloc-stratum"
          label={pt('allocation.stratum')}
          value={stratum}
          onChange={(e) => setStratum(e.target.value)}
        >
          <option value="">{pt('allocation.allStrata')}</option>
          {list.strata.map((s) => (
            <option key={s.stratum} value={s.stratum}>
              {s.stratum}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="alloc-show"
          label={pt('allocation.show')}
          value={usedOnly ? 'used' : 'all'}
          onChange={(e) => setUsedOnly(e.target.value === 'used')}
        >
          <option value="used">{pt('allocation.usedOnly')}</option>
          <option value="all">{pt('allocation.allSlots')}</option>
        </SelectField>
      </div>

      <div className="table-wrap tp-section">
        <table className="table table--responsive tp-table-compact">
          <caption className="visually-hidden">{pt('allocation.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{pt('allocation.columns.kit')}</th>
              <th scope="col">{pt('allocation.columns.stratum')}</th>
              <th scope="col" className="tp-num">
                {pt('allocation.columns.seq')}
              </th>
              <th scope="col" className="tp-num">
                {pt('allocation.columns.block')}
              </th>
              <th scope="col">{pt('allocation.columns.arm')}</th>
              <th scope="col">{pt('allocation.columns.participant')}</th>
              <th scope="col">{pt('allocation.columns.randomized')}</th>
            </tr>
          </thead>
          <tbody>
            {slots.map((s) => (
              <tr key={`${s.stratum}-${s.seq}`} data-kit={s.kit}>
                <th scope="row" className="tp-code">
                  {s.kit}
                </th>
                <td data-label={pt('allocation.columns.stratum')}>{s.stratum}</td>
                <td data-label={pt('allocation.columns.seq')} className="tp-num">
                  {s.seq}
                </td>
                <td data-label={pt('allocation.columns.block')} className="tp-num">
                  {s.block ?? '—'}
                </td>
                <td data-label={pt('allocation.columns.arm')}>
                  <ArmBadge arm={s.arm} />
                </td>
                <td data-label={pt('allocation.columns.participant')}>
                  {s.participantId ? (
                    <>
                      <Link href={`/pharmacy/participants/${encodeURIComponent(s.participantId)}`} className="tp-code">
                        {s.studyId}
                      </Link>
                      <span className="tp-sub">{s.randomizationNumber}</span>
                    </>
                  ) : (
                    <span className="muted">{pt('allocation.free')}</span>
                  )}
                </td>
                <td data-label={pt('allocation.columns.randomized')}>
                  {s.randomizedAt ? formatCph(s.randomizedAt, locale) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </PharmacyFrame>
  );
}
