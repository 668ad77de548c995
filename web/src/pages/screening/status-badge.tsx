/** Coloured status badges for screenings and participants; the text always carries the meaning. */
import type { ParticipantView, ScreeningStatus } from '../../api/screening-api.js';
import { useScreeningTranslation } from './screening-i18n.js';

const SCREENING_TONES: Record<ScreeningStatus, string> = {
  in_progress: 'info',
  eligible: 'success',
  ineligible: 'danger',
  declined: 'warning',
  not_reached: 'neutral',
  other: 'neutral',
  enrolled: 'primary',
};

const PARTICIPANT_TONES: Record<ParticipantView['status'], string> = {
  enrolled: 'primary',
  randomized: 'info',
  withdrawn: 'warning',
  completed: 'success',
};

/** The badge of a screening status. */
export function ScreeningStatusBadge({ status }: { status: ScreeningStatus }) {
  const { st } = useScreeningTranslation();
  return (
    <span className={`sc-badge sc-badge--${SCREENING_TONES[status]}`} data-status={status}>
      {st(`status.${status}`)}
    </span>
  );
}

/** The badge of a participant status. */
export function ParticipantStatusBadge({ status }: { status: ParticipantView['status'] }) {
  const { st } = useScreeningTranslation();
  return (
    <span className={`sc-badge sc-badge--${PARTICIPANT_TONES[status]}`} data-status={status}>
      {st(`participants.status.${status}`)}
    </span>
  );
}
