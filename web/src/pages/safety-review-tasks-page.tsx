/**
 * AE review tasks: signals from the pain diary and from forms that may be adverse events. The
 * investigator records an AE from a task (the AE form, which resolves the task) or dismisses it with
 * a reason; others see the tasks and their decisions.
 */
import { useState } from 'react';
import {
  dismissReviewTask,
  listReviewTasks,
  REVIEW_STATUSES,
  type ReviewStatus,
  type ReviewTask,
} from '../api/safety-api.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { SelectField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { canAnywhere, canAtSite } from './randomization/site-access.js';
import { formatCph } from './randomization/trial-format.js';
import { TaskStatusBadge } from './safety/badges.js';
import { SafetyFrame } from './safety/safety-frame.js';
import { useSafetyStrings } from './safety/safety-i18n.js';
import { TextDialog } from './safety/text-dialog.js';
import './randomization/trial-pages.css';

type Filter = ReviewStatus | 'all';

/** The review tasks page. */
export default function SafetyReviewTasksPage() {
  const { pt, t, locale } = useSafetyStrings();
  const { session } = useSignedIn();
  const grants = session.user.grants;
  const [filter, setFilter] = useState<Filter>('open');
  const { state, reload } = useAsync<ReviewTask[]>(() => listReviewTasks({ status: 'all' }));
  const [dismissing, setDismissing] = useState<ReviewTask | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const shown = state.status === 'ready' ? state.data.filter((x) => filter === 'all' || x.status === filter) : [];
  const mayResolveAny = canAnywhere(grants, 'safety.review.resolve');

  return (
    <SafetyFrame title={pt('tasks.title')}>
      <p className="tp-intro muted">{pt('tasks.intro')}</p>
      {!mayResolveAny ? <p className="muted">{pt('tasks.onlyInvestigator')}</p> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <div className="tp-form-grid">
        <SelectField
          id="task-filter"
          label={pt('tasks.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value as Filter)}
        >
          {[...REVIEW_STATUSES, 'all' as const].map((s) => (
            <option key={s} value={s}>
              {pt(`tasks.statuses.${s}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="tp-section">
        {state.status === 'loading' ? <Loading /> : null}
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
        {state.status === 'ready' && shown.length === 0 ? <p className="tp-empty">{pt('tasks.empty')}</p> : null}
        {shown.length > 0 ? (
          <div className="table-wrap">
            <table className="table table--responsive">
              <caption className="visually-hidden">{pt('tasks.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('tasks.columns.task')}</th>
                  <th scope="col">{pt('tasks.columns.participant')}</th>
                  <th scope="col">{pt('tasks.columns.signal')}</th>
                  <th scope="col">{pt('tasks.columns.created')}</th>
                  <th scope="col">{pt('tasks.columns.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((task) => {
                  const facts = Object.entries(task.data);
                  const mayResolve = task.status === 'open' && canAtSite(grants, 'safety.review.resolve', task.siteId);
                  return (
                    <tr key={task.id} data-task={task.taskNumber}>
                      <th scope="row">
                        <span className="tp-code">{task.taskNumber}</span>
                        <span className="tp-sub">
                          <TaskStatusBadge status={task.status} />
                        </span>
                      </th>
                      <td data-label={pt('tasks.columns.participant')} className="tp-code">
                        {task.studyId}
                      </td>
                      <td data-label={pt('tasks.columns.signal')}>
                        <strong>{pt(`tasks.sources.${task.source}`)}:</strong> {task.summary}
                        {facts.length > 0 ? (
                          <dl className="tp-kv tp-section">
                            {facts.map(([k, v]) => (
                              <div key={k} className="tp-kv__row">
                                <dt>{k}</dt>
                                <dd>{v === null ? '—' : String(v)}</dd>
                              </div>
                            ))}
                          </dl>
                        ) : null}
                      </td>
                      <td data-label={pt('tasks.columns.created')}>
                        {formatCph(task.createdAt, locale)}
                        <span className="tp-sub">{pt('common.by', { by: task.createdBy })}</span>
                      </td>
                      <td data-label={pt('tasks.columns.actions')}>
                        {mayResolve ? (
                          <div className="tp-actions">
                            <Link
                              href={`/safety/adverse-events/new?task=${encodeURIComponent(task.id)}`}
                              className="button button--primary button--small"
                            >
                              {pt('tasks.recordAe')}
                            </Link>
                            <button
                              type="button"
                              className="button button--secondary button--small"
                              onClick={() => {
                                setNotice(null);
                                setDismissing(task);
                              }}
                            >
                              {pt('tasks.dismiss')}
                            </button>
                          </div>
                        ) : task.status === 'ae_recorded' && task.aeId ? (
                          <Link href={`/safety/adverse-events/${encodeURIComponent(task.aeId)}`}>
                            {pt('tasks.resolvedAe', { ae: task.aeNumber ?? '' })}
                          </Link>
                        ) : task.status === 'dismissed' ? (
                          pt('tasks.resolvedReason', { reason: task.resolutionReason ?? '' })
                        ) : (
                          '—'
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      {dismissing ? (
        <TextDialog
          title={pt('tasks.dismissTitle', { task: dismissing.taskNumber })}
          intro={pt('tasks.dismissIntro')}
          label={pt('form.reason')}
          submitLabel={pt('tasks.dismiss')}
          onClose={() => setDismissing(null)}
          onSubmit={async (reason) => {
            const done = await dismissReviewTask(dismissing.id, reason);
            setDismissing(null);
            setNotice(pt('tasks.dismissed', { task: done.taskNumber }));
            reload();
          }}
        />
      ) : null}
    </SafetyFrame>
  );
}
