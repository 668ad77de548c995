/**
 * A participant's ePRO access for the study nurse: its state, enrolment or reset (a new link and
 * one-time code, shown once so she can hand it over at the visit) and revocation with a reason.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { fieldErrors, isApiError } from '../../api/client.js';
import {
  ACCESS_CHANNELS,
  enrolEproAccess,
  PARTICIPANT_LANGUAGES,
  revokeEproAccess,
  type AccessChannel,
  type EproAccess,
  type EproEnrolment,
  type ParticipantLanguage,
} from '../../api/epro-api.js';
import { Alert } from '../../components/alert.js';
import { SelectField, TextAreaField, TextField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { Dialog } from '../../components/dialog.js';
import { formatCph } from '../randomization/trial-format.js';
import { AccessStatusBadge } from './epro-badges.js';
import { useEproStrings } from './epro-i18n.js';

/** Props of AccessPanel. */
export interface AccessPanelProps {
  access: EproAccess;
  studyId: string;
  mayManage: boolean;
  /** Called after an enrolment, reset or revocation so the page loads the new state. */
  onChanged: () => void;
}

/** The one-time code as the server returned it, until the nurse hides it. */
function CodeBox({ enrolment, studyId, onHide }: { enrolment: EproEnrolment; studyId: string; onHide: () => void }) {
  const { pt, locale } = useEproStrings();
  const headingId = useId();
  const link = new URL(enrolment.loginPath, window.location.origin).href;
  const channel = pt(`common.channels.${enrolment.channel}`);
  return (
    <section className="otp" aria-labelledby={headingId} data-testid="epro-code">
      <h3 id={headingId} className="card__title">
        {pt('participant.code.title', { studyId })}
      </h3>
      {enrolment.code ? (
        <>
          <p className="otp__label">{pt('participant.code.label')}</p>
          <div className="otp__row">
            <span className="otp__value" data-testid="epro-code-value">
              {enrolment.code}
            </span>
          </div>
        </>
      ) : null}
      <p className="otp__label">{pt('participant.code.link')}</p>
      <div className="otp__row">
        <span className="otp__value" data-testid="epro-code-link">
          {link}
        </span>
      </div>
      <p className="otp__note">
        {pt('participant.code.expires', { time: formatCph(enrolment.codeExpiresAt, locale) })}
      </p>
      {enrolment.code ? <p className="otp__note">{pt('participant.code.onlyOnce')}</p> : null}
      {enrolment.sent ? (
        <p className="otp__note">
          {enrolment.code
            ? pt('participant.code.sent', { channel })
            : pt('participant.code.sentOnly', { channel, contact: enrolment.contactHint ?? '' })}
        </p>
      ) : null}
      <div className="form__actions">
        <button type="button" className="button button--secondary" onClick={onHide}>
          {pt('participant.code.hide')}
        </button>
      </div>
    </section>
  );
}

/** Enrolment or reset: channel, contact (not for in-person) and the participant's language. */
function EnrolForm({
  participantId,
  enrolled,
  initialLanguage,
  onEnrolled,
}: {
  participantId: string;
  enrolled: boolean;
  initialLanguage: ParticipantLanguage;
  onEnrolled: (e: EproEnrolment) => void;
}) {
  const { pt, t } = useEproStrings();
  const headingId = useId();
  const [channel, setChannel] = useState<AccessChannel>('in_person');
  const [contact, setContact] = useState('');
  const [language, setLanguage] = useState<ParticipantLanguage>(initialLanguage);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = isApiError(error) ? fieldErrors(error.details) : {};

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const input = channel === 'in_person' ? { channel, language } : { channel, language, contact: contact.trim() };
      onEnrolled(await enrolEproAccess(participantId, input));
      setContact('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-labelledby={headingId} noValidate>
      <h3 id={headingId} className="card__title">
        {pt(enrolled ? 'participant.access.resetTitle' : 'participant.access.enrolTitle')}
      </h3>
      {enrolled ? <p className="muted">{pt('participant.access.resetNote')}</p> : null}
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      <div className="tp-form-grid">
        <SelectField
          id="epro-channel"
          label={pt('participant.access.channelLabel')}
          value={channel}
          error={errors.channel}
          onChange={(e) => setChannel(e.target.value as AccessChannel)}
        >
          {ACCESS_CHANNELS.map((c) => (
            <option key={c} value={c}>
              {pt(`common.channels.${c}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="epro-language"
          label={pt('participant.access.languageLabel')}
          value={language}
          error={errors.language}
          onChange={(e) => setLanguage(e.target.value as ParticipantLanguage)}
        >
          {PARTICIPANT_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {pt(`common.languages.${l}`)}
            </option>
          ))}
        </SelectField>
        {channel !== 'in_person' ? (
          <TextField
            id="epro-contact"
            label={pt('participant.access.contactLabel')}
            hint={pt('participant.access.contactHint')}
            value={contact}
            error={errors.contact}
            autoComplete="off"
            inputMode={channel === 'sms' ? 'tel' : 'email'}
            onChange={(e) => setContact(e.target.value)}
          />
        ) : null}
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy
            ? pt('participant.access.working')
            : pt(enrolled ? 'participant.access.reset' : 'participant.access.enrol')}
        </button>
      </div>
    </form>
  );
}

/** Revocation with a reason, in a dialog. */
function RevokeDialog({
  participantId,
  onClose,
  onRevoked,
}: {
  participantId: string;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const { pt, t } = useEproStrings();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errors = isApiError(error) ? fieldErrors(error.details) : {};
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await revokeEproAccess(participantId, reason);
      onRevoked();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Dialog title={pt('participant.access.revokeTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p>{pt('participant.access.revokeIntro')}</p>
        {error && !errors.reason ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
        <TextAreaField
          id="epro-revoke-reason"
          label={pt('participant.access.revokeReason')}
          value={reason}
          error={errors.reason}
          required
          onChange={(e) => setReason(e.target.value)}
        />
        <div className="form__actions">
          <button type="submit" className="button button--danger" disabled={busy}>
            {pt('participant.access.revokeConfirm')}
          </button>
          <button type="button" className="button button--secondary" onClick={onClose}>
            {pt('participant.access.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The access card. */
export function AccessPanel({ access, studyId, mayManage, onChanged }: AccessPanelProps) {
  const { pt, locale } = useEproStrings();
  const [enrolment, setEnrolment] = useState<EproEnrolment | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const yesNo = (b: boolean): string => pt(b ? 'participant.access.yes' : 'participant.access.no');
  const none = pt('common.none');
  const facts: [string, ReactNode][] = [
    [pt('participant.access.status'), <AccessStatusBadge key="s" status={access.enrolled ? access.status : null} />],
    [pt('participant.access.channel'), access.channel ? pt(`common.channels.${access.channel}`) : none],
    [pt('participant.access.contact'), access.contactHint ?? none],
    [pt('participant.access.language'), access.language ? pt(`common.languages.${access.language}`) : none],
    [pt('participant.access.pin'), access.enrolled ? yesNo(access.hasPin) : none],
    [pt('participant.access.codePending'), access.enrolled ? yesNo(access.codePending) : none],
    [pt('participant.access.locked'), access.enrolled ? yesNo(access.locked) : none],
    [
      pt('participant.access.lastLogin'),
      access.lastLoginAt ? formatCph(access.lastLoginAt, locale) : pt('participant.access.never'),
    ],
  ];

  return (
    <section className="card tp-section" aria-labelledby="epro-access">
      <h2 id="epro-access" className="card__title">
        {pt('participant.access.title')}
      </h2>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label} className="facts__item">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {enrolment ? <CodeBox enrolment={enrolment} studyId={studyId} onHide={() => setEnrolment(null)} /> : null}
      {!mayManage ? <p className="muted">{pt('participant.access.notAllowed')}</p> : null}
      {mayManage && !enrolment ? (
        <EnrolForm
          participantId={access.participantId}
          enrolled={access.enrolled}
          initialLanguage={access.language ?? 'da'}
          onEnrolled={(e) => {
            setNotice(null);
            setEnrolment(e);
            onChanged();
          }}
        />
      ) : null}
      {mayManage && access.status === 'active' ? (
        <div className="form__actions">
          <button
            type="button"
            className="button button--danger-outline"
            onClick={() => {
              setNotice(null);
              setRevoking(true);
            }}
          >
            {pt('participant.access.revoke')}
          </button>
        </div>
      ) : null}
      {revoking ? (
        <RevokeDialog
          participantId={access.participantId}
          onClose={() => setRevoking(false)}
          onRevoked={() => {
            setRevoking(false);
            setEnrolment(null);
            setNotice(pt('participant.access.revoked'));
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}
