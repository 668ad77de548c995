/**
 * The visit calendar: overdue, due and upcoming visits at the user's sites with target date,
 * window and status, filtered by site and period; each row opens the participant's casebook.
 */
import { useState } from 'react';
import { fetchCalendar, type CalendarView } from '../api/ecrf-api.js';
import { fetchStudy } from '../api/study-api.js';
import type { Site } from '../api/types.js';
import { Link } from '../app/link.js';
import { Alert } from '../components/alert.js';
import { SelectField, TextField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { VisitStatusBadge } from './form/badges.js';
import { useEcrfTranslation } from './form/ecrf-i18n.js';
import { casebookHref, formatDateRange, formatPlainDate } from './form/ecrf-format.js';
import './form/ecrf.css';

interface Filter {
  siteId: string;
  from: string;
  to: string;
}

/** The calendar page. */
export default function CalendarPage() {
  const { et, t, pick, locale } = useEcrfTranslation();
  const [filter, setFilter] = useState<Filter>({ siteId: '', from: '', to: '' });
  const [applied, setApplied] = useState<Filter>(filter);
  const { state, reload } = useAsync<{ calendar: CalendarView; sites: Site[] }>(async () => {
    const [calendar, study] = await Promise.all([
      fetchCalendar({
        ...(applied.siteId ? { siteId: applied.siteId } : {}),
        ...(applied.from ? { from: applied.from } : {}),
        ...(applied.to ? { to: applied.to } : {}),
      }),
      fetchStudy(),
    ]);
    return { calendar, sites: study.sites };
  });

  const apply = (next: Filter): void => {
    // Both updates land in one render, whose loader reads the new filter.
    setApplied(next);
    reload();
  };

  return (
    <>
      <PageHeading>{et('calendar.title')}</PageHeading>
      <p className="muted">{et('calendar.intro')}</p>
      <form
        className="card ec-filters"
        aria-label={et('calendar.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          apply(filter);
        }}
      >
        <SelectField
          id="calendar-site"
          label={et('filters.site')}
          value={filter.siteId}
          onChange={(e) => setFilter({ ...filter, siteId: e.target.value })}
        >
          <option value="">{et('filters.allSites')}</option>
          {state.status === 'ready'
            ? state.data.sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code} · {s.name}
                </option>
              ))
            : null}
        </SelectField>
        <TextField
          id="calendar-from"
          type="date"
          label={et('calendar.from')}
          value={filter.from}
          onChange={(e) => setFilter({ ...filter, from: e.target.value })}
        />
        <TextField
          id="calendar-to"
          type="date"
          label={et('calendar.to')}
          value={filter.to}
          onChange={(e) => setFilter({ ...filter, to: e.target.value })}
        />
        <div className="ec-filters__actions">
          <button type="submit" className="button button--primary">
            {et('filters.apply')}
          </button>
        </div>
      </form>
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'ready' ? (
        <>
          <p className="ec-counts" aria-live="polite">
            <span className="ec-count ec-count--danger" data-count="overdue">
              <strong>{state.data.calendar.counts.overdue}</strong> {et('calendar.overdue')}
            </span>
            <span className="ec-count ec-count--info" data-count="due">
              <strong>{state.data.calendar.counts.due}</strong> {et('calendar.due')}
            </span>
            <span className="ec-count" data-count="upcoming">
              <strong>{state.data.calendar.counts.upcoming}</strong> {et('calendar.upcoming')}
            </span>
            <span className="muted">
              {et('calendar.period', {
                from: formatPlainDate(state.data.calendar.from, locale),
                to: formatPlainDate(state.data.calendar.to, locale),
              })}
            </span>
          </p>
          {state.data.calendar.entries.length === 0 ? (
            <p>{et('calendar.empty')}</p>
          ) : (
            <div className="table-wrap ec-table-wrap">
              <table className="table ec-stack-table">
                <caption className="visually-hidden">{et('calendar.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{et('calendar.participant')}</th>
                    <th scope="col">{et('calendar.visit')}</th>
                    <th scope="col">{et('calendar.target')}</th>
                    <th scope="col">{et('calendar.window')}</th>
                    <th scope="col">{et('calendar.status')}</th>
                    <th scope="col">{et('calendar.site')}</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.calendar.entries.map((e) => {
                    const site = state.data.sites.find((s) => s.id === e.siteId);
                    return (
                      <tr key={`${e.participantId}/${e.visit}`} data-entry={`${e.studyId}/${e.visit}`}>
                        <th scope="row" data-label={et('calendar.participant')}>
                          <Link href={casebookHref(e.participantId)}>{e.studyId}</Link>
                        </th>
                        <td data-label={et('calendar.visit')}>
                          {pick(e.name)} <span className="muted">({e.visit})</span>
                        </td>
                        <td data-label={et('calendar.target')}>{formatPlainDate(e.target, locale)}</td>
                        <td data-label={et('calendar.window')}>{formatDateRange(e.earliest, e.latest, locale)}</td>
                        <td data-label={et('calendar.status')}>
                          <VisitStatusBadge status={e.status} />
                          {e.daysOverdue !== null && e.daysOverdue > 0 ? (
                            <span className="ec-visit__overdue">
                              {' '}
                              {et('visit.daysOverdue', { count: e.daysOverdue })}
                            </span>
                          ) : null}
                        </td>
                        <td data-label={et('calendar.site')}>{site?.code ?? e.siteId}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </>
  );
}
