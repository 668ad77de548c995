/**
 * Release-check failures in the user's language. The server records each failure with the test it
 * concerns and an English reason; the sentence is rebuilt here from the recorded value and the
 * specification, falling back to the server's reason for anything unknown.
 */
import type { Preparation, ReleaseResults, ReleaseSpecification, SpecFailure } from '../../api/randomization-api.js';
import type { PageT } from '../randomization/page-strings.js';
import { formatNumber } from '../randomization/trial-format.js';
import type { PharmacyStrings } from './pharmacy-i18n.js';

type T = PageT<PharmacyStrings>;

const MARKERS: Record<string, string> = {
  cd73Pct: 'CD73',
  cd90Pct: 'CD90',
  cd105Pct: 'CD105',
  cd45Pct: 'CD45',
  cd34Pct: 'CD34',
  hlaDrPct: 'HLA-DR',
};

/** One failure of a dose preparation. */
export function describeDoseFailure(
  pt: T,
  locale: string,
  failure: SpecFailure,
  prep: Preparation,
  spec: ReleaseSpecification | null,
): string {
  const n = (x: number | null | undefined): string => (x === null || x === undefined ? '—' : formatNumber(x, locale));
  const d = spec?.dose;
  if (!d) return failure.message;
  switch (failure.test) {
    case 'viabilityPct':
      return pt('failures.viability', { value: n(prep.viabilityPct), min: n(d.viabilityPctMin) });
    case 'viableCellsMillion':
      return pt('failures.cells', {
        value: n(prep.viableCellsMillion),
        min: n(d.viableCellsMillionMin),
        max: n(d.viableCellsMillionMax),
      });
    case 'volumeMl':
      return pt('failures.volume', { value: n(prep.volumeMl), min: n(d.volumeMlMin), max: n(d.volumeMlMax) });
    case 'appearance':
      return pt('failures.appearance');
    default:
      return failure.message;
  }
}

/** One failure of a lot's release. */
export function describeLotFailure(
  pt: T,
  locale: string,
  failure: SpecFailure,
  results: ReleaseResults | null,
  spec: ReleaseSpecification | null,
): string {
  const l = spec?.lot;
  if (!l || !results) return failure.message;
  const n = (x: number | undefined): string => (x === undefined ? '—' : formatNumber(x, locale));
  const test = failure.test;
  if (test === 'viabilityPct') {
    return pt('failures.viability', { value: n(results.viabilityPct), min: n(l.viabilityPctMin) });
  }
  if (test === 'cd73Pct' || test === 'cd90Pct' || test === 'cd105Pct') {
    return pt('failures.markerBelow', {
      marker: MARKERS[test] ?? test,
      value: n(results[test]),
      min: n(l.positiveMarkerPctMin),
    });
  }
  if (test === 'cd45Pct' || test === 'cd34Pct' || test === 'hlaDrPct') {
    return pt('failures.markerAbove', {
      marker: MARKERS[test] ?? test,
      value: n(results[test]),
      max: n(l.negativeMarkerPctMax),
    });
  }
  if (test === 'endotoxinEuPerMl') {
    return pt('failures.endotoxin', { value: n(results.endotoxinEuPerMl), limit: n(l.endotoxinEuPerMlBelow) });
  }
  if (test === 'sterility' || test === 'mycoplasma') {
    return pt('failures.positive', { test: pt(`lots.release.${test}`) });
  }
  return failure.message;
}
