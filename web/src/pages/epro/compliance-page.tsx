/**
 * Diary compliance for the site (`/epro/compliance`): per site, per participant the pain-diary days
 * completed of 30 with a bar, late and missed days and the share of due days; filter by site, sort
 * by lowest compliance; and the site's recent missed-day alerts with their e-mail delivery. Blinded:
 * no arm anywhere (the API has none to give).
 */
import { useState } from 'react';
import { listEproCompliance, listSiteAlerts, type ComplianceRow, type SiteAlert } from '../../api/epro-api.js';
import { fetchStudy } from '../../api/study-api.js';
import type { Site } from '../../api/types.js';
import { Link } from '../../app/link.js';
import { Alert } from '../../components/alert.js';
import { SelectField } from '../../components/field.js';
import { Loading } from '../../components/loading.js';
import { PageHeading } from '../../components/page-heading.js';
import { describeError } from '../../lib/error-messages.js';
import { useAsync } from '../../lib/use-async.js';
import { formatCph, formatNumber } from '../randomization/trial-format.js';
import { DaysBar } from './diary-and-scores.js';
import { AccessStatusBadge } from './epro-badges.js';
import { useEproStrings } from './epro-i18n.js';
import '../randomization/trial-pages.css';

type Sort = 'lowest' | 'studyId';
const SORTS: readonly Sort[] = ['lowest', 'studyId'];

interface ComplianceData {
  rows: ComplianceRow[];
  alerts: SiteAlert[];
  sites: Site[];
}

/** Lowest compliance first: share of due days (participants with nothing due yet last), then days completed. */
function byLowestCompliance(a: ComplianceRow, b: ComplianceRow): number {
  const pa = a.percentOfDue ?? Number.POSITIVE_INFINITY;
  const pb = b.percentOfDue ?? Number.POSITIVE_INFINITY;
  if (pa !== pb) return pa - pb;
  return a.compliance.completed - b.compliance.completed || a.studyId.localeCompare(b.studyId);
}

const participantEproHref = (participantId: string): string =>
  `/participants/${encodeURIComponent(participantId)}/epro`;

/** One site's table. */
function SiteTable({ label, rows }: { label: string; rows: ComplianceRow[] }) {
  const { pt, locale } = useEproStrings();
  const none = pt('common.none');
  return (
    <div className="table-wrap">
      <table className="table table--responsive">
        <caption className="visually-hidden">{pt('compliance.caption', { site: label })}</caption>
        <thead>
          <tr>
            <th scope="col">{pt('compliance.columns.participant')}</th>
            <th scope="col">{pt('compliance.columns.access')}</th>
            <th scope="col">{pt('compliance.columns.completed')}</th>
            <th scope="col">{pt('compliance.columns.late')}</th>
            <th scope="col">{pt('compliance.columns.missed')}</th>
            <th scope="col">{pt('compliance.columns.percent')}</th>
            <th scope="col">{pt('compliance.columns.lastLogin')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.participantId} data-participant={r.studyId}>
              <th scope="row">
                <Link href={participantEproHref(r.participantId)} className="tp-code">
                  {r.studyId}
                </Link>
              </th>
              <td data-label={pt('compliance.columns.access')}>
                <AccessStatusBadge status={r.eproEnrolled ? r.accessStatus : null} />
              </td>
              <td data-label={pt('compliance.columns.completed')}>
                {r.day0 === null ? pt('compliance.notStarted') : <DaysBar compliance={r.compliance} />}
              </td>
              <td data-label={pt('compliance.columns.late')} className="tp-num">
                {r.compliance.late}
              </td>
              <td data-label={pt('compliance.columns.missed')} className="tp-num">
                {r.compliance.missed}
              </td>
              <td data-label={pt('compliance.columns.percent')} className="tp-num">
                {r.percentOfDue === null ? none : `${formatNumber(r.percentOfDue, locale, 1)} %`}
              </td>
              <td data-label={pt('compliance.columns.lastLogin')}>
                {r.lastLoginAt ? formatCph(r.lastLoginAt, locale) : none}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The recent missed-day alerts. */
function AlertsTable({ alerts, siteLabel }: { alerts: SiteAlert[]; siteLabel: (id: string) => string }) {
  const { pt, locale } = useEproStrings();
  const delivery = (a: SiteAlert): string =>
    a.delivery === 'sent' && a.sentAt
      ? pt('compliance.alerts.delivery.sent', { time: formatCph(a.sentAt, locale) })
      : a.delivery === 'failed'
        ? pt('compliance.alerts.delivery.failed', { attempts: a.attempts })
        : pt('compliance.alerts.delivery.pending');
  return (
    <section className="card tp-section" aria-labelledby="epro-alerts">
      <h2 id="epro-alerts" className="card__title">
        {pt('compliance.alerts.title')}
      </h2>
      <p className="muted">{pt('compliance.alerts.intro')}</p>
      {alerts.length === 0 ? (
        <p className="tp-empty">{pt('compliance.alerts.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--responsive">
            <caption className="visually-hidden">{pt('compliance.alerts.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{pt('compliance.alerts.columns.when')}</th>
                <th scope="col">{pt('compliance.alerts.columns.participant')}</th>
                <th scope="col">{pt('compliance.alerts.columns.day')}</th>
                <th scope="col">{pt('compliance.alerts.columns.site')}</th>
                <th scope="col">{pt('compliance.alerts.columns.delivery')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id} data-alert={`${a.studyId ?? ''}-${a.visitCode ?? ''}`}>
                  <th scope="row">{formatCph(a.createdAt, locale)}</th>
                  <td data-label={pt('compliance.alerts.columns.participant')}>
                    {a.participantId ? (
                      <Link href={participantEproHref(a.participantId)} className="tp-code">
                        {a.studyId ?? a.participantId}
                      </Link>
                    ) : (
                      pt('common.none')
                    )}
                  </td>
                  <td data-label={pt('compliance.alerts.columns.day')} className="tp-code">
                    {a.visitCode ?? pt('common.none')}
                  </td>
                  <td data-label={pt('compliance.alerts.columns.site')}>{siteLabel(a.siteId)}</td>
                  <td data-label={pt('compliance.alerts.columns.delivery')}>{delivery(a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The compliance page. */
export default function EproCompliancePage() {
  const { pt, t } = useEproStrings();
  const [siteFilter, setSiteFilter] = useState('all');
  const [sort, setSort] = useState<Sort>('lowest');
  const { state } = useAsync<ComplianceData>(async () => {
    const [rows, alerts, study] = await Promise.all([listEproCompliance(), listSiteAlerts(), fetchStudy()]);
    return { rows, alerts, sites: study.sites };
  });
  const heading = <PageHeading>{pt('compliance.title')}</PageHeading>;
  if (state.status !== 'ready') {
    return (
      <>
        {heading}
        {state.status === 'loading' ? <Loading /> : <Alert tone="error">{describeError(t, state.error)}</Alert>}
      </>
    );
  }
  const { rows, alerts, sites } = state.data;
  const siteLabel = (id: string): string => {
    const s = sites.find((x) => x.id === id);
    return s ? `${s.code} · ${s.name}` : id;
  };
  // The sites the user sees participants or alerts of, in the study's order (unknown ids last).
  const siteIds = [...new Set([...rows.map((r) => r.siteId), ...alerts.map((a) => a.siteId)])].sort(
    (a, b) =>
      (sites.findIndex((s) => s.id === a) + 1 || Infinity) - (sites.findIndex((s) => s.id === b) + 1 || Infinity),
  );
  const shownSites = siteFilter === 'all' ? siteIds : siteIds.filter((id) => id === siteFilter);
  const compare =
    sort === 'lowest' ? byLowestCompliance : (a: ComplianceRow, b: ComplianceRow) => a.studyId.localeCompare(b.studyId);

  return (
    <>
      {heading}
      <p className="tp-intro muted">{pt('compliance.intro')}</p>
      <div className="tp-form-grid">
        <SelectField
          id="compliance-site"
          label={pt('compliance.site')}
          value={siteFilter}
          onChange={(e) => setSiteFilter(e.target.value)}
        >
          <option value="all">{pt('common.allSites')}</option>
          {siteIds.map((id) => (
            <option key={id} value={id}>
              {siteLabel(id)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="compliance-sort"
          label={pt('compliance.sort')}
          value={sort}
          onChange={(e) => setSort(e.target.value as Sort)}
        >
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {pt(`compliance.sorts.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {shownSites.map((siteId) => {
        const siteRows = rows.filter((r) => r.siteId === siteId).sort(compare);
        return (
          <section key={siteId} className="card tp-section" aria-labelledby={`compliance-${siteId}`}>
            <h2 id={`compliance-${siteId}`} className="card__title">
              {siteLabel(siteId)}
            </h2>
            {siteRows.length === 0 ? (
              <p className="tp-empty">{pt('compliance.empty')}</p>
            ) : (
              <SiteTable label={siteLabel(siteId)} rows={siteRows} />
            )}
          </section>
        );
      })}
      <AlertsTable alerts={alerts.filter((a) => shownSites.includes(a.siteId))} siteLabel={siteLabel} />
    </>
  );
}
