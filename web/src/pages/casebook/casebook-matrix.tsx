/**
 * The visits × forms matrix of a casebook. On wide screens a table: one column per visit (name,
 * window, status, date done, and "Record visit" for site staff), one row per form, each cell a
 * link to the form with its status and open queries. On narrow screens the same information as
 * one card per visit, so nothing needs horizontal scrolling on a phone.
 */
import { useSyncExternalStore } from 'react';
import type { CasebookView, VisitView } from '../../api/ecrf-api.js';
import { Link } from '../../app/link.js';
import { FormStatusBadge, formBadgeStatus, VisitStatusBadge } from '../form/badges.js';
import { useEcrfTranslation } from '../form/ecrf-i18n.js';
import { formatDateRange, formatPlainDate, visitFormHref } from '../form/ecrf-format.js';
import { managedByKey } from './managed-by.js';

const WIDE = '(min-width: 1000px)';

function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia(WIDE);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

/** Whether the screen is wide enough for the matrix table. */
const useWide = (): boolean => useSyncExternalStore(subscribe, () => window.matchMedia(WIDE).matches);

/** Props of CasebookMatrix. */
export interface CasebookMatrixProps {
  casebook: CasebookView;
  /** Whether the user may record visits (site staff, casebook open). */
  mayRecord: boolean;
  onRecord: (visit: VisitView) => void;
}

type Cell = CasebookView['cells'][number];

function CellContent({ casebook, cell }: { casebook: CasebookView; cell: Cell }) {
  const { et, pick } = useEcrfTranslation();
  const form = casebook.forms.find((f) => f.formId === cell.formId);
  const visit = casebook.visits.find((v) => v.visit === cell.visitCode);
  const badge = <FormStatusBadge status={formBadgeStatus(cell.status, cell.instance)} />;
  const queries = cell.instance?.openQueries ?? 0;
  if (cell.managedBy !== null) {
    // The screening form lives on the screening page, reached through the participant page.
    return cell.managedBy === 'screening' ? (
      <Link href={`/participants/${encodeURIComponent(casebook.participant.id)}`} className="ec-cell__external">
        {et(managedByKey(cell.managedBy))}
      </Link>
    ) : (
      <span className="ec-cell__external">{et(managedByKey(cell.managedBy))}</span>
    );
  }
  if (cell.status === 'not_applicable') return badge;
  return (
    <>
      <Link
        href={visitFormHref(casebook.participant.id, cell.visitCode, cell.formId)}
        className="ec-cell__link"
        data-cell={`${cell.visitCode}/${cell.formId}`}
      >
        <span className="visually-hidden">
          {form ? pick(form.title) : cell.formId}, {visit ? pick(visit.name) : cell.visitCode}:{' '}
        </span>
        {badge}
      </Link>
      {queries > 0 ? (
        <span className="ec-badge ec-badge--danger ec-cell__queries" data-open-queries={queries}>
          {et('casebook.openQueries', { count: queries })}
        </span>
      ) : null}
    </>
  );
}

function VisitFacts({ visit }: { visit: VisitView }) {
  const { et, locale } = useEcrfTranslation();
  return (
    <>
      <VisitStatusBadge status={visit.status} />
      {visit.target ? (
        <span className="ec-visit__dates">
          {et('visit.target', { date: formatPlainDate(visit.target, locale) })}
          <br />
          {et('visit.window', { range: formatDateRange(visit.earliest, visit.latest, locale) })}
        </span>
      ) : null}
      {visit.doneOn ? (
        <span className="ec-visit__done">
          {et('visit.doneOn', { date: formatPlainDate(visit.doneOn, locale) })}
          {visit.studyDay !== null ? ` · ${et('visit.studyDay', { day: visit.studyDay })}` : ''}
        </span>
      ) : null}
      {visit.missed ? (
        <span className="ec-visit__done">{et('visit.missedBecause', { reason: visit.missedReason ?? '' })}</span>
      ) : null}
      {visit.daysOverdue !== null && visit.daysOverdue > 0 ? (
        <span className="ec-visit__overdue">{et('visit.daysOverdue', { count: visit.daysOverdue })}</span>
      ) : null}
    </>
  );
}

function RecordButton({ visit, onRecord }: { visit: VisitView; onRecord: (v: VisitView) => void }) {
  const { et, pick } = useEcrfTranslation();
  const recorded = visit.doneOn !== null || visit.missed;
  return (
    <button
      type="button"
      className="button button--secondary button--small ec-visit__record"
      aria-label={
        recorded
          ? et('visit.changeFor', { visit: pick(visit.name) })
          : et('visit.recordFor', { visit: pick(visit.name) })
      }
      onClick={() => onRecord(visit)}
    >
      {recorded ? et('visit.change') : et('visit.record')}
    </button>
  );
}

/** The matrix (or visit cards on a narrow screen). */
export function CasebookMatrix({ casebook, mayRecord, onRecord }: CasebookMatrixProps) {
  const { et, pick } = useEcrfTranslation();
  const wide = useWide();
  const cellAt = (visit: string, formId: string): Cell | undefined =>
    casebook.cells.find((c) => c.visitCode === visit && c.formId === formId);
  const recordable = (v: VisitView): boolean => mayRecord && v.status !== 'not_applicable';

  if (!wide) {
    return (
      <div className="ec-visit-cards">
        {casebook.visits.map((v) => {
          const cells = casebook.cells.filter((c) => c.visitCode === v.visit);
          return (
            <section
              key={v.visit}
              className="card ec-visit-card"
              aria-labelledby={`visit-${v.visit}`}
              data-visit={v.visit}
            >
              <h3 id={`visit-${v.visit}`} className="ec-visit-card__title">
                {pick(v.name)} <span className="muted">({v.visit})</span>
              </h3>
              <p className="ec-visit-card__facts">
                <VisitFacts visit={v} />
              </p>
              {recordable(v) ? <RecordButton visit={v} onRecord={onRecord} /> : null}
              <ul className="plain-list ec-visit-card__forms">
                {cells.map((c) => {
                  const form = casebook.forms.find((f) => f.formId === c.formId);
                  return (
                    <li key={c.formId} className="ec-visit-card__form">
                      <span className="ec-visit-card__name">{form ? pick(form.title) : c.formId}</span>
                      <span className="ec-visit-card__cell">
                        <CellContent casebook={casebook} cell={c} />
                      </span>
                    </li>
                  );
                })}
              </ul>
            </section>
          );
        })}
      </div>
    );
  }

  return (
    <div className="table-wrap ec-matrix-wrap">
      <table className="table ec-matrix">
        <caption className="visually-hidden">
          {et('casebook.matrixCaption', { studyId: casebook.participant.studyId })}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="ec-matrix__corner">
              {et('casebook.formColumn')}
            </th>
            {casebook.visits.map((v) => (
              <th key={v.visit} scope="col" className="ec-matrix__visit" data-visit={v.visit}>
                <span className="ec-matrix__visit-name">
                  {pick(v.name)} <span className="muted">({v.visit})</span>
                </span>
                <VisitFacts visit={v} />
                {recordable(v) ? <RecordButton visit={v} onRecord={onRecord} /> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {casebook.forms.map((f) => (
            <tr key={f.formId} data-form={f.formId}>
              <th scope="row" className="ec-matrix__form">
                {pick(f.title)}
              </th>
              {casebook.visits.map((v) => {
                const cell = cellAt(v.visit, f.formId);
                return (
                  <td key={v.visit} className={cell ? 'ec-matrix__cell' : 'ec-matrix__cell ec-matrix__cell--none'}>
                    {cell ? (
                      <CellContent casebook={casebook} cell={cell} />
                    ) : (
                      <span className="visually-hidden">{et('casebook.notScheduled')}</span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
