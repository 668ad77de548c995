/**
 * The treatment revealed by an emergency unblinding, with the confidentiality warning. Rendered only
 * on the unblinding routes, which require the investigator's `unblinding.emergency` operation, and
 * only with an answer the server gives to the investigator who requested the unblinding.
 */
import type { RevealedArm } from '../../api/randomization-api.js';
import { formatCph } from '../randomization/trial-format.js';
import { useUnblindingStrings } from './unblinding-i18n.js';

/** The warning box with the arm. */
export function RevealedArmPanel({ revealed, fresh }: { revealed: RevealedArm; fresh: boolean }) {
  const { pt, locale } = useUnblindingStrings();
  const u = revealed.unblinding;
  return (
    <section className="tp-reveal" aria-labelledby="revealed-arm-title" data-revealed-arm>
      <h2 id="revealed-arm-title" className="tp-section__title" tabIndex={-1}>
        {pt('reveal.title', { studyId: u.studyId })}
      </h2>
      <p className="tp-reveal__warning" role="alert">
        ⚠ {pt('reveal.warning')}
      </p>
      <p className="tp-sub">{pt('reveal.armIs')}</p>
      <p className="tp-reveal__arm" data-arm={revealed.arm}>
        {pt(`reveal.arms.${revealed.arm}`)}
      </p>
      <p className="tp-reveal__meta">
        {pt('reveal.meta', {
          by: u.requestedBy,
          date: formatCph(u.requestedAt, locale),
          number: u.randomizationNumber,
          kit: u.kit,
          reason: u.reason,
        })}
      </p>
      <p className="tp-reveal__meta">{fresh ? pt('reveal.notified') : pt('reveal.viewAgainNote')}</p>
    </section>
  );
}
