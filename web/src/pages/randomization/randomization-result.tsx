/** Number, kit code and time of a randomization: what blinded site staff need, and nothing else. */
import type { RandomizationView } from '../../api/randomization-api.js';
import { useRandomizationStrings } from './randomization-i18n.js';
import { formatCph } from './trial-format.js';

/** The three facts of a randomization, large enough to read back to a colleague. */
export function RandomizationResult({ randomization }: { randomization: RandomizationView }) {
  const { pt, locale } = useRandomizationStrings();
  return (
    <dl className="tp-result" data-randomization={randomization.randomizationNumber}>
      <div className="tp-result__item">
        <dt>{pt('randomize.number')}</dt>
        <dd className="tp-code" data-field="number">
          {randomization.randomizationNumber}
        </dd>
      </div>
      <div className="tp-result__item">
        <dt>{pt('randomize.kit')}</dt>
        <dd className="tp-code" data-field="kit">
          {randomization.kit}
        </dd>
      </div>
      <div className="tp-result__item">
        <dt>{pt('randomize.time')}</dt>
        <dd data-field="time">{formatCph(randomization.randomizedAt, locale)}</dd>
      </div>
    </dl>
  );
}
