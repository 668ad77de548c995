/**
 * The participant-level forms of a casebook: logs and event forms (concomitant medication,
 * unscheduled visits, protocol deviations, end of study) with their instances, and "Add" for the
 * repeating ones. Forms another feature keeps (adverse events) are named but not entered here.
 */
import type { CasebookView } from '../../api/ecrf-api.js';
import { Link } from '../../app/link.js';
import { FormStatusBadge, formBadgeStatus } from '../form/badges.js';
import { useEcrfTranslation } from '../form/ecrf-i18n.js';
import { formatPlainDate, instanceHref, participantFormHref } from '../form/ecrf-format.js';
import { managedByKey } from './managed-by.js';

/** Props of CasebookLogs. */
export interface CasebookLogsProps {
  casebook: CasebookView;
  mayWrite: boolean;
}

/** The logs card. */
export function CasebookLogs({ casebook, mayWrite }: CasebookLogsProps) {
  const { et, pick, locale } = useEcrfTranslation();
  const pid = casebook.participant.id;
  return (
    <section className="card ec-panel" aria-labelledby="logs-title">
      <h2 id="logs-title" className="ec-panel__title">
        {et('casebook.logsTitle')}
      </h2>
      <ul className="plain-list ec-logs">
        {casebook.logs.map((log) => {
          const title = pick(log.title);
          return (
            <li key={log.formId} className="ec-log" data-log={log.formId}>
              <div className="ec-log__head">
                <span className="ec-log__title">{title}</span>
                {log.managedBy !== null ? (
                  <span className="muted">{et(managedByKey(log.managedBy))}</span>
                ) : log.repeating ? (
                  mayWrite ? (
                    <Link
                      href={`${participantFormHref(pid, log.formId)}/new`}
                      className="button button--secondary button--small"
                    >
                      {et('casebook.add', { form: title })}
                    </Link>
                  ) : null
                ) : log.instances.length === 0 ? (
                  <Link href={participantFormHref(pid, log.formId)} className="button button--secondary button--small">
                    {mayWrite ? et('casebook.start', { form: title }) : et('casebook.open', { form: title })}
                  </Link>
                ) : null}
              </div>
              {log.instances.length > 0 ? (
                <ul className="plain-list ec-log__instances">
                  {log.instances.map((i) => (
                    <li key={i.instanceId}>
                      <Link href={log.repeating ? instanceHref(i.instanceId) : participantFormHref(pid, log.formId)}>
                        {log.repeating ? et('casebook.instance', { form: title, n: i.repeatNo }) : title}
                      </Link>{' '}
                      <FormStatusBadge status={formBadgeStatus(i.status, i)} />{' '}
                      {i.openQueries > 0 ? (
                        <span className="ec-badge ec-badge--danger">
                          {et('casebook.openQueries', { count: i.openQueries })}
                        </span>
                      ) : null}{' '}
                      <span className="muted">{formatPlainDate(i.updatedAt.slice(0, 10), locale)}</span>
                    </li>
                  ))}
                </ul>
              ) : log.repeating && log.managedBy === null ? (
                <p className="muted">{et('casebook.noEntries')}</p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
