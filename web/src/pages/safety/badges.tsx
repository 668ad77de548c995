/** Badges of the safety pages; the text carries the meaning, colour only helps. */
import type { AeView, CaseStatus, DeadlineStatus, ReviewStatus } from '../../api/safety-api.js';
import { useSafetyStrings } from './safety-i18n.js';

const DEADLINE_TONES: Record<DeadlineStatus, string> = {
  pending: 'info',
  due_soon: 'warning',
  overdue: 'danger',
  met: 'success',
  met_late: 'warning',
};
const CASE_TONES: Record<CaseStatus, string> = {
  open: 'info',
  downgraded: 'neutral',
  nullified: 'neutral',
  closed: 'success',
};
const TASK_TONES: Record<ReviewStatus, string> = { open: 'warning', ae_recorded: 'success', dismissed: 'neutral' };

/** Where a reporting clock stands. */
export function DeadlineBadge({ status }: { status: DeadlineStatus }) {
  const { pt } = useSafetyStrings();
  return (
    <span className={`tp-badge tp-badge--${DEADLINE_TONES[status]}`} data-deadline-status={status}>
      {pt(`case.deadlineStatus.${status}`)}
    </span>
  );
}

/** Where an SAE case stands. */
export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const { pt } = useSafetyStrings();
  return (
    <span className={`tp-badge tp-badge--${CASE_TONES[status]}`} data-case-status={status}>
      {pt(`case.status.${status}`)}
    </span>
  );
}

/** Where a review task stands. */
export function TaskStatusBadge({ status }: { status: ReviewStatus }) {
  const { pt } = useSafetyStrings();
  return (
    <span className={`tp-badge tp-badge--${TASK_TONES[status]}`} data-task-status={status}>
      {pt(`tasks.statuses.${status}`)}
    </span>
  );
}

/** Serious or not, for an AE. */
export function SeriousBadge({ ae }: { ae: Pick<AeView, 'serious'> }) {
  const { pt } = useSafetyStrings();
  return ae.serious ? (
    <span className="tp-badge tp-badge--danger" data-serious="true">
      {pt('common.serious')}
    </span>
  ) : (
    <span className="tp-badge tp-badge--neutral" data-serious="false">
      {pt('common.notSerious')}
    </span>
  );
}

/** A CTCAE grade with its meaning as the accessible description. */
export function GradeBadge({ grade }: { grade: number }) {
  const { pt } = useSafetyStrings();
  const key = String(grade) as '1' | '2' | '3' | '4' | '5';
  const tone = grade >= 4 ? 'danger' : grade === 3 ? 'warning' : 'neutral';
  return (
    <span className={`tp-badge tp-badge--${tone}`} title={pt(`form.grades.${key}`)}>
      {pt('common.grade', { grade })}
    </span>
  );
}
