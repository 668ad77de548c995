/**
 * Dose preparation in the cell laboratory (unblinded): the randomized kits waiting for a dose with
 * their arm, the prepare action (thaw, measurements, release check, e-signature, use-by), and every
 * preparation with its pass/fail and reasons, status, use-by time and the 14-day sterility result.
 * The route requires an unblinded role.
 */
import { useState } from 'react';
import {
  discardPreparation,
  fetchReleaseSpecification,
  listLots,
  listPreparations,
  listUnblindedRandomizations,
  listVials,
  recordPostReleaseSterility,
  type Preparation,
  type ReleaseSpecification,
  type UnblindedRandomizationView,
  type Vial,
} from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Dialog } from '../components/dialog.js';
import { TextAreaField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { can } from '../../../src/core/authorization.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { ArmBadge, PreparationStatusBadge } from './pharmacy/badges.js';
import { describeDoseFailure } from './pharmacy/failures.js';
import { PharmacyFrame } from './pharmacy/pharmacy-frame.js';
import { usePharmacyStrings } from './pharmacy/pharmacy-i18n.js';
import { PrepareDoseDialog } from './pharmacy/prepare-dose-dialog.js';
import { useCommonStrings } from './randomization/common-strings.js';
import { formatCph, formatNumber } from './randomization/trial-format.js';
import './randomization/trial-pages.css';

interface Loaded {
  randomizations: UnblindedRandomizationView[];
  preparations: Preparation[];
  vials: Vial[];
  spec: ReleaseSpecification | null;
}

async function load(): Promise<Loaded> {
  const [randomizations, preparations, available, lots, spec] = await Promise.all([
    listUnblindedRandomizations(),
    listPreparations(),
    listVials({ status: 'available' }),
    listLots(),
    fetchReleaseSpecification().catch(() => null),
  ]);
  const released = new Set(lots.filter((l) => l.status === 'released').map((l) => l.id));
  return { randomizations, preparations, vials: available.filter((v) => released.has(v.lotId)), spec };
}

function DiscardDialog({
  prep,
  onDone,
  onClose,
}: {
  prep: Preparation;
  onDone: (p: Preparation) => void;
  onClose: () => void;
}) {
  const { pt, t } = usePharmacyStrings();
  const common = useCommonStrings();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={pt('preparations.discardTitle', { kit: prep.kit })} onClose={onClose}>
      <p>{pt('preparations.discardIntro')}</p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim() === '') {
            setFieldError(common.pt('errors.required'));
            document.getElementById('discard-reason')?.focus();
            return;
          }
          setBusy(true);
          discardPreparation(prep.id, reason.trim()).then(onDone, (err: unknown) => {
            setBusy(false);
            setError(err);
          });
        }}
      >
        <TextAreaField
          id="discard-reason"
          label={common.pt('reason')}
          hint={common.pt('reasonHint')}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            setFieldError(undefined);
          }}
          error={fieldError}
        />
        <div className="form__actions">
          <button type="submit" className="button button--danger" disabled={busy}>
            {pt('preparations.discard')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {common.pt('cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The dose-preparation page. */
export default function PharmacyPage() {
  const { pt, t, locale } = usePharmacyStrings();
  const { roles } = useSignedIn();
  const mayWrite = can(roles, 'product.write');
  const mayAdminister = can(roles, 'product.administer');
  const { state, reload } = useAsync(load);
  const [preparing, setPreparing] = useState<UnblindedRandomizationView | null>(null);
  const [discarding, setDiscarding] = useState<Preparation | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  if (state.status !== 'ready') {
    return (
      <PharmacyFrame title={pt('preparations.title')}>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </PharmacyFrame>
    );
  }
  const { randomizations, preparations, vials, spec } = state.data;
  const waiting = randomizations.filter((r) => r.dose.status === 'awaiting_preparation' || r.dose.status === 'expired');
  const fmt = (x: number | null): string => (x === null ? '—' : formatNumber(x, locale));

  const sterility = (prep: Preparation, result: 'no_growth' | 'growth'): void => {
    setActionError(null);
    recordPostReleaseSterility(prep.id, result).then(() => {
      setNotice({ tone: 'success', text: pt('preparations.sterility.recorded', { kit: prep.kit }) });
      reload();
    }, setActionError);
  };

  return (
    <PharmacyFrame title={pt('preparations.title')}>
      <p className="tp-intro muted">{pt('preparations.intro')}</p>
      {!mayWrite ? <p className="muted">{pt('common.readOnly')}</p> : null}
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {actionError ? <Alert tone="error">{describeError(t, actionError)}</Alert> : null}

      <section className="tp-section" aria-labelledby="to-prepare">
        <h2 id="to-prepare" className="tp-section__title">
          {pt('preparations.toPrepareTitle')}
        </h2>
        {waiting.length === 0 ? (
          <p className="tp-empty">{pt('preparations.toPrepareEmpty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{pt('preparations.toPrepareCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('common.kit')}</th>
                  <th scope="col">{pt('common.participant')}</th>
                  <th scope="col">{pt('common.arm')}</th>
                  <th scope="col">{pt('common.status')}</th>
                  {mayWrite ? <th scope="col">{pt('common.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {waiting.map((r) => (
                  <tr key={r.id} data-kit={r.kit}>
                    <th scope="row" className="tp-code">
                      {r.kit}
                    </th>
                    <td data-label={pt('common.participant')}>
                      <Link href={`/pharmacy/participants/${encodeURIComponent(r.participantId)}`} className="tp-code">
                        {r.studyId}
                      </Link>
                      <span className="tp-sub">
                        {r.randomizationNumber} · {formatCph(r.randomizedAt, locale)}
                      </span>
                    </td>
                    <td data-label={pt('common.arm')}>
                      <ArmBadge arm={r.arm} />
                    </td>
                    <td data-label={pt('common.status')}>
                      {r.dose.status === 'expired' ? (
                        <span className="tp-badge tp-badge--warning">{pt('preparations.expired')}</span>
                      ) : (
                        <span className="tp-badge tp-badge--neutral">{pt('preparations.awaiting')}</span>
                      )}
                    </td>
                    {mayWrite ? (
                      <td data-label={pt('common.actions')}>
                        <button
                          type="button"
                          className="button button--primary"
                          onClick={() => {
                            setNotice(null);
                            setPreparing(r);
                          }}
                        >
                          {pt('preparations.prepare', { kit: r.kit })}
                        </button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="tp-section" aria-labelledby="prep-list">
        <h2 id="prep-list" className="tp-section__title">
          {pt('preparations.listTitle')}
        </h2>
        {preparations.length === 0 ? (
          <p className="tp-empty">{pt('preparations.listEmpty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{pt('preparations.listCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('preparations.columns.kit')}</th>
                  <th scope="col">{pt('preparations.columns.product')}</th>
                  <th scope="col">{pt('preparations.columns.thawed')}</th>
                  <th scope="col">{pt('preparations.columns.result')}</th>
                  <th scope="col">{pt('preparations.sterility.label')}</th>
                  <th scope="col">{pt('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {preparations.map((p) => (
                  <tr key={p.id} data-preparation={p.kit}>
                    <th scope="row">
                      <span className="tp-code">{p.kit}</span>
                      <span className="tp-sub">
                        <Link href={`/pharmacy/participants/${encodeURIComponent(p.participantId)}`}>{p.studyId}</Link>
                      </span>
                      <span className="tp-sub">
                        <ArmBadge arm={p.arm} />
                      </span>
                    </th>
                    <td data-label={pt('preparations.columns.product')}>
                      {p.salineBatch
                        ? pt('preparations.product.saline', { batch: p.salineBatch })
                        : pt('preparations.product.cells', { lot: p.lotNumber ?? '—', vial: p.vialCode ?? '—' })}
                      <span className="tp-sub">
                        {p.viableCellsMillion !== null
                          ? pt('preparations.measurements.cells', {
                              cells: fmt(p.viableCellsMillion),
                              viability: fmt(p.viabilityPct),
                              volume: fmt(p.volumeMl),
                            })
                          : pt('preparations.measurements.saline', { volume: fmt(p.volumeMl) })}
                      </span>
                    </td>
                    <td data-label={pt('preparations.columns.thawed')}>
                      {formatCph(p.thawedAt, locale)}
                      <span className="tp-sub">{pt('common.by', { by: p.preparedBy })}</span>
                      {p.passed ? (
                        <span className="tp-sub">
                          {pt('preparations.columns.useBy')}: {formatCph(p.useBy, locale)}
                        </span>
                      ) : null}
                    </td>
                    <td data-label={pt('preparations.columns.result')}>
                      <span className={p.passed ? 'tp-pass' : 'tp-fail'} data-passed={p.passed}>
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
                      {p.statusReason && p.status === 'discarded' ? (
                        <span className="tp-sub">{p.statusReason}</span>
                      ) : null}
                    </td>
                    <td data-label={pt('preparations.sterility.label')}>
                      {p.status === 'failed' ? '—' : pt(`preparations.sterility.${p.postReleaseSterility}`)}
                    </td>
                    <td data-label={pt('common.actions')}>
                      <div className="tp-actions">
                        {mayWrite && p.status === 'released' ? (
                          <button
                            type="button"
                            className="button button--danger-outline button--small"
                            onClick={() => setDiscarding(p)}
                          >
                            {pt('preparations.discard')}
                          </button>
                        ) : null}
                        {mayWrite && p.status === 'administered' && p.postReleaseSterility === 'pending' ? (
                          <>
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              onClick={() => sterility(p, 'no_growth')}
                            >
                              {pt('preparations.sterility.recordNoGrowth')}
                            </button>
                            <button
                              type="button"
                              className="button button--danger-outline button--small"
                              onClick={() => sterility(p, 'growth')}
                            >
                              {pt('preparations.sterility.recordGrowth')}
                            </button>
                          </>
                        ) : null}
                        {mayAdminister && p.status === 'released' && !p.expired ? (
                          <Link
                            href={`/randomization/${encodeURIComponent(p.participantId)}`}
                            className="button button--secondary button--small"
                          >
                            {pt('preparations.injection')}
                          </Link>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {preparing ? (
        <PrepareDoseDialog
          randomization={preparing}
          vials={vials}
          spec={spec}
          onClose={() => setPreparing(null)}
          onPrepared={(p) => {
            setPreparing(null);
            setNotice(
              p.passed
                ? { tone: 'success', text: pt('prepare.passed', { kit: p.kit, useBy: formatCph(p.useBy, locale) }) }
                : {
                    tone: 'error',
                    text: pt('prepare.failedResult', {
                      kit: p.kit,
                      reasons: p.failures.map((f) => describeDoseFailure(pt, locale, f, p, spec)).join('; '),
                    }),
                  },
            );
            reload();
          }}
        />
      ) : null}
      {discarding ? (
        <DiscardDialog
          prep={discarding}
          onClose={() => setDiscarding(null)}
          onDone={(p) => {
            setDiscarding(null);
            setNotice({ tone: 'success', text: pt('preparations.discarded', { kit: p.kit }) });
            reload();
          }}
        />
      ) : null}
    </PharmacyFrame>
  );
}
