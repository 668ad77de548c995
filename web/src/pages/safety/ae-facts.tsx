/** The clinical content of one AE version as a definition list (used for the current version). */
import type { AeView } from '../../api/safety-api.js';
import { useCommonStrings } from '../randomization/common-strings.js';
import { formatPartialDate } from '../randomization/trial-format.js';
import { GradeBadge, SeriousBadge } from './badges.js';
import { useSafetyStrings } from './safety-i18n.js';

/** "12 Nov 2026 – ongoing". */
export function AeDates({ onset, end }: { onset: string; end: string | null }) {
  const { pt, locale } = useSafetyStrings();
  return (
    <>
      {formatPartialDate(onset, locale)} – {end ? formatPartialDate(end, locale) : pt('common.ongoing')}
    </>
  );
}

/** The facts of an AE. */
export function AeFacts({ ae }: { ae: AeView }) {
  const { pt } = useSafetyStrings();
  const common = useCommonStrings();
  const criteria = (Object.keys(ae.seriousness) as (keyof AeView['seriousness'])[]).filter((k) => ae.seriousness[k]);
  const c = ae.investigatorCausality;
  return (
    <dl className="facts">
      <div className="facts__item">
        <dt>{pt('form.verbatimTerm')}</dt>
        <dd>{ae.verbatimTerm}</dd>
      </div>
      {ae.meddra ? (
        <div className="facts__item">
          <dt>{pt('detail.meddra', { version: ae.meddra.version })}</dt>
          <dd>
            {ae.meddra.ptName ?? ae.meddra.lltName ?? '—'}
            {ae.meddra.ptCode ? <span className="tp-sub tp-code">PT {ae.meddra.ptCode}</span> : null}
            {ae.meddra.socName ? <span className="tp-sub">{ae.meddra.socName}</span> : null}
          </dd>
        </div>
      ) : null}
      <div className="facts__item">
        <dt>{pt('aeList.columns.dates')}</dt>
        <dd>
          <AeDates onset={ae.onsetDate} end={ae.endDate} />
        </dd>
      </div>
      <div className="facts__item">
        <dt>{pt('aeList.columns.grade')}</dt>
        <dd>
          <GradeBadge grade={ae.grade} />
        </dd>
      </div>
      <div className="facts__item">
        <dt>{pt('aeList.columns.serious')}</dt>
        <dd>
          <SeriousBadge ae={ae} />
          {criteria.map((k) => (
            <span key={k} className="tp-sub">
              {pt(`form.criteria.${k}`)}
            </span>
          ))}
        </dd>
      </div>
      <div className="facts__item">
        <dt>{pt('detail.localKnee')}</dt>
        <dd>
          {ae.localToIndexKnee === null
            ? common.pt('unknown')
            : ae.localToIndexKnee
              ? common.pt('yes')
              : common.pt('no')}
        </dd>
      </div>
      <div className="facts__item">
        <dt>{pt('detail.investigatorCausality')}</dt>
        <dd>
          {c
            ? pt('detail.causalityLine', {
                cell: pt(`form.causalityCodes.${c.cellProduct}`),
                procedure: pt(`form.causalityCodes.${c.procedure}`),
              })
            : pt('form.causalityNotYet')}
        </dd>
      </div>
      <div className="facts__item">
        <dt>{pt('form.actionTaken')}</dt>
        <dd>{ae.actionTaken.map((a) => pt(`form.actions.${a}`)).join(', ')}</dd>
      </div>
      <div className="facts__item">
        <dt>{pt('form.outcome')}</dt>
        <dd>{pt(`form.outcomes.${ae.outcome}`)}</dd>
      </div>
      {ae.narrative ? (
        <div className="facts__item grid__wide">
          <dt>{pt('detail.narrative')}</dt>
          <dd className="tp-narrative">{ae.narrative}</dd>
        </div>
      ) : null}
    </dl>
  );
}
