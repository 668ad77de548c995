/**
 * The end of a casebook's life cycle: the investigator's e-signature (statement, meaning,
 * password re-entered; voided by any later data change) and the data manager's casebook lock
 * (no drafts, no unresolved queries) and unlock with a reason.
 */
import { useState, type FormEvent } from 'react';
import { fieldErrors, isApiError } from '../../api/client.js';
import { lockCasebook, signCasebook, unlockCasebook, type CasebookView } from '../../api/ecrf-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { formatDateTime } from '../../lib/format.js';
import { useEcrfTranslation } from '../form/ecrf-i18n.js';
import { LockProblems } from '../form/form-panels.js';
import { ReasonDialog } from '../form/reason-dialog.js';

/** Props of CasebookSignOff. */
export interface CasebookSignOffProps {
  casebook: CasebookView;
  me: string;
  maySign: boolean;
  mayLock: boolean;
  mayUnlock: boolean;
  onChanged: (notice: string) => void;
}

function SignDialog({
  casebook,
  onClose,
  onSigned,
}: {
  casebook: CasebookView;
  onClose: () => void;
  onSigned: () => void;
}) {
  const { et, t } = useEcrfTranslation();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    if (password === '') {
      setFieldError(t('errors.required'));
      document.getElementById('casebook-password')?.focus();
      return;
    }
    setBusy(true);
    try {
      await signCasebook(casebook.participant.id, password);
      onSigned();
    } catch (err) {
      const fields = isApiError(err) ? fieldErrors(err.details) : {};
      if (fields.signature) setFieldError(et('signature.wrongPassword'));
      else setError(err);
      setPassword('');
      document.getElementById('casebook-password')?.focus();
      setBusy(false);
    }
  };

  return (
    <Dialog title={et('signature.dialogTitle', { studyId: casebook.participant.studyId })} onClose={onClose}>
      <blockquote className="ec-statement">
        {et('signature.statement', { studyId: casebook.participant.studyId })}
      </blockquote>
      <p className="ec-statement__meaning">{et('signature.meaning')}</p>
      {error ? (
        <Alert tone="error">
          {describeError(t, error)}
          <LockProblems error={error} />
        </Alert>
      ) : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="casebook-password"
          type="password"
          label={et('signature.password')}
          hint={et('signature.passwordHint')}
          autoComplete="current-password"
          required
          autoFocus
          value={password}
          error={fieldError}
          onChange={(e) => {
            setPassword(e.target.value);
            setFieldError(undefined);
          }}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {et('signature.sign')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {et('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The signature and lock card of the casebook page. */
export function CasebookSignOff({ casebook, me, maySign, mayLock, mayUnlock, onChanged }: CasebookSignOffProps) {
  const { et, locale } = useEcrfTranslation();
  const [dialog, setDialog] = useState<'sign' | 'lock' | 'unlock' | null>(null);
  const state = casebook.casebook;
  const who = (by: string | null): string => (by === me ? et('common.you') : (by ?? ''));
  const unresolved = casebook.queries.open + casebook.queries.answered;
  const needs: string[] = [];
  if (casebook.progress.draft > 0) needs.push(et('lock.needsNoDrafts', { count: casebook.progress.draft }));
  if (unresolved > 0) needs.push(et('lock.needsNoQueries', { count: unresolved }));

  return (
    <section
      className="card ec-panel"
      aria-labelledby="signoff-title"
      data-casebook-locked={state.locked}
      data-casebook-signed={state.signature !== null}
    >
      <h2 id="signoff-title" className="ec-panel__title">
        {et('casebook.signOffTitle')}
      </h2>
      <div className="ec-signoff">
        <div className="ec-signoff__part">
          <h3 className="ec-subtitle">{et('signature.title')}</h3>
          {state.signature ? (
            <p>
              <span className="ec-badge ec-badge--success">✓ {et('signature.signedBadge')}</span>{' '}
              {et('signature.signed', {
                by: who(state.signature.signedBy),
                date: formatDateTime(state.signature.signedAt, locale),
              })}
            </p>
          ) : (
            <p>{et('signature.notSigned')}</p>
          )}
          {!state.signature && maySign ? (
            <button type="button" className="button button--primary" onClick={() => setDialog('sign')}>
              {et('signature.button')}
            </button>
          ) : null}
          {!state.signature && !maySign ? <p className="muted">{et('signature.onlyInvestigator')}</p> : null}
        </div>
        <div className="ec-signoff__part">
          <h3 className="ec-subtitle">{et('lock.casebookTitle')}</h3>
          {state.locked ? (
            <p>
              <span className="ec-badge ec-badge--primary">{et('lock.lockedBadge')}</span>{' '}
              {state.lockedAt
                ? et('lock.lockedFacts', { by: who(state.lockedBy), date: formatDateTime(state.lockedAt, locale) })
                : null}
            </p>
          ) : (
            <p>{et('lock.casebookOpen')}</p>
          )}
          {!state.locked && mayLock && needs.length > 0 ? (
            <ul id="lock-needs" className="ec-needs">
              {needs.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          {!state.locked && mayLock ? (
            <button
              type="button"
              className="button button--primary"
              onClick={() => setDialog('lock')}
              aria-describedby={needs.length > 0 ? 'lock-needs' : undefined}
            >
              {et('lock.lockCasebook')}
            </button>
          ) : null}
          {state.locked && mayUnlock ? (
            <button type="button" className="button button--secondary" onClick={() => setDialog('unlock')}>
              {et('lock.unlockCasebook')}
            </button>
          ) : null}
          {!mayLock && !state.locked ? <p className="muted">{et('lock.onlyDataManager')}</p> : null}
        </div>
      </div>
      {dialog === 'sign' ? (
        <SignDialog
          casebook={casebook}
          onClose={() => setDialog(null)}
          onSigned={() => {
            setDialog(null);
            onChanged(et('signature.done'));
          }}
        />
      ) : null}
      {dialog === 'lock' || dialog === 'unlock' ? (
        <ReasonDialog
          title={
            dialog === 'lock'
              ? et('lock.lockCasebookTitle', { studyId: casebook.participant.studyId })
              : et('lock.unlockCasebookTitle', { studyId: casebook.participant.studyId })
          }
          intro={<p>{dialog === 'lock' ? et('lock.lockCasebookIntro') : et('lock.unlockCasebookIntro')}</p>}
          label={dialog === 'lock' ? et('lock.comment') : et('lock.reason')}
          required={dialog === 'unlock'}
          submitLabel={dialog === 'lock' ? et('lock.lockCasebook') : et('lock.unlockCasebook')}
          explain={(err) => <LockProblems error={err} />}
          onClose={() => setDialog(null)}
          onSubmit={async (reason) => {
            if (dialog === 'lock') await lockCasebook(casebook.participant.id, reason || undefined);
            else await unlockCasebook(casebook.participant.id, reason);
            setDialog(null);
            onChanged(dialog === 'lock' ? et('lock.casebookLockedDone') : et('lock.casebookUnlockedDone'));
          }}
        />
      ) : null}
    </section>
  );
}
