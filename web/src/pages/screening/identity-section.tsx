/**
 * Identity (site staff only): CPR number, names and contact details, stored encrypted. While the
 * CPR number is typed, the date of birth and sex it encodes and a failing modulus-11 check are
 * shown at once; after saving, the server's answer (warnings, people screened before) is shown.
 * "Show identity" fetches the decrypted record, which the server records in the audit trail.
 */
import { useState, type FormEvent } from 'react';
import { parseCpr } from '../../../../src/core/identity/parse-cpr.js';
import {
  fetchIdentity,
  saveIdentity,
  type IdentityResult,
  type IdentityView,
  type ScreeningView,
} from '../../api/screening-api.js';
import { Alert } from '../../components/alert.js';
import { TextAreaField, TextField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { screeningFieldErrors } from './screening-errors.js';
import { formatPlainDate } from './screening-format.js';
import { useScreeningTranslation } from './screening-i18n.js';

/** Props of IdentitySection. */
export interface IdentitySectionProps {
  screening: ScreeningView;
  /** Whether the identity may still be changed (not for closed screenings). */
  editable: boolean;
  /** Called after a save, so the page reloads the screening (date of birth and sex may be filled in). */
  onSaved: () => void;
}

interface IdentityFormValues {
  cpr: string;
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  address: string;
}

const EMPTY: IdentityFormValues = { cpr: '', firstName: '', lastName: '', phone: '', email: '', address: '' };

const FIELD_IDS: Record<keyof IdentityFormValues, string> = {
  cpr: 'identity-cpr',
  firstName: 'identity-first-name',
  lastName: 'identity-last-name',
  phone: 'identity-phone',
  email: 'identity-email',
  address: 'identity-address',
};

const fromView = (v: IdentityView): IdentityFormValues => ({
  cpr: v.cpr.length === 10 ? `${v.cpr.slice(0, 6)}-${v.cpr.slice(6)}` : v.cpr,
  firstName: v.firstName,
  lastName: v.lastName,
  phone: v.phone ?? '',
  email: v.email ?? '',
  address: v.address ?? '',
});

/** The identity card of the screening page. */
export function IdentitySection({ screening, editable, onSaved }: IdentitySectionProps) {
  const { st, t, locale } = useScreeningTranslation();
  const [editing, setEditing] = useState(!screening.hasIdentity);
  const [shown, setShown] = useState<IdentityView | null>(null);
  const [values, setValues] = useState<IdentityFormValues>(EMPTY);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<IdentityResult | null>(null);

  const set = (key: keyof IdentityFormValues, value: string): void => {
    setValues((v) => ({ ...v, [key]: value }));
    if (fields[key]) setFields(({ [key]: _gone, ...rest }) => rest);
  };

  const show = async (): Promise<IdentityView | null> => {
    setBusy(true);
    setError(null);
    try {
      const identity = await fetchIdentity(screening.id);
      setShown(identity);
      return identity;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const startEditing = async (): Promise<void> => {
    const identity = shown ?? (await show());
    if (identity) {
      setValues(fromView(identity));
      setResult(null);
      setEditing(true);
    }
  };

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (values.cpr.trim() === '') problems.cpr = t('errors.required');
    if (values.firstName.trim() === '') problems.firstName = t('errors.required');
    if (values.lastName.trim() === '') problems.lastName = t('errors.required');
    setFields(problems);
    setError(null);
    const first = (Object.keys(FIELD_IDS) as (keyof IdentityFormValues)[]).find((k) => problems[k]);
    if (first) return void document.getElementById(FIELD_IDS[first])?.focus();
    setBusy(true);
    try {
      const saved = await saveIdentity(screening.id, {
        cpr: values.cpr.trim(),
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        ...(values.phone.trim() ? { phone: values.phone.trim() } : {}),
        ...(values.email.trim() ? { email: values.email.trim() } : {}),
        ...(values.address.trim() ? { address: values.address.trim() } : {}),
      });
      setResult(saved);
      setEditing(false);
      setShown(null);
      setValues(EMPTY);
      onSaved();
    } catch (err) {
      const translated = screeningFieldErrors(st, t, err);
      setFields(translated);
      setError(err);
      const firstBad = (Object.keys(FIELD_IDS) as (keyof IdentityFormValues)[]).find((k) => translated[k]);
      if (firstBad) document.getElementById(FIELD_IDS[firstBad])?.focus();
    } finally {
      setBusy(false);
    }
  };

  const sexLabel = (sex: 'female' | 'male'): string => st(`form.sex.${sex}`).toLowerCase();
  const live = values.cpr.trim() === '' ? null : parseCpr(values.cpr);

  return (
    <section className="card sc-section" aria-labelledby="identity-title">
      <h2 id="identity-title" className="sc-section__title">
        {st('identity.title')}
      </h2>
      <p className="muted">{st('identity.intro')}</p>
      {error && Object.keys(fields).length === 0 ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      {result ? (
        <div className="sc-stack">
          <Alert tone="success">
            {st('identity.saved')}{' '}
            {st('identity.derived', { date: formatPlainDate(result.dateOfBirth, locale), sex: sexLabel(result.sex) })}
          </Alert>
          {result.warnings.some((w) => w.code === 'modulus11_failed') ? (
            <p className="sc-warning">{st('identity.modulus11')}</p>
          ) : null}
          {result.screenedBefore.length > 0 ? (
            <p className="sc-warning">{st('identity.screenedBefore', { numbers: result.screenedBefore.join(', ') })}</p>
          ) : null}
        </div>
      ) : null}

      {!editing ? (
        <>
          <p>
            {screening.hasIdentity ? (
              <span className="sc-badge sc-badge--success">{st('identity.recorded')}</span>
            ) : (
              st('identity.notRecorded')
            )}
          </p>
          {shown ? (
            <div className="sc-identity-view">
              <dl className="facts">
                <div className="facts__item">
                  <dt>{st('identity.cpr')}</dt>
                  <dd className="mono">{fromView(shown).cpr}</dd>
                </div>
                <div className="facts__item">
                  <dt>{st('identity.name')}</dt>
                  <dd>
                    {shown.firstName} {shown.lastName}
                  </dd>
                </div>
                <div className="facts__item">
                  <dt>{st('identity.dateOfBirth')}</dt>
                  <dd>{formatPlainDate(shown.dateOfBirth, locale)}</dd>
                </div>
                <div className="facts__item">
                  <dt>{st('identity.sex')}</dt>
                  <dd>{st(`form.sex.${shown.sex}`)}</dd>
                </div>
                {shown.phone || shown.email || shown.address ? (
                  <div className="facts__item">
                    <dt>{st('identity.contact')}</dt>
                    <dd>
                      {[shown.phone, shown.email, shown.address]
                        .filter((x) => x)
                        .map((x) => (
                          <span key={x} className="sc-identity-view__line">
                            {x}
                          </span>
                        ))}
                    </dd>
                  </div>
                ) : null}
              </dl>
              <p className="muted sc-identity-view__note">{st('identity.viewAudited')}</p>
            </div>
          ) : null}
          {screening.hasIdentity ? (
            <div className="form__actions">
              {shown ? (
                <button type="button" className="button button--secondary" onClick={() => setShown(null)}>
                  {st('identity.hide')}
                </button>
              ) : (
                <button type="button" className="button button--secondary" onClick={() => void show()} disabled={busy}>
                  {busy ? st('identity.loading') : st('identity.show')}
                </button>
              )}
              {editable ? (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => void startEditing()}
                  disabled={busy}
                >
                  {st('identity.edit')}
                </button>
              ) : null}
            </div>
          ) : null}
        </>
      ) : editable ? (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <div className="sc-form-grid">
            <div className="sc-form-grid__wide">
              <TextField
                id={FIELD_IDS.cpr}
                label={st('identity.cpr')}
                hint={st('identity.cprHint')}
                autoComplete="off"
                inputMode="numeric"
                spellCheck={false}
                required
                value={values.cpr}
                onChange={(e) => set('cpr', e.target.value)}
                error={fields.cpr}
              />
              {live && live.ok ? (
                <div className="sc-live" aria-live="polite">
                  <p className="sc-live__derived">
                    {st('identity.derived', {
                      date: formatPlainDate(live.dateOfBirth, locale),
                      sex: sexLabel(live.sex),
                    })}
                  </p>
                  {!live.modulus11Valid ? <p className="sc-warning">{st('identity.modulus11')}</p> : null}
                </div>
              ) : null}
            </div>
            <TextField
              id={FIELD_IDS.firstName}
              label={st('identity.firstName')}
              autoComplete="off"
              required
              value={values.firstName}
              onChange={(e) => set('firstName', e.target.value)}
              error={fields.firstName}
            />
            <TextField
              id={FIELD_IDS.lastName}
              label={st('identity.lastName')}
              autoComplete="off"
              required
              value={values.lastName}
              onChange={(e) => set('lastName', e.target.value)}
              error={fields.lastName}
            />
            <TextField
              id={FIELD_IDS.phone}
              label={st('identity.phone')}
              type="tel"
              autoComplete="off"
              value={values.phone}
              onChange={(e) => set('phone', e.target.value)}
              error={fields.phone}
            />
            <TextField
              id={FIELD_IDS.email}
              label={st('identity.email')}
              type="email"
              inputMode="email"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={values.email}
              onChange={(e) => set('email', e.target.value)}
              error={fields.email}
            />
            <div className="sc-form-grid__wide">
              <TextAreaField
                id={FIELD_IDS.address}
                label={st('identity.address')}
                autoComplete="off"
                rows={2}
                value={values.address}
                onChange={(e) => set('address', e.target.value)}
                error={fields.address}
              />
            </div>
          </div>
          {error && Object.keys(fields).length > 0 ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {st('identity.save')}
            </button>
            {screening.hasIdentity ? (
              <button type="button" className="button button--secondary" onClick={() => setEditing(false)}>
                {st('common.cancel')}
              </button>
            ) : null}
          </div>
        </form>
      ) : (
        <p>{st('identity.notRecorded')}</p>
      )}
    </section>
  );
}
