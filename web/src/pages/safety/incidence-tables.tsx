/**
 * The safety tables for one group (arms pooled) or several side by side (by arm, with Fisher's
 * p-values): participants with ≥ 1 AE overall, by worst grade, by system organ class and preferred
 * term (with serious and related counts), and exposure-adjusted rates.
 */
import type { ByArmTables, IncidenceTable, SocRow, TableCell, TermRow } from '../../api/safety-api.js';
import { formatNumber } from '../randomization/trial-format.js';
import { useSafetyStrings } from './safety-i18n.js';

/** One column group. */
export interface TableGroup {
  label: string;
  table: IncidenceTable;
}

type Comparisons = NonNullable<ByArmTables['byArm']['comparisons']>;

const OVERVIEW_ROWS = ['any', 'serious', 'related', 'seriousRelated', 'grade3OrHigher', 'fatal'] as const;
const socKey = (s: SocRow): string => s.socCode ?? s.socName;
const ptKey = (t: TermRow): string => t.ptCode ?? t.ptName.toLowerCase();

/** The tables. */
export function IncidenceTables({
  groups,
  comparisons,
}: {
  groups: readonly TableGroup[];
  comparisons?: Comparisons | null;
}) {
  const { pt, locale } = useSafetyStrings();
  const single = groups.length === 1;
  const hasP = Boolean(comparisons && comparisons.length > 0);
  const pct = (p: number | null): string => (p === null ? pt('tables.notAvailable') : formatNumber(p, locale, 1, 1));
  /** "3 (12.5 %)"; just the count where no percentage exists (an empty group). */
  const cellText = (c: { participants: number; percent: number | null } | undefined, group?: TableGroup): string => {
    const n = c?.participants ?? 0;
    const percent = c ? c.percent : group && group.table.participants === 0 ? null : 0;
    return percent === null ? String(n) : pt('tables.cell', { n, pct: pct(percent) });
  };
  const pOf = (row: string, socCode: string | null, ptCode: string | null, label?: string): string => {
    const found = comparisons?.find(
      (c) =>
        c.row === row && c.socCode === socCode && c.ptCode === ptCode && (label === undefined || c.label === label),
    );
    return found?.p === null || found?.p === undefined ? '—' : formatNumber(found.p, locale, 3, 3);
  };
  const groupHeads = groups.map((g) => (
    <th key={g.label} scope="col" className="tp-num">
      {single ? pt('tables.participantsCol') : pt('tables.armGroup', { label: g.label, n: g.table.participants })}
    </th>
  ));

  // The union of SOCs and terms over the groups, in the first group's order.
  const socs = new Map<
    string,
    { name: string; code: string | null; terms: Map<string, { name: string; code: string | null }> }
  >();
  for (const g of groups) {
    for (const s of g.table.bySocPt) {
      const entry = socs.get(socKey(s)) ?? { name: s.socName, code: s.socCode, terms: new Map() };
      for (const term of s.terms) entry.terms.set(ptKey(term), { name: term.ptName, code: term.ptCode });
      socs.set(socKey(s), entry);
    }
  }
  const socOf = (g: TableGroup, key: string): SocRow | undefined => g.table.bySocPt.find((s) => socKey(s) === key);
  const termOf = (s: SocRow | undefined, key: string): TermRow | undefined => s?.terms.find((x) => ptKey(x) === key);
  const cellOf = (c: TableCell | undefined, g: TableGroup) => cellText(c, g);

  return (
    <>
      <section className="tp-section" aria-labelledby="tables-overview">
        <h2 id="tables-overview" className="tp-section__title">
          {pt('tables.overviewTitle')}
        </h2>
        <div className="table-wrap">
          <table className="table tp-table-compact" data-table="overview">
            <caption className="visually-hidden">{pt('tables.overviewCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{pt('tables.colEvent')}</th>
                {groupHeads}
                {single ? (
                  <th scope="col" className="tp-num">
                    {pt('tables.eventsCol')}
                  </th>
                ) : null}
                {hasP ? (
                  <th scope="col" className="tp-num">
                    {pt('tables.pCol')}
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {OVERVIEW_ROWS.map((row) => (
                <tr key={row} data-row={row}>
                  <th scope="row">{pt(`tables.rows.${row}`)}</th>
                  {groups.map((g) => (
                    <td key={g.label} className="tp-num">
                      {cellOf(g.table.overview[row], g)}
                    </td>
                  ))}
                  {single ? <td className="tp-num">{groups[0]?.table.overview[row].events ?? 0}</td> : null}
                  {hasP ? <td className="tp-num">{pOf(row, null, null)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="tp-section" aria-labelledby="tables-grade">
        <h2 id="tables-grade" className="tp-section__title">
          {pt('tables.gradeTitle')}
        </h2>
        <div className="table-wrap">
          <table className="table tp-table-compact" data-table="grade">
            <caption className="visually-hidden">{pt('tables.gradeCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{pt('tables.colGrade')}</th>
                {groupHeads}
              </tr>
            </thead>
            <tbody>
              {[1, 2, 3, 4, 5].map((grade) => (
                <tr key={grade}>
                  <th scope="row">
                    {pt('form.gradeLabel', { grade })}
                    <span className="tp-sub">{pt(`form.grades.${String(grade) as '1' | '2' | '3' | '4' | '5'}`)}</span>
                  </th>
                  {groups.map((g) => (
                    <td key={g.label} className="tp-num">
                      {cellText(
                        g.table.byWorstGrade.find((x) => x.grade === grade),
                        g,
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="tp-section" aria-labelledby="tables-soc">
        <h2 id="tables-soc" className="tp-section__title">
          {pt('tables.socTitle')}
        </h2>
        {socs.size === 0 ? (
          <p className="tp-empty">{pt('tables.socEmpty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table tp-table-compact" data-table="soc">
              <caption className="visually-hidden">{pt('tables.socCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('tables.colSoc')}</th>
                  {groupHeads}
                  {single ? (
                    <>
                      <th scope="col" className="tp-num">
                        {pt('tables.eventsCol')}
                      </th>
                      <th scope="col" className="tp-num">
                        {pt('tables.seriousCol')}
                      </th>
                      <th scope="col" className="tp-num">
                        {pt('tables.relatedCol')}
                      </th>
                    </>
                  ) : null}
                  {hasP ? (
                    <th scope="col" className="tp-num">
                      {pt('tables.pCol')}
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {[...socs.entries()].flatMap(([key, soc]) => {
                  const rows = [
                    <tr key={`soc-${key}`} className="tp-soc-row" data-soc={soc.name}>
                      <th scope="row">{soc.code === null && soc.name === '' ? pt('tables.uncoded') : soc.name}</th>
                      {groups.map((g) => (
                        <td key={g.label} className="tp-num">
                          {cellOf(socOf(g, key), g)}
                        </td>
                      ))}
                      {single ? (
                        <>
                          <td className="tp-num">{socOf(groups[0]!, key)?.events ?? 0}</td>
                          <td className="tp-num">{socOf(groups[0]!, key)?.seriousParticipants ?? 0}</td>
                          <td className="tp-num">{socOf(groups[0]!, key)?.relatedParticipants ?? 0}</td>
                        </>
                      ) : null}
                      {hasP ? <td className="tp-num">{pOf('soc', soc.code, null, soc.name)}</td> : null}
                    </tr>,
                  ];
                  for (const [tKey, term] of soc.terms) {
                    rows.push(
                      <tr key={`pt-${key}-${tKey}`} data-pt={term.name}>
                        <th scope="row" className="tp-indent">
                          {term.name}
                        </th>
                        {groups.map((g) => (
                          <td key={g.label} className="tp-num">
                            {cellOf(termOf(socOf(g, key), tKey), g)}
                          </td>
                        ))}
                        {single ? (
                          <>
                            <td className="tp-num">{termOf(socOf(groups[0]!, key), tKey)?.events ?? 0}</td>
                            <td className="tp-num">{termOf(socOf(groups[0]!, key), tKey)?.seriousParticipants ?? 0}</td>
                            <td className="tp-num">{termOf(socOf(groups[0]!, key), tKey)?.relatedParticipants ?? 0}</td>
                          </>
                        ) : null}
                        {hasP ? <td className="tp-num">{pOf('pt', soc.code, term.code, term.name)}</td> : null}
                      </tr>,
                    );
                  }
                  return rows;
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="tp-section" aria-labelledby="tables-exposure">
        <h2 id="tables-exposure" className="tp-section__title">
          {pt('tables.exposureTitle')}
        </h2>
        <div className="table-wrap">
          <table className="table tp-table-compact" data-table="exposure">
            <thead>
              <tr>
                <th scope="col">{pt('tables.colMeasure')}</th>
                {groups.map((g) => (
                  <th key={g.label} scope="col" className="tp-num">
                    {single ? pt('tables.allParticipants') : g.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(
                [
                  [
                    'participantYears',
                    (e: IncidenceTable['exposure']) => formatNumber(e.participantYears, locale, 2, 2),
                  ],
                  ['events', (e: IncidenceTable['exposure']) => String(e.events)],
                  [
                    'eventsPer100',
                    (e: IncidenceTable['exposure']) =>
                      e.eventsPer100ParticipantYears === null
                        ? '—'
                        : formatNumber(e.eventsPer100ParticipantYears, locale, 1, 1),
                  ],
                  ['seriousEvents', (e: IncidenceTable['exposure']) => String(e.seriousEvents)],
                  [
                    'seriousPer100',
                    (e: IncidenceTable['exposure']) =>
                      e.seriousEventsPer100ParticipantYears === null
                        ? '—'
                        : formatNumber(e.seriousEventsPer100ParticipantYears, locale, 1, 1),
                  ],
                ] as const
              ).map(([key, value]) => (
                <tr key={key}>
                  <th scope="row">{pt(`tables.${key}`)}</th>
                  {groups.map((g) => (
                    <td key={g.label} className="tp-num">
                      {value(g.table.exposure)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
