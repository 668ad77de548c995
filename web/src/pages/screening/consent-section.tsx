/**
 * Informed consent on the screening page: the current consent and its status, and the form that
 * records consent (document version, date and time of signature, paper or electronic) — or
 * re-consent, when a newer document version has been issued since the participant signed.
 */
import { useState, type FormEvent } from 'react';
import { recordConsent, type ConsentVersion, type ScreeningView } from '../../api/screening-api.js';
import { useSignedIn } from '../../app/session.js';
import { Alert } from '../../components/alert.js';
import { SelectField, TextField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { formatDateTime } from '../../lib/format.js';
import { RadioControl } from './screening-fields.js';
import { screeningFieldErrors } from './screening-errors.js';
import { formatPlainDate } from './screening-format.js';
import { useScreeningTranslation } from './screening-i18n.js';

/** Props of ConsentSection. */
export interface ConsentSectionProps {
  screening: ScreeningView;
  versions: readonly ConsentVersion[];
  /** Whether the user may record consent here (site staff, screening not closed). */
  editable: boolean;
  onSaved: (screening: ScreeningView) => void;
}

const pad = (n: number): string => String(Math.abs(Math.trunc(n))).padStart(2, '0');

/** Now, as the value of a `datetime-local` input (minutes). */
function nowLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value as an ISO date-time with the browser's UTC offset at that moment. */
export function localToIsoWithOffset(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return null;
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const withSeconds = local.length === 16 ? `${local}:00` : local;
  return `${withSeconds}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** The consent card of the screening page. */
export function ConsentSection({ screening, versions, editable, onSaved }: ConsentSectionProps) {
  const { st, t, locale } = useScreeningTranslation();
  const { session } = useSignedIn();
  const latest = versions.at(-1) ?? null;
  const consent = screening.consent;
  const [version, setVersion] = useState(latest?.version ?? '');
  const [at, setAt] = useState(nowLocal);
  const [mode, setMode] = useState<'electronic' | 'paper' | ''>('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const needsReconsent = consent?.status === 'active' && latest !== null && consent.documentVersion !== latest.version;
  const canRecord = editable && (consent === null || needsReconsent || consent.status === 'superseded');

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (version === '') problems.documentVersion = t('errors.required');
    const iso = localToIsoWithOffset(at);
    if (!iso) problems.consentedAt = t('errors.required');
    if (mode === '') problems.signatureMode = t('errors.required');
    setFields(problems);
    setError(null);
    setNotice(null);
    const first = ['documentVersion', 'consentedAt', 'signatureMode'].find((k) => problems[k]);
    if (first) {
      const ids: Record<string, string> = {
        documentVersion: 'consent-version',
        consentedAt: 'consent-at',
        signatureMode: 'consent-mode',
      };
      document.getElementById(ids[first] ?? '')?.focus();
      return;
    }
    setBusy(true);
    try {
      const saved = await recordConsent(screening.id, {
        documentVersion: version,
        consentedAt: iso as string,
        signatureMode: mode as 'electronic' | 'paper',
      });
      setNotice(st('consent.saved'));
      setMode('');
      onSaved(saved);
    } catch (err) {
      setFields(screeningFieldErrors(st, t, err));
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const statusTone = consent?.status === 'active' ? 'success' : consent?.status === 'withdrawn' ? 'danger' : 'neutral';

  return (
    <section className="card sc-section" aria-labelledby="consent-title">
      <h2 id="consent-title" className="sc-section__title">
        {st('consent.title')}
      </h2>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {consent ? (
        <div className="sc-stack">
          <p>
            <span className={`sc-badge sc-badge--${statusTone}`}>{st(`consent.status.${consent.status}`)}</span>{' '}
            <span>
              {st('consent.current', {
                version: consent.documentVersion,
                date: formatDateTime(consent.consentedAt, locale),
                mode: st(`consent.mode.${consent.signatureMode}`),
                by: consent.takenBy === session.user.id ? st('common.you') : st('common.anotherUser'),
              })}
            </span>
          </p>
          {consent.status === 'withdrawn' && consent.withdrawnAt ? (
            <p>{st('consent.withdrawnNote', { date: formatPlainDate(consent.withdrawnAt, locale) })}</p>
          ) : null}
          {needsReconsent && latest ? (
            <p className="sc-warning">{st('consent.reconsentNeeded', { version: latest.version })}</p>
          ) : consent.status === 'active' ? (
            <p className="muted">{st('consent.upToDate')}</p>
          ) : null}
        </div>
      ) : (
        <p>{st('consent.none')}</p>
      )}
      {canRecord ? (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <h3 className="sc-subtitle">{needsReconsent ? st('consent.recordReconsent') : st('consent.record')}</h3>
          {error && Object.keys(fields).length === 0 ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
          <SelectField
            id="consent-version"
            label={st('consent.version')}
            hint={versions.find((v) => v.version === version)?.title}
            value={version}
            onChange={(e) => {
              setVersion(e.target.value);
              setFields(({ documentVersion: _gone, ...rest }) => rest);
            }}
            error={fields.documentVersion}
          >
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {st('consent.versionOption', {
                  version: v.version,
                  title: v.title,
                  date: formatPlainDate(v.issuedAt, locale),
                })}
              </option>
            ))}
          </SelectField>
          <TextField
            id="consent-at"
            type="datetime-local"
            label={st('consent.consentedAt')}
            hint={st('consent.consentedAtHint')}
            value={at}
            onChange={(e) => {
              setAt(e.target.value);
              setFields(({ consentedAt: _gone, ...rest }) => rest);
            }}
            error={fields.consentedAt}
          />
          <RadioControl
            id="consent-mode"
            label={st('consent.modeLabel')}
            value={mode}
            error={fields.signatureMode}
            onChange={(v) => {
              setMode(v as 'electronic' | 'paper');
              setFields(({ signatureMode: _gone, ...rest }) => rest);
            }}
            options={[
              { value: 'paper', label: st('consent.modeOption.paper') },
              { value: 'electronic', label: st('consent.modeOption.electronic') },
            ]}
          />
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {needsReconsent ? st('consent.recordReconsent') : st('consent.record')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
