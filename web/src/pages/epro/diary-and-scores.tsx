/**
 * A participant's questionnaires as the site sees them: the pain diary day by day (answered, late,
 * missed, open) with its NRS values, and the KOOS/NRS at each visit with their scores.
 */
import type { DiaryCompliance, DiaryDay, VisitQuestionnaire } from '../../api/epro-api.js';
import { formatNumber, formatPlainDate } from '../randomization/trial-format.js';
import { DiaryDayBadge, diaryDayLook } from './epro-badges.js';
import { useEproStrings } from './epro-i18n.js';

/** Days completed of 30 as a bar (the number beside it says the same for screen readers). */
export function DaysBar({ compliance }: { compliance: DiaryCompliance }) {
  const { pt } = useEproStrings();
  return (
    <span>
      <meter
        min={0}
        max={compliance.of}
        low={compliance.of / 2}
        high={compliance.of - 1}
        optimum={compliance.of}
        value={compliance.completed}
        aria-hidden="true"
      />{' '}
      <span data-testid="days-completed">{pt('common.ofDays', { n: compliance.completed, of: compliance.of })}</span>
    </span>
  );
}

/** The diary table. */
export function DiaryTable({
  day0,
  diary,
  compliance,
}: {
  day0: string | null;
  diary: DiaryDay[];
  compliance: DiaryCompliance;
}) {
  const { pt, locale } = useEproStrings();
  const nrs = (n: number | null): string => (n === null ? pt('common.none') : String(n));
  return (
    <section className="card tp-section" aria-labelledby="epro-diary">
      <h2 id="epro-diary" className="card__title">
        {pt('participant.diary.title')}
      </h2>
      {day0 === null ? (
        <p className="tp-empty">{pt('participant.diary.noDay0')}</p>
      ) : (
        <>
          <p>
            <DaysBar compliance={compliance} />
          </p>
          <p className="muted" data-testid="diary-summary">
            {pt('participant.diary.summary', { ...compliance })} ·{' '}
            {pt('participant.diary.day0', { date: formatPlainDate(day0, locale) })}
          </p>
          <div className="table-wrap">
            <table className="table table--responsive tp-table-compact">
              <caption className="visually-hidden">{pt('participant.diary.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('participant.diary.columns.day')}</th>
                  <th scope="col">{pt('participant.diary.columns.date')}</th>
                  <th scope="col">{pt('participant.diary.columns.status')}</th>
                  <th scope="col">{pt('participant.diary.columns.worst')}</th>
                  <th scope="col">{pt('participant.diary.columns.average')}</th>
                </tr>
              </thead>
              <tbody>
                {diary.map((d) => (
                  <tr key={d.day} data-diary-day={d.day}>
                    <th scope="row" className="tp-num">
                      {d.day}
                    </th>
                    <td data-label={pt('participant.diary.columns.date')}>{formatPlainDate(d.entryDate, locale)}</td>
                    <td data-label={pt('participant.diary.columns.status')}>
                      <DiaryDayBadge look={diaryDayLook(d)} />
                    </td>
                    <td data-label={pt('participant.diary.columns.worst')} className="tp-num">
                      {nrs(d.nrsWorst)}
                    </td>
                    <td data-label={pt('participant.diary.columns.average')} className="tp-num">
                      {nrs(d.nrsAverage)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

const SCORE_KEYS = {
  koos: ['koos_symptoms', 'koos_pain', 'koos_adl', 'koos_sport', 'koos_qol'],
  nrs: ['nrs_pain'],
} as const;

type ScoreKey = (typeof SCORE_KEYS)[keyof typeof SCORE_KEYS][number];

/** KOOS and NRS per visit with their scores. */
export function VisitScores({ questionnaires }: { questionnaires: VisitQuestionnaire[] }) {
  const { pt, locale } = useEproStrings();
  const formLabel = (formId: string): string =>
    formId === 'koos' || formId === 'nrs' ? pt(`participant.visits.forms.${formId}`) : formId;
  const statusLabel = (status: string): string =>
    status === 'draft' || status === 'submitted' || status === 'not_started'
      ? pt(`participant.visits.statuses.${status}`)
      : status;
  const scoreKeys = (formId: string): readonly ScoreKey[] =>
    formId === 'koos' || formId === 'nrs' ? SCORE_KEYS[formId] : [];
  return (
    <section className="card tp-section" aria-labelledby="epro-visits">
      <h2 id="epro-visits" className="card__title">
        {pt('participant.visits.title')}
      </h2>
      {questionnaires.length === 0 ? (
        <p className="tp-empty">{pt('participant.visits.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--responsive">
            <caption className="visually-hidden">{pt('participant.visits.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{pt('participant.visits.columns.visit')}</th>
                <th scope="col">{pt('participant.visits.columns.questionnaire')}</th>
                <th scope="col">{pt('participant.visits.columns.status')}</th>
                <th scope="col">{pt('participant.visits.columns.enteredBy')}</th>
                <th scope="col">{pt('participant.visits.columns.scores')}</th>
              </tr>
            </thead>
            <tbody>
              {questionnaires.map((q) => (
                <tr key={`${q.visitCode}-${q.formId}`} data-questionnaire={`${q.visitCode}-${q.formId}`}>
                  <th scope="row" className="tp-code">
                    {q.visitCode}
                  </th>
                  <td data-label={pt('participant.visits.columns.questionnaire')}>{formLabel(q.formId)}</td>
                  <td data-label={pt('participant.visits.columns.status')}>{statusLabel(q.status)}</td>
                  <td data-label={pt('participant.visits.columns.enteredBy')}>
                    {pt(`participant.visits.enteredBy.${q.submittedBy}`)}
                  </td>
                  <td data-label={pt('participant.visits.columns.scores')}>
                    <dl className="tp-kv">
                      {scoreKeys(q.formId).map((k) => {
                        const v = q.scores[k];
                        return (
                          <div key={k} className="tp-kv__row">
                            <dt>{pt(`participant.visits.scores.${k}`)}</dt>
                            <dd>{typeof v === 'number' ? formatNumber(v, locale, 1) : pt('common.none')}</dd>
                          </div>
                        );
                      })}
                    </dl>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
