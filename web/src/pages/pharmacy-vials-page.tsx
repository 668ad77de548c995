/** Vials (unblinded area): location, status and the dose each was used for, filtered by status. */
import { useState } from 'react';
import { listVials, VIAL_STATUSES, type Vial, type VialStatus } from '../api/randomization-api.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { SelectField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { can } from '../../../src/core/authorization.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { PharmacyFrame } from './pharmacy/pharmacy-frame.js';
import { usePharmacyStrings } from './pharmacy/pharmacy-i18n.js';
import { VialsTable } from './pharmacy/vials-table.js';
import { VialStatusDialog } from './pharmacy/vial-status-dialog.js';
import './randomization/trial-pages.css';

/** The vials page. */
export default function PharmacyVialsPage() {
  const { pt, t } = usePharmacyStrings();
  const { roles } = useSignedIn();
  const mayWrite = can(roles, 'product.write');
  const { state, reload } = useAsync(() => listVials());
  const [filter, setFilter] = useState<VialStatus | ''>('');
  const [changing, setChanging] = useState<Vial | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <PharmacyFrame title={pt('vials.title')}>
      <p className="tp-intro muted">{pt('vials.intro')}</p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <div className="tp-form-grid">
        <SelectField
          id="vials-filter"
          label={pt('vials.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value as VialStatus | '')}
        >
          <option value="">{pt('vials.all')}</option>
          {VIAL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {pt(`vials.status.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="tp-section">
        {state.status === 'loading' ? <Loading /> : null}
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
        {state.status === 'ready' ? (
          <VialsTable
            vials={state.data.filter((v) => filter === '' || v.status === filter)}
            {...(mayWrite ? { onChange: setChanging } : {})}
          />
        ) : null}
      </div>
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
