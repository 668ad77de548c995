/**
 * The query inbox: queries at the user's sites filtered by status (unresolved by default), site,
 * form and age, with counts; each query names its participant, visit, form and item (linked to the
 * item on the form) and offers the actions of the user's role: site staff answer, monitors and
 * data managers close or re-open. The filters live in the address (`?status=…`) so a filtered
 * inbox can be bookmarked or linked from a casebook.
 */
import { useMemo, useState } from 'react';
import { QUERY_AGE_BUCKETS } from '../../../src/core/ecrf/query-age.js';
import {
  fetchQuerySummary,
  listQueries,
  QUERY_STATUSES,
  type QueryFilter,
  type QuerySummary,
  type QueryView,
} from '../api/ecrf-api.js';
import { fetchStudy } from '../api/study-api.js';
import type { Site } from '../api/types.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { SelectField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { useEcrfTranslation } from './form/ecrf-i18n.js';
import { canAtSite, casebookHref, formHref } from './form/ecrf-format.js';
import { controlId } from './form/form-model.js';
import { QueryCard } from './form/query-thread.js';
import { itemLabelOf, useFormDefinitions } from './queries/form-definitions.js';
import './form/ecrf.css';

type StatusFilter = (typeof QUERY_STATUSES)[number] | 'unresolved' | 'all';
type AgeFilter = (typeof QUERY_AGE_BUCKETS)[number] | '';

interface Filters {
  status: StatusFilter;
  siteId: string;
  formId: string;
  age: AgeFilter;
  participantId: string;
}

const STATUS_OPTIONS: readonly StatusFilter[] = ['unresolved', ...QUERY_STATUSES, 'all'];

function readFilters(): Filters {
  const q = new URLSearchParams(window.location.search);
  const status = q.get('status') ?? 'unresolved';
  const age = q.get('age') ?? '';
  return {
    status: (STATUS_OPTIONS as readonly string[]).includes(status) ? (status as StatusFilter) : 'unresolved',
    siteId: q.get('siteId') ?? '',
    formId: q.get('formId') ?? '',
    age: (QUERY_AGE_BUCKETS as readonly string[]).includes(age) ? (age as AgeFilter) : '',
    participantId: q.get('participantId') ?? '',
  };
}

function writeFilters(f: Filters): void {
  const q = new URLSearchParams();
  if (f.status !== 'unresolved') q.set('status', f.status);
  if (f.siteId) q.set('siteId', f.siteId);
  if (f.formId) q.set('formId', f.formId);
  if (f.age) q.set('age', f.age);
  if (f.participantId) q.set('participantId', f.participantId);
  const search = q.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${search ? `?${search}` : ''}`);
}

const inBucket = (days: number, bucket: AgeFilter): boolean =>
  bucket === '' ||
  (bucket === '0-7d'
    ? days <= 7
    : bucket === '8-14d'
      ? days >= 8 && days <= 14
      : bucket === '15-30d'
        ? days >= 15 && days <= 30
        : days > 30);

interface Loaded {
  queries: QueryView[];
  summary: QuerySummary;
  sites: Site[];
}

/** The query inbox page. */
export default function QueriesPage() {
  const { et, t, pick } = useEcrfTranslation();
  const { session } = useSignedIn();
  const [filters, setFilters] = useState<Filters>(readFilters);
  const { state, reload } = useAsync<Loaded>(async () => {
    const f: QueryFilter = {
      ...(filters.status !== 'all' ? { status: filters.status } : {}),
      ...(filters.siteId ? { siteId: filters.siteId } : {}),
      ...(filters.formId ? { formId: filters.formId } : {}),
      ...(filters.participantId ? { participantId: filters.participantId } : {}),
    };
    const [queries, summary, study] = await Promise.all([
      listQueries(f),
      fetchQuerySummary(filters.siteId || undefined),
      fetchStudy(),
    ]);
    return { queries, summary, sites: study.sites };
  });
  const queries = state.status === 'ready' ? state.data.queries : [];
  const defs = useFormDefinitions(
    useMemo(
      () => [
        ...queries.map((q) => q.formId),
        ...Object.keys(state.status === 'ready' ? state.data.summary.unresolved.byForm : {}),
      ],
      [queries, state],
    ),
  );
  const shown = queries.filter((q) => inBucket(q.ageDays, filters.age));

  const change = (patch: Partial<Filters>): void => {
    const next = { ...filters, ...patch };
    setFilters(next);
    writeFilters(next);
    reload();
  };
  const titleOf = (formId: string): string => {
    const d = defs.get(formId);
    return d ? pick(d.title) : formId;
  };
  const grants = session.user.grants;
  const formIds = state.status === 'ready' ? Object.keys(state.data.summary.unresolved.byForm) : [];

  return (
    <>
      <PageHeading>{et('queries.title')}</PageHeading>
      <p className="muted">{et('queries.intro')}</p>
      {state.status === 'ready' ? (
        <section className="card ec-summary-card" aria-label={et('queries.countsTitle')}>
          <p className="ec-counts">
            {QUERY_STATUSES.map((s) => (
              <span key={s} className={`ec-count ec-count--${s}`} data-count={s}>
                <strong>{state.data.summary.byStatus[s] ?? 0}</strong> {et(`queryStatus.${s}`)}
              </span>
            ))}
          </p>
          <p className="ec-counts ec-counts--small">
            <span className="muted">{et('queries.byAge')}</span>
            {QUERY_AGE_BUCKETS.map((b) => (
              <span key={b} className="ec-count" data-age={b}>
                <strong>{state.data.summary.unresolved.byAge[b] ?? 0}</strong> {et(`queries.age.${ageKey(b)}`)}
              </span>
            ))}
          </p>
        </section>
      ) : null}
      <form className="card ec-filters" aria-label={et('queries.filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="queries-status"
          label={et('queries.status')}
          value={filters.status}
          onChange={(e) => change({ status: e.target.value as StatusFilter })}
        >
          {STATUS_OPTIONS.map((s) => (
            <option key={s} value={s}>
              {s === 'unresolved' ? et('queries.unresolved') : s === 'all' ? et('queries.all') : et(`queryStatus.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="queries-site"
          label={et('filters.site')}
          value={filters.siteId}
          onChange={(e) => change({ siteId: e.target.value })}
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
        <SelectField
          id="queries-form"
          label={et('queries.form')}
          value={filters.formId}
          onChange={(e) => change({ formId: e.target.value })}
        >
          <option value="">{et('queries.allForms')}</option>
          {[...new Set([...formIds, ...(filters.formId ? [filters.formId] : [])])].map((f) => (
            <option key={f} value={f}>
              {titleOf(f)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="queries-age"
          label={et('queries.ageFilter')}
          value={filters.age}
          onChange={(e) => change({ age: e.target.value as AgeFilter })}
        >
          <option value="">{et('queries.anyAge')}</option>
          {QUERY_AGE_BUCKETS.map((b) => (
            <option key={b} value={b}>
              {et(`queries.age.${ageKey(b)}`)}
            </option>
          ))}
        </SelectField>
        {filters.participantId ? (
          <div className="ec-filters__actions">
            <button type="button" className="button button--secondary" onClick={() => change({ participantId: '' })}>
              {et('queries.allParticipants')}
            </button>
          </div>
        ) : null}
      </form>
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'ready' ? (
        <section aria-labelledby="queries-list-title">
          <h2 id="queries-list-title" className="ec-section-title" aria-live="polite">
            {et('queries.listTitle', { count: shown.length })}
          </h2>
          {shown.length === 0 ? <p>{et('queries.empty')}</p> : null}
          <div className="ec-query-list">
            {shown.map((q) => {
              const def = defs.get(q.formId);
              const href = formHref({
                participantId: q.participantId,
                visitCode: q.visitCode,
                formId: q.formId,
                instanceId: q.instanceId,
              });
              return (
                <QueryCard
                  key={q.id}
                  query={q}
                  me={session.user.email}
                  rights={{
                    answer: canAtSite(grants, 'query.answer', q.siteId),
                    close: canAtSite(grants, 'query.close', q.siteId),
                  }}
                  onChanged={() => reload()}
                  context={
                    <p className="ec-query__where">
                      <Link href={casebookHref(q.participantId)}>{q.studyId}</Link>
                      {q.visitCode ? <span> · {q.visitCode}</span> : null}
                      <span> · </span>
                      <Link href={q.itemPath ? `${href}#${controlId(q.itemPath)}` : href}>
                        {titleOf(q.formId)}
                        {q.itemPath ? ` – ${itemLabelOf(def, q.itemPath, pick)}` : ''}
                      </Link>
                    </p>
                  }
                />
              );
            })}
          </div>
        </section>
      ) : null}
    </>
  );
}

function ageKey(bucket: (typeof QUERY_AGE_BUCKETS)[number]): 'week' | 'twoWeeks' | 'month' | 'older' {
  return bucket === '0-7d' ? 'week' : bucket === '8-14d' ? 'twoWeeks' : bucket === '15-30d' ? 'month' : 'older';
}
