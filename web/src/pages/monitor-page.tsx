/**
 * The monitor's worklist: submitted forms not yet verified against source documents, or changed
 * since verification, per site. Each opens the form read-only with its SDV panel (what changed
 * since the verified version, and "Verify") and the raise-query buttons.
 */
import { useState } from 'react';
import { fetchSdvWorklist, type SdvWorklistEntry } from '../api/ecrf-api.js';
import { fetchStudy } from '../api/study-api.js';
import type { Site } from '../api/types.js';
import { Link } from '../app/link.js';
import { Alert } from '../components/alert.js';
import { SelectField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { formatDateTime } from '../lib/format.js';
import { useAsync } from '../lib/use-async.js';
import { SdvBadge } from './form/badges.js';
import { useEcrfTranslation } from './form/ecrf-i18n.js';
import { casebookHref, formHref } from './form/ecrf-format.js';
import { useFormDefinitions } from './queries/form-definitions.js';
import './form/ecrf.css';

/** The SDV worklist page. */
export default function MonitorPage() {
  const { et, t, pick, locale } = useEcrfTranslation();
  const [siteId, setSiteId] = useState('');
  const { state, reload } = useAsync<{ forms: SdvWorklistEntry[]; sites: Site[] }>(async () => {
    const [forms, study] = await Promise.all([fetchSdvWorklist(siteId ? { siteId } : {}), fetchStudy()]);
    return { forms, sites: study.sites };
  });
  const forms = state.status === 'ready' ? state.data.forms : [];
  const defs = useFormDefinitions(forms.map((f) => f.formId));
  const changed = forms.filter((f) => f.sdvStatus === 'changed_since_verification').length;

  return (
    <>
      <PageHeading>{et('monitor.title')}</PageHeading>
      <p className="muted">{et('monitor.intro')}</p>
      <form className="card ec-filters" aria-label={et('monitor.filters')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="monitor-site"
          label={et('filters.site')}
          value={siteId}
          onChange={(e) => {
            setSiteId(e.target.value);
            reload();
          }}
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
      </form>
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'ready' ? (
        <>
          <p className="ec-counts">
            <span className="ec-count" data-count="waiting">
              <strong>{forms.length}</strong> {et('monitor.waiting')}
            </span>
            <span className="ec-count ec-count--answered" data-count="changed">
              <strong>{changed}</strong> {et('monitor.changed')}
            </span>
          </p>
          {forms.length === 0 ? (
            <p>{et('monitor.empty')}</p>
          ) : (
            <div className="table-wrap ec-table-wrap">
              <table className="table ec-stack-table">
                <caption className="visually-hidden">{et('monitor.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{et('monitor.participant')}</th>
                    <th scope="col">{et('monitor.form')}</th>
                    <th scope="col">{et('monitor.visit')}</th>
                    <th scope="col">{et('monitor.version')}</th>
                    <th scope="col">{et('monitor.sdv')}</th>
                    <th scope="col">{et('monitor.updated')}</th>
                  </tr>
                </thead>
                <tbody>
                  {forms.map((f) => {
                    const def = defs.get(f.formId);
                    const title = def ? pick(def.title) : f.formId;
                    return (
                      <tr key={f.instanceId} data-worklist={`${f.studyId}/${f.visitCode ?? ''}/${f.formId}`}>
                        <th scope="row" data-label={et('monitor.participant')}>
                          <Link href={casebookHref(f.participantId)}>{f.studyId}</Link>
                        </th>
                        <td data-label={et('monitor.form')}>
                          <Link
                            href={formHref({
                              participantId: f.participantId,
                              visitCode: f.visitCode,
                              formId: f.formId,
                              instanceId: f.instanceId,
                            })}
                          >
                            {et('monitor.review', { form: title })}
                          </Link>
                        </td>
                        <td data-label={et('monitor.visit')}>{f.visitCode ?? '—'}</td>
                        <td data-label={et('monitor.version')}>{f.version}</td>
                        <td data-label={et('monitor.sdv')}>
                          <SdvBadge status={f.sdvStatus} />
                          {f.verifiedVersion !== null ? (
                            <span className="muted">
                              {' '}
                              {et('monitor.verifiedVersion', { version: f.verifiedVersion })}
                            </span>
                          ) : null}
                        </td>
                        <td data-label={et('monitor.updated')}>{formatDateTime(f.updatedAt, locale)}</td>
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
