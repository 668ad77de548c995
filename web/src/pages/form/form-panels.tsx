/**
 * The side panels of a form page: where the form stands (status, version, who saved and submitted
 * it, lock), source data verification with what changed since the verified version (monitors
 * verify), and the form lock (data managers lock, and unlock with a reason).
 */
import { useState } from 'react';
import { isApiError } from '../../api/client.js';
import { lockForm, unlockForm, verifyForm, type FormView, type ItemView } from '../../api/ecrf-api.js';
import { Alert } from '../../components/alert.js';
import { describeError } from '../../lib/error-messages.js';
import { formatDateTime } from '../../lib/format.js';
import { FormStatusBadge, formBadgeStatus, SdvBadge } from './badges.js';
import { useEcrfTranslation } from './ecrf-i18n.js';
import { formatValue, itemIdOfPath } from './ecrf-format.js';
import { ReasonDialog } from './reason-dialog.js';

/** Props of the panels. */
export interface FormPanelProps {
  view: FormView;
  me: string;
  /** Called after a change so the page reloads the form. */
  onChanged: (notice: string) => void;
}

/** Status, version and history facts of the form. */
export function FormStatePanel({ view, me }: Omit<FormPanelProps, 'onChanged'>) {
  const { et, locale } = useEcrfTranslation();
  const i = view.instance;
  const who = (by: string | null): string => (by === me ? et('common.you') : (by ?? ''));
  const status = formBadgeStatus(
    i?.status ?? 'not_started',
    i ? { locked: i.locked, sdv: view.sdv?.status ?? 'not_verified' } : null,
  );
  return (
    <dl className="facts ec-facts" data-form-state={status}>
      <div className="facts__item">
        <dt>{et('formPage.status')}</dt>
        <dd>
          <FormStatusBadge status={status} />
        </dd>
      </div>
      {i ? (
        <>
          <div className="facts__item">
            <dt>{et('formPage.version')}</dt>
            <dd>{i.version}</dd>
          </div>
          <div className="facts__item">
            <dt>{et('formPage.lastSaved')}</dt>
            <dd>{et('common.byOn', { by: who(i.updatedBy), date: formatDateTime(i.updatedAt, locale) })}</dd>
          </div>
          {i.submittedAt ? (
            <div className="facts__item">
              <dt>{et('formPage.submittedOn')}</dt>
              <dd>{et('common.byOn', { by: who(i.submittedBy), date: formatDateTime(i.submittedAt, locale) })}</dd>
            </div>
          ) : null}
          {i.locked && i.lockedAt ? (
            <div className="facts__item">
              <dt>{et('formPage.lockedOn')}</dt>
              <dd>{et('common.byOn', { by: who(i.lockedBy), date: formatDateTime(i.lockedAt, locale) })}</dd>
            </div>
          ) : null}
        </>
      ) : null}
    </dl>
  );
}

/** Source data verification (monitors verify; everyone sees the state). */
export function SdvPanel({ view, me, onChanged, mayVerify }: FormPanelProps & { mayVerify: boolean }) {
  const { et, t, pick, locale } = useEcrfTranslation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const sdv = view.sdv;
  const instance = view.instance;
  if (!sdv || !instance) return null;
  const items = new Map<string, ItemView>();
  for (const g of view.definition.groups) for (const item of g.items) items.set(item.id, item);
  const canVerify = mayVerify && instance.status === 'submitted' && sdv.status !== 'verified';

  const verify = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await verifyForm(instance.id, instance.version);
      onChanged(et('sdv.done', { version: instance.version }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card ec-panel" aria-labelledby="sdv-title" data-sdv={sdv.status}>
      <h2 id="sdv-title" className="ec-panel__title">
        {et('sdv.title')}
      </h2>
      <p>
        <SdvBadge status={sdv.status} />{' '}
        {sdv.verifiedAt && sdv.verifiedVersion !== null ? (
          <span className="muted">
            {et('sdv.verifiedFacts', {
              version: sdv.verifiedVersion,
              by: sdv.verifiedBy === me ? et('common.you') : (sdv.verifiedBy ?? ''),
              date: formatDateTime(sdv.verifiedAt, locale),
            })}
          </span>
        ) : null}
      </p>
      {sdv.status === 'changed_since_verification' ? (
        <>
          <p>{et('sdv.changedIntro', { version: sdv.currentVersion })}</p>
          <div className="table-wrap ec-table-wrap">
            <table className="table ec-changes-table">
              <caption className="visually-hidden">{et('sdv.changesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{et('sdv.item')}</th>
                  <th scope="col">{et('sdv.verifiedValue')}</th>
                  <th scope="col">{et('sdv.currentValue')}</th>
                </tr>
              </thead>
              <tbody>
                {sdv.changes.map((c) => {
                  const item = items.get(itemIdOfPath(c.path));
                  return (
                    <tr key={c.path} data-change={c.path}>
                      <th scope="row">{item ? pick(item.label) : c.path}</th>
                      <td>{formatValue(item, c.verified, { et, pick, locale })}</td>
                      <td>{formatValue(item, c.current, { et, pick, locale })}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      {canVerify ? (
        <div className="form__actions">
          <button type="button" className="button button--primary" disabled={busy} onClick={() => void verify()}>
            {et('sdv.verify', { version: instance.version })}
          </button>
        </div>
      ) : mayVerify && instance.status !== 'submitted' ? (
        <p className="muted">{et('sdv.onlySubmitted')}</p>
      ) : null}
    </section>
  );
}

/** The problems a refused lock names (`status`, `queries`). */
export function LockProblems({ error }: { error: unknown }) {
  const { et } = useEcrfTranslation();
  if (!isApiError(error) || error.details.length === 0) return null;
  return (
    <ul className="ec-lock-problems">
      {error.details.map((d) => (
        <li key={`${d.path}:${d.message}`}>
          {d.path === 'queries'
            ? et('lock.problemQueries')
            : d.path === 'status'
              ? et('lock.problemNotSubmitted')
              : d.path.startsWith('forms.')
                ? et('lock.problemDraft', { form: d.path.slice(6) })
                : `${d.path}: ${d.message}`}
        </li>
      ))}
    </ul>
  );
}

/** Lock and unlock of the form (data managers). */
export function FormLockPanel({
  view,
  onChanged,
  mayLock,
  mayUnlock,
}: FormPanelProps & { mayLock: boolean; mayUnlock: boolean }) {
  const { et } = useEcrfTranslation();
  const [dialog, setDialog] = useState<'lock' | 'unlock' | null>(null);
  const instance = view.instance;
  if (!instance || (!mayLock && !mayUnlock)) return null;
  return (
    <section className="card ec-panel" aria-labelledby="lock-title">
      <h2 id="lock-title" className="ec-panel__title">
        {et('lock.formTitle')}
      </h2>
      <p>{instance.locked ? et('lock.formLocked') : et('lock.formOpen')}</p>
      <div className="form__actions">
        {instance.locked && mayUnlock ? (
          <button type="button" className="button button--secondary" onClick={() => setDialog('unlock')}>
            {et('lock.unlockForm')}
          </button>
        ) : null}
        {!instance.locked && mayLock ? (
          <button type="button" className="button button--primary" onClick={() => setDialog('lock')}>
            {et('lock.lockForm')}
          </button>
        ) : null}
      </div>
      {dialog ? (
        <ReasonDialog
          title={dialog === 'lock' ? et('lock.lockFormTitle') : et('lock.unlockFormTitle')}
          intro={<p>{dialog === 'lock' ? et('lock.lockFormIntro') : et('lock.unlockFormIntro')}</p>}
          label={dialog === 'lock' ? et('lock.comment') : et('lock.reason')}
          required={dialog === 'unlock'}
          submitLabel={dialog === 'lock' ? et('lock.lockForm') : et('lock.unlockForm')}
          explain={(err) => <LockProblems error={err} />}
          onClose={() => setDialog(null)}
          onSubmit={async (reason) => {
            if (dialog === 'lock') await lockForm(instance.id, reason || undefined);
            else await unlockForm(instance.id, reason);
            setDialog(null);
            onChanged(dialog === 'lock' ? et('lock.formLockedDone') : et('lock.formUnlockedDone'));
          }}
        />
      ) : null}
    </section>
  );
}
