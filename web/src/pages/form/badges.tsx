/**
 * Status badges of the eCRF pages. Each carries its status in `data-status` (for tests and
 * styling) and shows text, never colour alone.
 */
import type { CellStatus, QueryStatus, SdvStatus, VisitStatus } from '../../api/ecrf-api.js';
import { useEcrfTranslation } from './ecrf-i18n.js';

type Tone = 'success' | 'danger' | 'warning' | 'info' | 'primary' | 'neutral';

function Badge({ tone, status, children }: { tone: Tone; status: string; children: string }) {
  return (
    <span className={`ec-badge ec-badge--${tone}`} data-status={status}>
      {children}
    </span>
  );
}

const VISIT_TONES: Record<VisitStatus, Tone> = {
  not_yet_due: 'neutral',
  due: 'info',
  overdue: 'danger',
  done_in_window: 'success',
  done_out_of_window: 'warning',
  missed: 'danger',
  not_applicable: 'neutral',
};

/** A visit's status (due, overdue, done in / out of window, missed …). */
export function VisitStatusBadge({ status }: { status: VisitStatus }) {
  const { et } = useEcrfTranslation();
  return (
    <Badge tone={VISIT_TONES[status]} status={status}>
      {et(`visitStatus.${status}`)}
    </Badge>
  );
}

/** What a form cell shows: its stored status, or locked / verified when that applies. */
export type FormBadgeStatus = CellStatus | 'locked' | 'verified';

const FORM_TONES: Record<FormBadgeStatus, Tone> = {
  not_started: 'neutral',
  draft: 'warning',
  submitted: 'info',
  verified: 'success',
  locked: 'primary',
  not_applicable: 'neutral',
  external: 'neutral',
};

/** The badge status of a form: locked beats verified beats submitted. */
export function formBadgeStatus(
  status: CellStatus,
  instance: { locked: boolean; sdv: SdvStatus } | null,
): FormBadgeStatus {
  if (instance?.locked) return 'locked';
  if (status === 'submitted' && instance?.sdv === 'verified') return 'verified';
  return status;
}

/** A form's status (not started, draft, submitted, verified, locked …). */
export function FormStatusBadge({ status }: { status: FormBadgeStatus }) {
  const { et } = useEcrfTranslation();
  return (
    <Badge tone={FORM_TONES[status]} status={status}>
      {et(`formStatus.${status}`)}
    </Badge>
  );
}

const QUERY_TONES: Record<QueryStatus, Tone> = { open: 'danger', answered: 'warning', closed: 'success' };

/** A query's status. */
export function QueryStatusBadge({ status }: { status: QueryStatus }) {
  const { et } = useEcrfTranslation();
  return (
    <Badge tone={QUERY_TONES[status]} status={status}>
      {et(`queryStatus.${status}`)}
    </Badge>
  );
}

const SDV_TONES: Record<SdvStatus, Tone> = {
  not_verified: 'neutral',
  verified: 'success',
  changed_since_verification: 'warning',
};

/** Source data verification state. */
export function SdvBadge({ status }: { status: SdvStatus }) {
  const { et } = useEcrfTranslation();
  return (
    <Badge tone={SDV_TONES[status]} status={status}>
      {et(`sdvStatus.${status}`)}
    </Badge>
  );
}
