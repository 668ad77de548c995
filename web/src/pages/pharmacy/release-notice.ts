/** The sentence shown after a lot's release results are recorded: released, rejected (why), or waiting. */
import type { Lot, ReleaseSpecification } from '../../api/randomization-api.js';
import type { PageT } from '../randomization/page-strings.js';
import { describeLotFailure } from './failures.js';
import type { PharmacyStrings } from './pharmacy-i18n.js';

/** The notice, with its tone. */
export function releaseNotice(
  pt: PageT<PharmacyStrings>,
  locale: string,
  lot: Lot,
  spec: ReleaseSpecification | null,
): { tone: 'success' | 'error' | 'info'; text: string } {
  if (lot.status === 'released') return { tone: 'success', text: pt('lots.release.released', { lot: lot.lotNumber }) };
  if (lot.status === 'rejected') {
    const reasons = lot.releaseFailures.map((f) => describeLotFailure(pt, locale, f, lot.releaseResults, spec));
    return { tone: 'error', text: pt('lots.release.rejected', { lot: lot.lotNumber, reasons: reasons.join('; ') }) };
  }
  const tests = lot.pendingResults.map((x) => (x === 'sterility' || x === 'mycoplasma' ? pt(`lots.release.${x}`) : x));
  return { tone: 'info', text: pt('lots.release.quarantine', { lot: lot.lotNumber, tests: tests.join(', ') }) };
}
