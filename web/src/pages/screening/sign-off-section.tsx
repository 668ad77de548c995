/**
 * The investigator's sign-off of eligibility: its state, what is still needed, and the
 * e-signature dialog that states what the signature means and asks for the password again.
 */
import { useState, type FormEvent } from 'react';
import { signOffScreening, type ScreeningView } from '../../api/screening-api.js';
import { useSignedIn } from '../../app/session.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextField } from '../../components/field.js';
import { FormActions } from '../../components/form-actions.js';
import { describeError } from '../../lib/error-messages.js';
import { formatDateTime } from '../../lib/format.js';
import { screeningFieldErrors } from './screening-errors.js';
import { canAtSite } from './screening-format.js';
import { useScreeningTranslation } from './screening-i18n.js';

/** Props of SignOffSection. */
export interface SignOffSectionProps {
  screening: ScreeningView;
  /** True while the form has unsaved changes: the signature must cover saved data. */
  unsaved: boolean;
  onSigned: (screening: ScreeningView) => void;
}

function SignOffDialog({
  screening,
  onSigned,
  onClose,
}: {
  screening: ScreeningView;
  onSigned: (s: ScreeningView) => void;
  onClose: () => void;
}) {
  const { st, t } = useScreeningTranslation();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    if (password === '') {
      setFieldError(t('errors.required'));
      document.getElementById('sign-off-password')?.focus();
      return;
    }
    setBusy(true);
    try {
      onSigned(await signOffScreening(screening.id, password));
    } catch (err) {
      const fields = screeningFieldErrors(st, t, err);
      setFieldError(fields.signature);
      if (!fields.signature) setError(err);
      setPassword('');
      document.getElementById('sign-off-password')?.focus();
      setBusy(false);
    }
  };

  return (
    <Dialog title={st('signOff.dialogTitle')} onClose={onClose}>
      <blockquote className="sc-signature-statement">
        {st('signOff.statement', { number: screening.screeningNumber, protocol: screening.protocolVersion })}
      </blockquote>
      <p className="sc-signature-meaning">{st('signOff.meaning')}</p>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <TextField
          id="sign-off-password"
          type="password"
          label={st('signOff.password')}
          hint={st('signOff.passwordHint')}
          autoComplete="current-password"
          required
          autoFocus
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setFieldError(undefined);
          }}
          error={fieldError}
        />
        <FormActions
          submitLabel={st('signOff.sign')}
          busy={busy}
          cancelLabel={st('common.cancel')}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

/** The sign-off card of the screening page. */
export function SignOffSection({ screening, unsaved, onSigned }: SignOffSectionProps) {
  const { st, locale } = useScreeningTranslation();
  const { session } = useSignedIn();
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const maySign = canAtSite(session.user.grants, 'screening.sign_off', screening.siteId);
  const signed = screening.signedOff;

  const needs: string[] = [];
  if (screening.status !== 'eligible') needs.push(st('signOff.needsEligible'));
  if (screening.consent?.status !== 'active') needs.push(st('signOff.needsConsent'));
  if (unsaved) needs.push(st('signOff.needsSaved'));
  const closed = ['declined', 'not_reached', 'other'].includes(screening.status);

  return (
    <section className="card sc-section" aria-labelledby="sign-off-title">
      <h2 id="sign-off-title" className="sc-section__title">
        {st('signOff.title')}
      </h2>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {signed ? (
        <p>
          <span className="sc-badge sc-badge--success">✓ {st('log.columns.signedOff')}</span>{' '}
          <span>
            {st('signOff.signed', {
              by: signed.by === session.user.id ? st('common.you') : st('signOff.byInvestigator'),
              date: formatDateTime(signed.at, locale),
            })}
          </span>
        </p>
      ) : (
        <>
          <p>{st('signOff.notSigned')}</p>
          {!closed && maySign && needs.length > 0 ? (
            <ul id="sign-off-needs" className="sc-needs">
              {needs.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          {!closed && !maySign ? <p className="muted">{st('signOff.onlyInvestigator')}</p> : null}
          {!closed && maySign ? (
            <div className="form__actions">
              <button
                type="button"
                className="button button--primary"
                disabled={needs.length > 0}
                aria-describedby={needs.length > 0 ? 'sign-off-needs' : undefined}
                onClick={() => {
                  setNotice(null);
                  setOpen(true);
                }}
              >
                {st('signOff.button')}
              </button>
            </div>
          ) : null}
        </>
      )}
      {open ? (
        <SignOffDialog
          screening={screening}
          onClose={() => setOpen(false)}
          onSigned={(s) => {
            setOpen(false);
            setNotice(st('signOff.done'));
            onSigned(s);
          }}
        />
      ) : null}
    </section>
  );
}
