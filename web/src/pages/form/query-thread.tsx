/**
 * Queries (discrepancy management) on items: one card per query with its text, answer and who
 * did what when, and the actions the user's role allows: site staff answer an open query;
 * monitors and data managers close or re-open one (re-opening says why). The raise-query dialog
 * names the item the query is about. Used on the form page and in the query inbox.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { answerQuery, closeQuery, raiseQuery, reopenQuery, type QueryView } from '../../api/ecrf-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextAreaField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { formatDateTime } from '../../lib/format.js';
import { QueryStatusBadge } from './badges.js';
import { useEcrfTranslation } from './ecrf-i18n.js';

/** What the user may do with queries at this site. */
export interface QueryRights {
  answer: boolean;
  close: boolean;
}

/** Props of QueryCard. */
export interface QueryCardProps {
  query: QueryView;
  rights: QueryRights;
  onChanged: (query: QueryView) => void;
  /** Where the query is (participant, visit, form, item) for the inbox; omitted on the form page. */
  context?: ReactNode;
  /** The user's own label, to show "you". */
  me: string;
}

type Action = 'answer' | 'reopen' | null;

/** One query with its actions. */
export function QueryCard({ query, rights, onChanged, context, me }: QueryCardProps) {
  const { et, t, locale } = useEcrfTranslation();
  const [action, setAction] = useState<Action>(null);
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const textId = useId();
  const who = (by: string | null): string => (by === null ? '' : by === me ? et('common.you') : by);

  const run = async (call: () => Promise<QueryView>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const next = await call();
      setAction(null);
      setText('');
      onChanged(next);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    if (text.trim() === '') {
      setFieldError(t('errors.required'));
      document.getElementById(textId)?.focus();
      return;
    }
    const body = text.trim();
    void run(() => (action === 'answer' ? answerQuery(query.id, body) : reopenQuery(query.id, body)));
  };

  const canAnswer = rights.answer && query.status === 'open';
  const canClose = rights.close && query.status !== 'closed';
  const canReopen = rights.close && query.status !== 'open';

  return (
    <article
      className={`ec-query ec-query--${query.status}`}
      data-query={query.id}
      aria-label={et('query.label', { text: query.text })}
    >
      <div className="ec-query__head">
        <QueryStatusBadge status={query.status} />
        <span className="ec-query__origin">{query.origin === 'auto' ? et('query.auto') : et('query.manual')}</span>
        <span className="muted">{et('query.age', { count: query.ageDays })}</span>
      </div>
      {context}
      <p className="ec-query__text">{query.text}</p>
      <p className="ec-query__meta muted">
        {et('query.raised', {
          by: query.origin === 'auto' ? et('query.system') : who(query.raisedBy),
          date: formatDateTime(query.raisedAt, locale),
        })}
      </p>
      {query.answer ? (
        <div className="ec-query__answer">
          <p className="ec-query__answer-label">{et('query.answerLabel')}</p>
          <p>{query.answer}</p>
          {query.answeredAt ? (
            <p className="muted">
              {et('query.answered', { by: who(query.answeredBy), date: formatDateTime(query.answeredAt, locale) })}
            </p>
          ) : null}
        </div>
      ) : null}
      {query.closedAt && query.status === 'closed' ? (
        <p className="muted">
          {et('query.closed', { by: who(query.closedBy), date: formatDateTime(query.closedAt, locale) })}
        </p>
      ) : null}
      {query.reopenCount > 0 ? <p className="muted">{et('query.reopened', { count: query.reopenCount })}</p> : null}
      {query.events && query.events.length > 0 ? (
        <details className="ec-query__thread">
          <summary>{et('query.thread', { count: query.events.length })}</summary>
          <ol className="plain-list">
            {query.events.map((ev) => (
              <li key={ev.seq}>
                <span className="muted">{formatDateTime(ev.at, locale)}</span> ·{' '}
                {et(`query.events.${eventKey(ev.action)}`)} · {who(ev.by)}
                {ev.text ? `: ${ev.text}` : ''}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      {action !== null ? (
        <form className="form ec-query__form" onSubmit={submit} noValidate>
          <TextAreaField
            id={textId}
            label={action === 'answer' ? et('query.yourAnswer') : et('query.reopenWhy')}
            rows={2}
            required
            autoFocus
            value={text}
            error={fieldError}
            onChange={(e) => {
              setText(e.target.value);
              setFieldError(undefined);
            }}
          />
          <div className="form__actions">
            <button type="submit" className="button button--primary button--small" disabled={busy}>
              {action === 'answer' ? et('query.sendAnswer') : et('query.reopen')}
            </button>
            <button type="button" className="button button--secondary button--small" onClick={() => setAction(null)}>
              {et('common.cancel')}
            </button>
          </div>
        </form>
      ) : canAnswer || canClose || canReopen ? (
        <div className="ec-query__actions">
          {canAnswer ? (
            <button type="button" className="button button--primary button--small" onClick={() => setAction('answer')}>
              {et('query.answer')}
            </button>
          ) : null}
          {canClose ? (
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={busy}
              onClick={() => void run(() => closeQuery(query.id))}
            >
              {et('query.close')}
            </button>
          ) : null}
          {canReopen ? (
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => setAction('reopen')}
            >
              {et('query.reopen')}
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

const EVENT_KEYS = ['raised', 'answered', 'closed', 'reopened', 'auto_closed'] as const;
type EventKey = (typeof EVENT_KEYS)[number] | 'other';
const eventKey = (action: string): EventKey => {
  const bare = action.replace(/^query\./, '');
  return (EVENT_KEYS as readonly string[]).includes(bare) ? (bare as EventKey) : 'other';
};

/** Props of RaiseQueryButton. */
export interface RaiseQueryButtonProps {
  instanceId: string;
  /** The item path, or null for a query on the whole form. */
  itemPath: string | null;
  /** What the query is about, for the button's accessible name and the dialog. */
  subject: string;
  onRaised: (query: QueryView) => void;
}

/** A small button that opens the raise-query dialog for one item. */
export function RaiseQueryButton({ instanceId, itemPath, subject, onRaised }: RaiseQueryButtonProps) {
  const { et, t } = useEcrfTranslation();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const textId = useId();

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    if (text.trim() === '') {
      setFieldError(t('errors.required'));
      document.getElementById(textId)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const q = await raiseQuery(instanceId, itemPath, text.trim());
      setOpen(false);
      setText('');
      onRaised(q);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="button button--ghost button--small ec-raise"
        aria-label={et('query.raiseOn', { item: subject })}
        onClick={() => setOpen(true)}
      >
        {et('query.raise')}
      </button>
      {open ? (
        <Dialog title={et('query.raiseTitle', { item: subject })} onClose={() => setOpen(false)}>
          {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
          <form className="form" onSubmit={(e) => void submit(e)} noValidate>
            <TextAreaField
              id={textId}
              label={et('query.text')}
              hint={et('query.textHint')}
              rows={3}
              required
              autoFocus
              value={text}
              error={fieldError}
              onChange={(e) => {
                setText(e.target.value);
                setFieldError(undefined);
              }}
            />
            <div className="form__actions">
              <button type="submit" className="button button--primary" disabled={busy}>
                {et('query.raiseSubmit')}
              </button>
              <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>
                {et('common.cancel')}
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </>
  );
}
