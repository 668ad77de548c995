/** The study overview: identity, registry id, protocol version, enrolment target, sites, lock state and your roles. */
import { fetchStudy } from '../api/study-api.js';
import type { StudyOverview } from '../api/types.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { useTranslation } from '../i18n/use-translation.js';
import { describeError } from '../lib/error-messages.js';
import { formatDateTime } from '../lib/format.js';
import { grantLabel } from '../lib/role-labels.js';
import { useAsync } from '../lib/use-async.js';

function StudyDetails({ study }: { study: StudyOverview }) {
  const { t, language, locale } = useTranslation();
  const { session } = useSignedIn();
  const grants = session.user.grants;
  return (
    <div className="grid">
      <section className="card grid__wide" aria-labelledby="ov-study">
        <h2 id="ov-study" className="card__title">
          {t('overview.study')}
        </h2>
        <p className="study-acronym">{study.acronym}</p>
        <p className="study-title">{study.title}</p>
        <dl className="facts">
          <div className="facts__item">
            <dt>{t('overview.registryId')}</dt>
            <dd className="mono">{study.registryId}</dd>
          </div>
          <div className="facts__item">
            <dt>{t('overview.protocolVersion')}</dt>
            <dd className="mono">{study.protocolVersion}</dd>
          </div>
          <div className="facts__item">
            <dt>{t('overview.enrolmentTarget')}</dt>
            <dd>{t('overview.participants', { count: study.enrolmentTarget })}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="ov-db">
        <h2 id="ov-db" className="card__title">
          {t('overview.database')}
        </h2>
        <dl className="facts facts--stacked">
          <div className="facts__item">
            <dt>{t('overview.lockState')}</dt>
            <dd>
              {study.databaseLocked ? (
                <span className="badge badge--warning">
                  {study.lockedAt
                    ? t('overview.lockedSince', { date: formatDateTime(study.lockedAt, locale) })
                    : t('overview.locked')}
                </span>
              ) : (
                <span className="badge badge--success">{t('overview.open')}</span>
              )}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{t('overview.userAccounts')}</dt>
            <dd>{study.counts.users.toLocaleString(locale)}</dd>
          </div>
          <div className="facts__item">
            <dt>{t('overview.auditRecords')}</dt>
            <dd>{study.counts.auditRecords.toLocaleString(locale)}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby="ov-sites">
        <h2 id="ov-sites" className="card__title">
          {t('overview.sites')}
        </h2>
        {study.sites.length === 0 ? (
          <p className="muted">{t('overview.noSites')}</p>
        ) : (
          <ul className="plain-list">
            {study.sites.map((site) => (
              <li key={site.id}>
                <span className="badge badge--neutral mono">{site.code}</span> {site.name}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="ov-roles">
        <h2 id="ov-roles" className="card__title">
          {t('overview.yourRoles')}
        </h2>
        {grants.length === 0 ? (
          <p className="muted">{t('overview.noRoles')}</p>
        ) : (
          <ul className="plain-list">
            {grants.map((g) => (
              <li key={`${g.role}:${g.siteId ?? '*'}`}>
                {grantLabel(g, study.sites, language, t('overview.allSites'))}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** The landing page after sign-in. */
export default function OverviewPage() {
  const { t } = useTranslation();
  const { state } = useAsync(fetchStudy);
  return (
    <>
      <PageHeading>{t('overview.title')}</PageHeading>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? <StudyDetails study={state.data} /> : null}
    </>
  );
}
