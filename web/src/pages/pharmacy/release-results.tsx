/** A lot's release results against the specification, one row per test with pass or fail. */
import { RELEASE_NUMBERS, type Lot, type ReleaseSpecification } from '../../api/randomization-api.js';
import { formatNumber, formatPlainDate } from '../randomization/trial-format.js';
import { TestResultBadge } from './badges.js';
import { describeLotFailure } from './failures.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

/** The specification limit of one numeric test as text ("≥ 95"). */
export function limitText(
  pt: ReturnType<typeof usePharmacyStrings>['pt'],
  locale: string,
  test: string,
  spec: ReleaseSpecification | null,
): string {
  const l = spec?.lot;
  if (!l) return '—';
  const n = (x: number | undefined): string => (x === undefined ? '—' : formatNumber(x, locale));
  if (test === 'viabilityPct') return pt('lots.release.limitMin', { value: n(l.viabilityPctMin) });
  if (test === 'cd73Pct' || test === 'cd90Pct' || test === 'cd105Pct') {
    return pt('lots.release.limitMin', { value: n(l.positiveMarkerPctMin) });
  }
  if (test === 'cd45Pct' || test === 'cd34Pct' || test === 'hlaDrPct') {
    return pt('lots.release.limitMax', { value: n(l.negativeMarkerPctMax) });
  }
  if (test === 'endotoxinEuPerMl') return pt('lots.release.limitBelow', { value: n(l.endotoxinEuPerMlBelow) });
  return '—';
}

/** The results table of a lot that has them. */
export function ReleaseResultsTable({ lot, spec }: { lot: Lot; spec: ReleaseSpecification | null }) {
  const { pt, locale } = usePharmacyStrings();
  const r = lot.releaseResults;
  if (!r) return null;
  const failed = new Map(lot.releaseFailures.map((f) => [f.test, f]));
  const verdict = (test: string) => {
    const f = failed.get(test);
    return f ? (
      <span className="tp-fail">
        ✗ {pt('common.failed')}
        <span className="tp-sub">{describeLotFailure(pt, locale, f, r, spec)}</span>
      </span>
    ) : lot.pendingResults.includes(test) ? (
      <span className="muted">{pt('donors.results.pending')}</span>
    ) : (
      <span className="tp-pass">✓ {pt('common.passed')}</span>
    );
  };
  return (
    <>
      <p className="muted">
        {pt('lots.release.testedOn')}: {formatPlainDate(r.testedOn, locale)}
      </p>
      <div className="table-wrap">
        <table className="table tp-table-compact">
          <caption className="visually-hidden">{pt('lots.release.resultsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{pt('lots.release.testColumn')}</th>
              <th scope="col" className="tp-num">
                {pt('lots.release.resultColumn')}
              </th>
              <th scope="col">{pt('lots.release.specColumn')}</th>
              <th scope="col">{pt('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {RELEASE_NUMBERS.map((test) => (
              <tr key={test} data-test={test}>
                <th scope="row">{pt(`lots.release.${test}`)}</th>
                <td className="tp-num">{formatNumber(r[test], locale)}</td>
                <td>{limitText(pt, locale, test, spec)}</td>
                <td>{verdict(test)}</td>
              </tr>
            ))}
            {(['sterility', 'mycoplasma'] as const).map((test) => (
              <tr key={test} data-test={test}>
                <th scope="row">{pt(`lots.release.${test}`)}</th>
                <td className="tp-num">
                  <TestResultBadge result={r[test]} />
                </td>
                <td>{pt('donors.results.negative')}</td>
                <td>{verdict(test)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
