/**
 * Trace participant Z (unblinded): randomization with the arm, then for each dose prepared for the
 * participant the chain donor → lot → vial → preparation, the one that was administered marked,
 * and the injection record.
 */
import {
  fetchReleaseSpecification,
  traceParticipant,
  type ChainLink,
  type ParticipantChain,
  type ReleaseSpecification,
} from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { ArmBadge, LotStatusBadge, PreparationStatusBadge, VialStatusBadge } from './pharmacy/badges.js';
import { describeDoseFailure } from './pharmacy/failures.js';
import { PharmacyFrame } from './pharmacy/pharmacy-frame.js';
import { usePharmacyStrings } from './pharmacy/pharmacy-i18n.js';
import { formatCph, formatNumber, formatPlainDate } from './randomization/trial-format.js';
import './randomization/trial-pages.css';

function ChainCard({ link, given, spec }: { link: ChainLink; given: boolean; spec: ReleaseSpecification | null }) {
  const { pt, locale } = usePharmacyStrings();
  const p = link.preparation;
  const fmt = (x: number | null): string => (x === null ? '—' : formatNumber(x, locale));
  return (
    <li className="card tp-section" data-chain={p.id} data-given={given}>
      {given ? <p className="tp-ready">✓ {pt('chain.given')}</p> : null}
      <dl className="facts">
        {link.donor ? (
          <div className="facts__item">
            <dt>{pt('chain.donor')}</dt>
            <dd>
              <Link href={`/pharmacy/donors/${encodeURIComponent(link.donor.id)}`} className="tp-code">
                {link.donor.donorCode}
              </Link>
            </dd>
          </div>
        ) : null}
        {link.lot ? (
          <div className="facts__item">
            <dt>{pt('chain.lot')}</dt>
            <dd>
              <Link href={`/pharmacy/lots/${encodeURIComponent(link.lot.id)}`} className="tp-code">
                {link.lot.lotNumber}
              </Link>{' '}
              <LotStatusBadge status={link.lot.status} />
            </dd>
          </div>
        ) : null}
        {link.vial ? (
          <div className="facts__item">
            <dt>{pt('chain.vial')}</dt>
            <dd>
              <span className="tp-code">{link.vial.vialCode}</span> <VialStatusBadge status={link.vial.status} />
              <span className="tp-sub">{link.vial.location}</span>
            </dd>
          </div>
        ) : null}
        {p.salineBatch ? (
          <div className="facts__item">
            <dt>{pt('chain.preparation')}</dt>
            <dd>{pt('chain.saline', { batch: p.salineBatch })}</dd>
          </div>
        ) : null}
        <div className="facts__item">
          <dt>{pt('preparations.columns.thawed')}</dt>
          <dd>
            {formatCph(p.thawedAt, locale)}
            <span className="tp-sub">{pt('common.by', { by: p.preparedBy })}</span>
          </dd>
        </div>
        <div className="facts__item">
          <dt>{pt('preparations.columns.measurements')}</dt>
          <dd>
            {p.viableCellsMillion !== null
              ? pt('preparations.measurements.cells', {
                  cells: fmt(p.viableCellsMillion),
                  viability: fmt(p.viabilityPct),
                  volume: fmt(p.volumeMl),
                })
              : pt('preparations.measurements.saline', { volume: fmt(p.volumeMl) })}
          </dd>
        </div>
        <div className="facts__item">
          <dt>{pt('preparations.columns.result')}</dt>
          <dd>
            <span className={p.passed ? 'tp-pass' : 'tp-fail'}>
              {p.passed ? `✓ ${pt('common.passed')}` : `✗ ${pt('common.failed')}`}
            </span>{' '}
            {p.status !== 'failed' ? <PreparationStatusBadge status={p.status} expired={p.expired} /> : null}
            {p.failures.length > 0 ? (
              <ul className="tp-failures">
                {p.failures.map((f) => (
                  <li key={f.test}>{describeDoseFailure(pt, locale, f, p, spec)}</li>
                ))}
              </ul>
            ) : null}
          </dd>
        </div>
        {p.passed ? (
          <div className="facts__item">
            <dt>{pt('preparations.columns.useBy')}</dt>
            <dd>{formatCph(p.useBy, locale)}</dd>
          </div>
        ) : null}
        <div className="facts__item">
          <dt>{pt('preparations.sterility.label')}</dt>
          <dd>{pt(`preparations.sterility.${p.postReleaseSterility}`)}</dd>
        </div>
      </dl>
    </li>
  );
}

/** The participant trace page. */
export default function PharmacyParticipantPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { pt, t, locale } = usePharmacyStrings();
  const { state } = useAsync<{ chain: ParticipantChain; spec: ReleaseSpecification | null }>(async () => {
    const [chain, spec] = await Promise.all([traceParticipant(id), fetchReleaseSpecification().catch(() => null)]);
    return { chain, spec };
  });
  const back = (
    <Link href="/pharmacy" className="button button--secondary">
      {pt('chain.back')}
    </Link>
  );
  if (state.status !== 'ready') {
    return (
      <PharmacyFrame title={pt('chain.loadingTitle')} actions={back}>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </PharmacyFrame>
    );
  }
  const { chain, spec } = state.data;
  const r = chain.randomization;
  const a = chain.administration;
  const links = chain.allocation?.chain ?? [];
  return (
    <PharmacyFrame title={pt('chain.title', { studyId: chain.studyId })} actions={back}>
      <section className="card tp-section" aria-labelledby="chain-randomization">
        <h2 id="chain-randomization" className="card__title">
          {pt('chain.randomization')}
        </h2>
        {r ? (
          <dl className="facts">
            <div className="facts__item">
              <dt>{pt('chain.number')}</dt>
              <dd className="tp-code">{r.randomizationNumber}</dd>
            </div>
            <div className="facts__item">
              <dt>{pt('common.kit')}</dt>
              <dd className="tp-code">{r.kit}</dd>
            </div>
            <div className="facts__item">
              <dt>{pt('chain.arm')}</dt>
              <dd>
                <ArmBadge arm={chain.allocation?.arm ?? r.arm ?? null} />
              </dd>
            </div>
            <div className="facts__item">
              <dt>{pt('allocation.columns.randomized')}</dt>
              <dd>{formatCph(r.randomizedAt, locale)}</dd>
            </div>
          </dl>
        ) : (
          <p>—</p>
        )}
      </section>
      <section className="tp-section" aria-labelledby="chain-links">
        <h2 id="chain-links" className="tp-section__title">
          {pt('chain.chainTitle')}
        </h2>
        {links.length === 0 ? (
          <p className="tp-empty">{pt('chain.empty')}</p>
        ) : (
          <ol className="plain-list">
            {links.map((l) => (
              <ChainCard
                key={l.preparation.id}
                link={l}
                given={l.preparation.id === chain.allocation?.administeredPreparationId}
                spec={spec}
              />
            ))}
          </ol>
        )}
      </section>
      <section className="card tp-section" aria-labelledby="chain-injection">
        <h2 id="chain-injection" className="card__title">
          {pt('chain.administration')}
        </h2>
        {!a ? (
          <p>{pt('chain.noAdministration')}</p>
        ) : a.status === 'administered' ? (
          <p data-administration="administered">
            {pt('chain.administered', {
              time: formatCph(a.administeredAt ?? '', locale),
              side: a.kneeSide ? pt(`chain.sides.${a.kneeSide}`) : '—',
              volume: a.volumeMl === null ? '—' : formatNumber(a.volumeMl, locale),
              ultrasound: a.ultrasoundGuided ? pt('chain.ultrasound') : '',
              injector: a.injector ?? '—',
              day0: a.day0 ? formatPlainDate(a.day0, locale) : '—',
            })}
          </p>
        ) : (
          <p>{pt('chain.notGiven', { reason: a.reason ?? '' })}</p>
        )}
      </section>
    </PharmacyFrame>
  );
}
