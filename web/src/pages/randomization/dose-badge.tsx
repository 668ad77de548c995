/** The dose status badge: the same words for both treatments, so it never hints at the arm. */
import type { DoseStatus, DoseView } from '../../api/randomization-api.js';
import { useRandomizationStrings } from './randomization-i18n.js';
import { formatCph, formatPlainDate } from './trial-format.js';

const TONES: Record<DoseStatus, string> = {
  awaiting_preparation: 'neutral',
  ready: 'success',
  expired: 'warning',
  administered: 'primary',
  not_administered: 'warning',
};

/** The badge, with the use-by time or Day 0 underneath when known. */
export function DoseBadge({ dose }: { dose: DoseView }) {
  const { pt, locale } = useRandomizationStrings();
  return (
    <>
      <span className={`tp-badge tp-badge--${TONES[dose.status]}`} data-dose={dose.status}>
        {pt(`dose.${dose.status}`)}
      </span>
      {dose.status === 'ready' && dose.useBy ? (
        <span className="tp-sub">{pt('dose.useBy', { time: formatCph(dose.useBy, locale) })}</span>
      ) : null}
      {dose.day0 ? (
        <span className="tp-sub">{pt('dose.day0', { date: formatPlainDate(dose.day0, locale) })}</span>
      ) : null}
    </>
  );
}
