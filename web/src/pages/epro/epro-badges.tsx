/** Badges of the staff ePRO pages; the text carries the meaning, colour only helps. */
import type { DiaryDay } from '../../api/epro-api.js';
import { useEproStrings } from './epro-i18n.js';

/** What a diary day looks like to the site: answered (in time or late), missed, open, started, not yet open. */
export type DiaryDayLook = 'answered' | 'answeredLate' | 'missed' | 'open' | 'openLate' | 'draft' | 'notYetOpen';

/** The look of a diary day from its window state and what was entered. */
export function diaryDayLook(d: DiaryDay): DiaryDayLook {
  if (d.status === 'submitted') return d.late ? 'answeredLate' : 'answered';
  if (d.state === 'closed') return 'missed';
  if (d.state === 'not_yet_open') return 'notYetOpen';
  if (d.status === 'draft') return 'draft';
  return d.state === 'late' ? 'openLate' : 'open';
}

const DAY_TONES: Record<DiaryDayLook, string> = {
  answered: 'success',
  answeredLate: 'warning',
  missed: 'danger',
  open: 'info',
  openLate: 'warning',
  draft: 'info',
  notYetOpen: 'neutral',
};

/** A diary day's state. */
export function DiaryDayBadge({ look }: { look: DiaryDayLook }) {
  const { pt } = useEproStrings();
  return (
    <span className={`tp-badge tp-badge--${DAY_TONES[look]}`} data-day-look={look}>
      {pt(`participant.diary.states.${look}`)}
    </span>
  );
}

/** A participant's ePRO access: active, revoked, or not enrolled (null). */
export function AccessStatusBadge({ status }: { status: 'active' | 'revoked' | null }) {
  const { pt } = useEproStrings();
  const tone = status === 'active' ? 'success' : status === 'revoked' ? 'danger' : 'neutral';
  return (
    <span className={`tp-badge tp-badge--${tone}`} data-access-status={status ?? 'none'}>
      {pt(`common.accessStatus.${status ?? 'none'}`)}
    </span>
  );
}
