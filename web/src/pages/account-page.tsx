/**
 * My account: who I am and my roles, my password, and two-factor sign-in — set it up, make new
 * recovery codes, or turn it off where my role allows it.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  changePassword,
  confirmEnrolment,
  disableTotp,
  fetchTotpStatus,
  regenerateRecoveryCodes,
  startEnrolment,
  type TotpEnrolment,
  type TotpStatus,
} from '../api/security-api.js';
import { useSignedIn } from '../app/session.js';
import type { PageProps } from '../app/routes.js';
import { Alert } from '../components/alert.js';
import { TextField } from '../components/field.js';
import { FormActions } from '../components/form-actions.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { useTranslation } from '../i18n/use-translation.js';
import { describeError } from '../lib/error-messages.js';
import { formatDateTime } from '../lib/format.js';
import { roleLabel } from '../lib/role-labels.js';
import { useAsync } from '../lib/use-async.js';
import { securityFieldErrors } from './account/security-messages.js';
import { EnrolmentSecret, RecoveryCodes } from './sign-in-page.js';

type Panel =
  | { kind: 'none' }
  | { kind: 'enrol'; enrolment: TotpEnrolment }
  | { kind: 'regenerate' }
  | { kind: 'disable' }
  | { kind: 'codes'; codes: string[] };

/** A small form with its own busy state, error and field errors. */
function useForm() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await action();
    } catch (err) {
      const f = securityFieldErrors(t, err);
      setFields(f);
      setError(err);
      const first = Object.keys(f)[0];
      if (first) document.getElementById(`account-${first}`)?.focus();
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, fields, setFields, run };
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        {title}
      </h2>
      {children}
    </section>
  );
}

function TwoFactor({ status, onChanged }: { status: TotpStatus; onChanged: () => void }) {
  const { t, locale } = useTranslation();
  const [panel, setPanel] = useState<Panel>({ kind: 'none' });
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const form = useForm();

  const open = (p: Panel): void => {
    setPanel(p);
    setCode('');
    setPassword('');
    setDone(null);
    form.setFields({});
  };

  const codeField = (
    <TextField
      id="account-code"
      label={t('security.code')}
      hint={t('security.codeHint')}
      autoComplete="one-time-code"
      inputMode="numeric"
      required
      value={code}
      onChange={(e) => setCode(e.target.value)}
      error={form.fields.code}
    />
  );
  const errorAlert =
    form.error && Object.keys(form.fields).length === 0 ? (
      <Alert tone="error">{describeError(t, form.error)}</Alert>
    ) : null;
  const submit = (action: () => Promise<void>) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    void form.run(action);
  };
  /** The authenticator code as typed, without the spaces people copy along with it. */
  const typedCode = (): string => code.replace(/\s/g, '');
  /**
   * One step of the two-factor panel that asks for a code: what the step is about, the error, then
   * a form with any further fields, the code and the step's own button beside Cancel.
   */
  const codeStep = (
    lead: ReactNode,
    submitLabel: string,
    action: () => Promise<void>,
    opts: { danger?: boolean; fields?: ReactNode } = {},
  ) => (
    <>
      {lead}
      {errorAlert}
      <form className="form" noValidate onSubmit={submit(action)}>
        {opts.fields}
        {codeField}
        <FormActions
          submitLabel={submitLabel}
          tone={opts.danger ? 'danger' : 'primary'}
          busy={form.busy}
          cancelLabel={t('account.cancel')}
          onCancel={() => open({ kind: 'none' })}
        />
      </form>
    </>
  );

  return (
    <Section id="account-2fa" title={t('account.twoFactor')}>
      <p>
        {status.enrolled && status.confirmedAt ? (
          <span className="badge badge--success">
            {t('account.on', { date: formatDateTime(status.confirmedAt, locale) })}
          </span>
        ) : (
          <span className="badge badge--warning">{t('account.off')}</span>
        )}
      </p>
      <p className="muted">{status.required ? t('account.required') : t('account.optional')}</p>
      {status.enrolled ? <p>{t('account.recoveryLeft', { count: status.recoveryCodesLeft })}</p> : null}
      {done ? <Alert tone="success">{done}</Alert> : null}

      {panel.kind === 'none' ? (
        <div className="form__actions">
          {status.enrolled ? (
            <>
              <button type="button" className="button button--secondary" onClick={() => open({ kind: 'regenerate' })}>
                {t('account.newCodes')}
              </button>
              {status.required ? null : (
                <button
                  type="button"
                  className="button button--danger-outline"
                  onClick={() => open({ kind: 'disable' })}
                >
                  {t('account.turnOff')}
                </button>
              )}
            </>
          ) : (
            <button
              type="button"
              className="button button--primary"
              disabled={form.busy}
              onClick={() => void form.run(async () => open({ kind: 'enrol', enrolment: await startEnrolment() }))}
            >
              {t('account.setUp')}
            </button>
          )}
        </div>
      ) : null}
      {status.enrolled && status.required && panel.kind === 'none' ? (
        <p className="muted">{t('account.cannotTurnOff')}</p>
      ) : null}

      {panel.kind === 'enrol'
        ? codeStep(
            <>
              <p className="muted">{t('security.enrolIntro')}</p>
              <EnrolmentSecret enrolment={panel.enrolment} />
              <p className="muted">{t('security.enrolStep2')}</p>
            </>,
            t('security.confirm'),
            async () => {
              const r = await confirmEnrolment(typedCode());
              open({ kind: 'codes', codes: r.recoveryCodes });
              setDone(t('account.enabled'));
            },
          )
        : null}

      {panel.kind === 'regenerate'
        ? codeStep(<p className="muted">{t('account.newCodesIntro')}</p>, t('account.newCodes'), async () => {
            const r = await regenerateRecoveryCodes(typedCode());
            open({ kind: 'codes', codes: r.recoveryCodes });
          })
        : null}

      {panel.kind === 'disable'
        ? codeStep(
            <p className="muted">{t('account.turnOffIntro')}</p>,
            t('account.turnOff'),
            async () => {
              await disableTotp(password, typedCode());
              open({ kind: 'none' });
              setDone(t('account.turnedOff'));
              onChanged();
            },
            {
              danger: true,
              fields: (
                <TextField
                  id="account-password"
                  label={t('account.password')}
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  error={form.fields.password}
                />
              ),
            },
          )
        : null}

      {panel.kind === 'codes' ? (
        <>
          <p className="muted">{t('security.codesIntro')}</p>
          <RecoveryCodes
            codes={panel.codes}
            onDone={() => {
              open({ kind: 'none' });
              onChanged();
            }}
          />
        </>
      ) : null}
    </Section>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const form = useForm();
  const submit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    setDone(false);
    if (next !== repeat) {
      form.setFields({ confirm: t('account.mismatch') });
      document.getElementById('account-confirm')?.focus();
      return;
    }
    void form.run(async () => {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    });
  };
  return (
    <Section id="account-password-title" title={t('account.changePassword')}>
      {done ? <Alert tone="success">{t('account.passwordChanged')}</Alert> : null}
      {form.error && Object.keys(form.fields).length === 0 ? (
        <Alert tone="error">{describeError(t, form.error)}</Alert>
      ) : null}
      <form className="form" noValidate onSubmit={submit}>
        <TextField
          id="account-currentPassword"
          label={t('account.currentPassword')}
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={form.fields.currentPassword}
        />
        <TextField
          id="account-newPassword"
          label={t('account.newPassword')}
          hint={t('account.newPasswordHint')}
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={form.fields.newPassword}
        />
        <TextField
          id="account-confirm"
          label={t('account.repeatPassword')}
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          error={form.fields.confirm}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={form.busy}>
            {t('account.changePassword')}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** The account page. */
export default function AccountPage(_props: PageProps) {
  const { t, language } = useTranslation();
  const { session, roles } = useSignedIn();
  const { state, reload } = useAsync(fetchTotpStatus);
  return (
    <>
      <PageHeading>{t('account.title')}</PageHeading>
      <div className="grid">
        <Section id="account-profile" title={t('account.profile')}>
          <dl className="facts facts--stacked">
            <div className="facts__item">
              <dt>{t('account.email')}</dt>
              <dd className="mono">{session.user.email}</dd>
            </div>
            <div className="facts__item">
              <dt>{t('account.roles')}</dt>
              <dd>{roles.map((r) => roleLabel(r, language)).join(', ')}</dd>
            </div>
          </dl>
        </Section>
        {state.status === 'loading' ? <Loading /> : null}
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
        {state.status === 'ready' ? <TwoFactor status={state.data} onChanged={reload} /> : null}
        <PasswordForm />
      </div>
    </>
  );
}
