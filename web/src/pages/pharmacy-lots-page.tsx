/**
 * Lots (unblinded area): passage, cryopreservation, release results and decision with reasons,
 * vials by status; register a lot, record its release results (e-signed), add vials.
 */
import { useState } from 'react';
import {
  fetchReleaseSpecification,
  listDonors,
  listLots,
  type Donor,
  type Lot,
  type ReleaseSpecification,
} from '../api/randomization-api.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { can } from '../../../src/core/authorization.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { LotDialog, ReleaseDialog, VialsDialog } from './pharmacy/lot-dialogs.js';
import { LotsTable } from './pharmacy/lots-table.js';
import { PharmacyFrame } from './pharmacy/pharmacy-frame.js';
import { usePharmacyStrings } from './pharmacy/pharmacy-i18n.js';
import { releaseNotice } from './pharmacy/release-notice.js';
import './randomization/trial-pages.css';

interface Loaded {
  lots: Lot[];
  donors: Donor[];
  spec: ReleaseSpecification | null;
}

const load = async (): Promise<Loaded> => {
  const [lots, donors, spec] = await Promise.all([
    listLots(),
    listDonors(),
    fetchReleaseSpecification().catch(() => null),
  ]);
  return { lots, donors, spec };
};

/** The lots page. */
export default function PharmacyLotsPage() {
  const { pt, t, locale } = usePharmacyStrings();
  const { roles } = useSignedIn();
  const mayWrite = can(roles, 'product.write');
  const { state, reload } = useAsync(load);
  const [dialog, setDialog] = useState<{ kind: 'new' } | { kind: 'release' | 'vials'; lot: Lot } | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error' | 'info'; text: string } | null>(null);

  const data = state.status === 'ready' ? state.data : null;
  return (
    <PharmacyFrame
      title={pt('lots.title')}
      actions={
        mayWrite ? (
          <button
            type="button"
            className="button button--primary"
            disabled={!data}
            onClick={() => {
              setNotice(null);
              setDialog({ kind: 'new' });
            }}
          >
            {pt('lots.new')}
          </button>
        ) : undefined
      }
    >
      <p className="tp-intro muted">{pt('lots.intro')}</p>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {data ? (
        data.lots.length === 0 ? (
          <p className="tp-empty">{pt('lots.empty')}</p>
        ) : (
          <LotsTable
            lots={data.lots}
            spec={data.spec}
            {...(mayWrite
              ? {
                  actions: (lot: Lot) => (
                    <div className="tp-actions">
                      {lot.status === 'quarantine' ? (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          onClick={() => {
                            setNotice(null);
                            setDialog({ kind: 'release', lot });
                          }}
                        >
                          {pt('lots.recordRelease')}
                        </button>
                      ) : null}
                      {lot.status !== 'rejected' ? (
                        <button
                          type="button"
                          className="button button--secondary button--small"
                          onClick={() => {
                            setNotice(null);
                            setDialog({ kind: 'vials', lot });
                          }}
                        >
                          {pt('lots.addVials')}
                        </button>
                      ) : null}
                    </div>
                  ),
                }
              : {})}
          />
        )
      ) : null}
      {dialog?.kind === 'new' && data ? (
        <LotDialog
          donors={data.donors}
          onClose={() => setDialog(null)}
          onSaved={(lot) => {
            setDialog(null);
            setNotice({ tone: 'success', text: pt('lots.form.saved', { lot: lot.lotNumber }) });
            reload();
          }}
        />
      ) : null}
      {dialog?.kind === 'release' && data ? (
        <ReleaseDialog
          lot={dialog.lot}
          spec={data.spec}
          onClose={() => setDialog(null)}
          onSaved={(lot) => {
            setDialog(null);
            setNotice(releaseNotice(pt, locale, lot, data.spec));
            reload();
          }}
        />
      ) : null}
      {dialog?.kind === 'vials' ? (
        <VialsDialog
          lot={dialog.lot}
          onClose={() => setDialog(null)}
          onSaved={(vials) => {
            setNotice({
              tone: 'success',
              text: pt('lots.vialsForm.saved', { count: vials.length, lot: dialog.lot.lotNumber }),
            });
            setDialog(null);
            reload();
          }}
        />
      ) : null}
    </PharmacyFrame>
  );
}
