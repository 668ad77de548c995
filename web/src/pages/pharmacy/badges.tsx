/** Status badges of the cell-laboratory pages; the text always carries the meaning, colour only helps. */
import type { Arm, LotStatus, PreparationStatus, TestResult, VialStatus } from '../../api/randomization-api.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

const LOT_TONES: Record<LotStatus, string> = { quarantine: 'warning', released: 'success', rejected: 'danger' };
const VIAL_TONES: Record<VialStatus, string> = {
  available: 'success',
  reserved: 'info',
  thawed: 'info',
  used: 'neutral',
  discarded: 'warning',
};
const PREP_TONES: Record<PreparationStatus, string> = {
  released: 'success',
  failed: 'danger',
  administered: 'primary',
  discarded: 'warning',
};
const RESULT_TONES: Record<TestResult, string> = { negative: 'success', positive: 'danger', pending: 'warning' };

/** The arm, on unblinded pages only. */
export function ArmBadge({ arm }: { arm: Arm | null | undefined }) {
  const { pt } = usePharmacyStrings();
  if (!arm) return <>—</>;
  return (
    <span className={`tp-badge ${arm === 'ADMSC' ? 'tp-badge--primary' : 'tp-badge--info'}`} data-arm={arm}>
      {pt(`arms.${arm}`)}
    </span>
  );
}

/** A lot's release decision. */
export function LotStatusBadge({ status }: { status: LotStatus }) {
  const { pt } = usePharmacyStrings();
  return (
    <span className={`tp-badge tp-badge--${LOT_TONES[status]}`} data-lot-status={status}>
      {pt(`lots.status.${status}`)}
    </span>
  );
}

/** A vial's status. */
export function VialStatusBadge({ status }: { status: VialStatus }) {
  const { pt } = usePharmacyStrings();
  return (
    <span className={`tp-badge tp-badge--${VIAL_TONES[status]}`} data-vial-status={status}>
      {pt(`vials.status.${status}`)}
    </span>
  );
}

/** A preparation's status (and "expired" for a released dose past its use-by time). */
export function PreparationStatusBadge({ status, expired }: { status: PreparationStatus; expired: boolean }) {
  const { pt } = usePharmacyStrings();
  if (status === 'released' && expired) {
    return <span className="tp-badge tp-badge--warning">{pt('preparations.expired')}</span>;
  }
  return (
    <span className={`tp-badge tp-badge--${PREP_TONES[status]}`} data-preparation-status={status}>
      {pt(`preparations.status.${status}`)}
    </span>
  );
}

/** A screening or release test result. */
export function TestResultBadge({ result }: { result: TestResult }) {
  const { pt } = usePharmacyStrings();
  return <span className={`tp-badge tp-badge--${RESULT_TONES[result]}`}>{pt(`donors.results.${result}`)}</span>;
}
