/**
 * The participant app: sign in with the code from the link (or a PIN), optionally choose a PIN, see
 * the open questionnaires, fill one in (the diary and NRS on one page; the KOOS one question per
 * screen with progress, saved as a draft as you go), confirm, send. Danish and English everywhere.
 * Every screen change moves focus to its heading, so screen readers announce where you are.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactElement, type ReactNode } from 'react';
import { api, ApiError, configure, type Group, type Question, type Questionnaire, type Summary } from './api.js';
import { QuestionField } from './question.js';
import { formatDay, formatWhen, translate, type Lang, type TextKey } from './i18n.js';

const HANDLE_KEY = 'sj_participant_handle';
const LANG_KEY = 'sj_participant_lang';

type Screen =
  | { kind: 'loading' }
  | { kind: 'login'; mode: 'code' | 'pin' }
  | { kind: 'pin' }
  | { kind: 'list'; items: Summary[] }
  | { kind: 'form'; q: Questionnaire }
  | { kind: 'done'; late: boolean };

function initialHandle(): string | null {
  const url = new URL(window.location.href);
  const k = url.searchParams.get('k');
  if (k) {
    localStorage.setItem(HANDLE_KEY, k);
    // The handle is not left in the address bar (screenshots, shoulder surfing).
    url.searchParams.delete('k');
    window.history.replaceState(null, '', url.pathname);
  }
  return k ?? localStorage.getItem(HANDLE_KEY);
}

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  if (stored === 'da' || stored === 'en') return stored;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'da';
}

/** The page heading: takes focus when a screen opens. */
function Heading({ children }: { children: ReactNode }): ReactElement {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [children]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

const isAnswered = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
const visible = (cond: { item: string; equals: unknown } | null, values: Record<string, unknown>): boolean =>
  cond === null || values[cond.item] === cond.equals;

export function App(): ReactElement {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [handle] = useState<string | null>(initialHandle);
  const [screen, setScreen] = useState<Screen>({ kind: 'loading' });
  const [message, setMessage] = useState<string | null>(null);
  const t = useCallback(
    (key: TextKey, params?: Record<string, string | number>) => translate(lang, key, params),
    [lang],
  );

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'appTitle');
    localStorage.setItem(LANG_KEY, lang);
    configure({ lang });
  }, [lang]);

  const showList = useCallback(async () => {
    setScreen({ kind: 'list', items: await api.list() });
  }, []);

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) {
        setScreen({ kind: 'login', mode: 'code' });
      }
      setMessage(e instanceof ApiError ? e.message : translate(lang, 'error'));
    },
    [lang],
  );

  useEffect(() => {
    api
      .me()
      .then(async (me) => {
        configure({ csrfToken: me.csrfToken, lang: me.language });
        setLangState(me.language);
        await showList();
      })
      .catch(() => setScreen({ kind: 'login', mode: 'code' }));
  }, [showList]);

  const changeLang = (next: Lang): void => {
    setLangState(next);
    configure({ lang: next });
    if (screen.kind !== 'login' && screen.kind !== 'loading') {
      void api.setLanguage(next).then(async () => {
        if (screen.kind === 'form') setScreen({ kind: 'form', q: await api.get(screen.q.visitCode, screen.q.formId) });
        else if (screen.kind === 'list') await showList();
      }, fail);
    }
  };

  let body: ReactElement;
  switch (screen.kind) {
    case 'loading':
      body = <p role="status">{t('loading')}</p>;
      break;
    case 'login':
      body = (
        <LoginScreen
          lang={lang}
          handle={handle}
          mode={screen.mode}
          onMode={(mode) => setScreen({ kind: 'login', mode })}
          onSignedIn={async (hasPin, language) => {
            setMessage(null);
            setLangState(language);
            if (!hasPin) setScreen({ kind: 'pin' });
            else await showList();
          }}
        />
      );
      break;
    case 'pin':
      body = <PinScreen lang={lang} onDone={() => void showList().catch(fail)} />;
      break;
    case 'list':
      body = (
        <ListScreen
          lang={lang}
          items={screen.items}
          onOpen={async (s) => {
            setMessage(null);
            try {
              setScreen({ kind: 'form', q: await api.get(s.visitCode, s.formId) });
            } catch (e) {
              fail(e);
            }
          }}
        />
      );
      break;
    case 'form':
      body = (
        <FormScreen
          key={`${screen.q.visitCode}/${screen.q.formId}/${lang}`}
          lang={lang}
          q={screen.q}
          onBack={() => void showList().catch(fail)}
          onDone={(late) => setScreen({ kind: 'done', late })}
        />
      );
      break;
    case 'done':
      body = (
        <section>
          <Heading>{t('thanksTitle')}</Heading>
          <p className="p-success" role="status">
            {t('thanksText')}
          </p>
          {screen.late ? <p>{t('thanksLate')}</p> : null}
          <button type="button" className="p-button" onClick={() => void showList().catch(fail)}>
            {t('toList')}
          </button>
        </section>
      );
      break;
  }

  const signedIn = screen.kind === 'list' || screen.kind === 'form' || screen.kind === 'done' || screen.kind === 'pin';
  return (
    <>
      <header className="p-header">
        <span className="p-brand">STEMJOINT</span>
        <div className="p-lang" role="group" aria-label={t('language')}>
          <button type="button" lang="da" aria-pressed={lang === 'da'} onClick={() => changeLang('da')}>
            Dansk
          </button>
          <button type="button" lang="en" aria-pressed={lang === 'en'} onClick={() => changeLang('en')}>
            English
          </button>
        </div>
      </header>
      <main className="p-main" id="main">
        {message ? (
          <p className="p-alert" role="alert">
            {message}
          </p>
        ) : null}
        {body}
      </main>
      {signedIn ? (
        <footer className="p-footer">
          <button
            type="button"
            className="p-link"
            onClick={() =>
              void api.logout().then(() => {
                setMessage(translate(lang, 'signedOut'));
                setScreen({ kind: 'login', mode: 'pin' });
              }, fail)
            }
          >
            {t('signOut')}
          </button>
        </footer>
      ) : null}
    </>
  );
}

function LoginScreen(props: {
  lang: Lang;
  handle: string | null;
  mode: 'code' | 'pin';
  onMode(mode: 'code' | 'pin'): void;
  onSignedIn(hasPin: boolean, lang: Lang): Promise<void>;
}): ReactElement {
  const { lang, handle, mode } = props;
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const t = (key: TextKey): string => translate(lang, key);
  if (!handle) {
    return (
      <section>
        <Heading>{t('signInTitle')}</Heading>
        <p>{t('noLink')}</p>
      </section>
    );
  }
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await api.login(mode === 'code' ? { handle, code: secret.trim() } : { handle, pin: secret.trim() });
      configure({ csrfToken: me.csrfToken, lang: me.language });
      await props.onSignedIn(me.hasPin, me.language);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('error'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <Heading>{t('signInTitle')}</Heading>
      <p>{t('signInIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className={`p-question${error ? ' p-invalid' : ''}`}>
          <label className="p-legend" htmlFor="secret">
            {mode === 'code' ? t('code') : t('pin')}
          </label>
          <input
            id="secret"
            type={mode === 'pin' ? 'password' : 'text'}
            inputMode="numeric"
            autoComplete={mode === 'code' ? 'one-time-code' : 'current-password'}
            value={secret}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'secret-error' : undefined}
            onChange={(e) => setSecret(e.target.value)}
          />
          {error ? (
            <p className="p-error" id="secret-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="p-button" disabled={busy}>
          {t('signIn')}
        </button>
      </form>
      <button type="button" className="p-link" onClick={() => props.onMode(mode === 'code' ? 'pin' : 'code')}>
        {mode === 'code' ? t('usePin') : t('useCode')}
      </button>
    </section>
  );
}

function PinScreen({ lang, onDone }: { lang: Lang; onDone(): void }): ReactElement {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const t = (key: TextKey): string => translate(lang, key);
  const save = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      await api.setPin(pin.trim());
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : t('error'));
    }
  };
  return (
    <section>
      <Heading>{t('pinTitle')}</Heading>
      <p>{t('pinIntro')}</p>
      <form onSubmit={(e) => void save(e)} noValidate>
        <div className={`p-question${error ? ' p-invalid' : ''}`}>
          <label className="p-legend" htmlFor="new-pin">
            {t('pinNew')}
          </label>
          <input
            id="new-pin"
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            value={pin}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'pin-error' : undefined}
            onChange={(e) => setPin(e.target.value)}
          />
          {error ? (
            <p className="p-error" id="pin-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="p-button">
          {t('pinSave')}
        </button>
      </form>
      <button type="button" className="p-link" onClick={onDone}>
        {t('pinSkip')}
      </button>
    </section>
  );
}

function ListScreen({
  lang,
  items,
  onOpen,
}: {
  lang: Lang;
  items: Summary[];
  onOpen(s: Summary): Promise<void>;
}): ReactElement {
  const t = (key: TextKey, params?: Record<string, string | number>): string => translate(lang, key, params);
  return (
    <section>
      <Heading>{t('listTitle')}</Heading>
      {items.length === 0 ? <p className="p-success">{t('listEmpty')}</p> : null}
      <ul className="p-list">
        {items.map((s) => {
          const title = s.kind === 'diary' && s.diaryDay !== null ? t('diaryDay', { day: s.diaryDay }) : s.title;
          return (
            <li key={`${s.visitCode}/${s.formId}`} className="p-card">
              <h2>{title}</h2>
              {s.kind === 'diary' ? <p>{t('dateOf', { date: formatDay(lang, s.date) })}</p> : null}
              {s.state === 'late' ? <p className="p-badge">{t('late')}</p> : null}
              {s.status === 'draft' ? <p className="p-badge p-badge-info">{t('draft')}</p> : null}
              <p className="p-muted">{t('closes', { when: formatWhen(lang, s.closesAt) })}</p>
              <button
                type="button"
                className="p-button"
                aria-label={`${s.status === 'draft' ? t('continue') : t('open')}: ${title}`}
                onClick={() => void onOpen(s)}
              >
                {s.status === 'draft' ? t('continue') : t('open')}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

interface Step {
  group: Group;
  question: Question;
}

function FormScreen({
  lang,
  q,
  onBack,
  onDone,
}: {
  lang: Lang;
  q: Questionnaire;
  onBack(): void;
  onDone(late: boolean): void;
}): ReactElement {
  const t = (key: TextKey, params?: Record<string, string | number>): string => translate(lang, key, params);
  const [values, setValues] = useState<Record<string, unknown>>(q.values);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summaryError, setSummaryError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const oneByOne = q.formId === 'koos';
  const steps: Step[] = q.groups
    .filter((g) => !g.repeating)
    .flatMap((g) => g.questions.map((question) => ({ group: g, question })));
  const firstOpen = Math.max(
    0,
    steps.findIndex((s) => !isAnswered(q.values[s.question.id])),
  );
  const [index, setIndex] = useState(firstOpen);
  const title = q.kind === 'diary' && q.diaryDay !== null ? t('diaryDay', { day: q.diaryDay }) : q.title;

  const set = (id: string, v: unknown): void => {
    setValues((old) => ({ ...old, [id]: v }));
    setErrors((old) => {
      const next = { ...old };
      delete next[id];
      return next;
    });
  };

  const payload = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const g of q.groups) {
      if (!visible(g.showIf, values)) continue;
      if (g.repeating) {
        const rows = Array.isArray(values[g.id]) ? (values[g.id] as Record<string, unknown>[]) : [];
        if (rows.length > 0) out[g.id] = rows;
        continue;
      }
      for (const question of g.questions) {
        if (visible(question.showIf, values) && values[question.id] !== undefined) {
          out[question.id] = values[question.id];
        }
      }
    }
    return out;
  };

  const send = async (action: 'draft' | 'submit'): Promise<void> => {
    setBusy(true);
    setSummaryError(null);
    try {
      const r = await api.save(q.visitCode, q.formId, payload(), action);
      if (action === 'submit') onDone(r.late);
      else onBack();
    } catch (e) {
      setConfirming(false);
      if (e instanceof ApiError) {
        setErrors(e.fields);
        setSummaryError(e.message);
      } else setSummaryError(t('error'));
    } finally {
      setBusy(false);
    }
  };

  const missing = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const g of q.groups) {
      if (!visible(g.showIf, values) || g.repeating) continue;
      for (const question of g.questions) {
        if (question.required && visible(question.showIf, values) && !isAnswered(values[question.id])) {
          out[question.id] = t('required');
        }
      }
    }
    return out;
  };

  if (confirming) {
    return (
      <section>
        <Heading>{t('confirmTitle')}</Heading>
        <p>{t('confirmText')}</p>
        <button type="button" className="p-button" disabled={busy} onClick={() => void send('submit')}>
          {t('submit')}
        </button>
        <button type="button" className="p-button p-secondary" onClick={() => setConfirming(false)}>
          {t('back')}
        </button>
      </section>
    );
  }

  if (oneByOne && steps.length > 0) {
    const step = steps[Math.min(index, steps.length - 1)]!;
    const last = index >= steps.length - 1;
    const answered = steps.filter((s) => isAnswered(values[s.question.id])).length;
    const next = (): void => {
      if (!isAnswered(values[step.question.id])) {
        setErrors({ [step.question.id]: t('required') });
        return;
      }
      if (last) {
        setConfirming(true);
        return;
      }
      // A draft is kept at the end of each section, so nothing answered is lost.
      if (steps[index + 1]?.group.id !== step.group.id) {
        void api.save(q.visitCode, q.formId, payload(), 'draft').catch(() => undefined);
      }
      setIndex(index + 1);
    };
    return (
      <section>
        <Heading>{title}</Heading>
        {q.instructions && index === 0 ? <p>{q.instructions}</p> : null}
        {q.recallPeriod ? <p className="p-muted">{t('recall', { period: q.recallPeriod })}</p> : null}
        <p className="p-step" id="step-label">
          {step.group.title} · {t('questionOf', { n: index + 1, total: steps.length })}
        </p>
        <progress className="p-progress" max={steps.length} value={answered} aria-label={t('progress')} />
        {summaryError ? (
          <p className="p-alert" role="alert">
            {summaryError}
          </p>
        ) : null}
        <QuestionField
          key={step.question.id}
          lang={lang}
          question={step.question}
          name=""
          value={values[step.question.id]}
          error={errors[step.question.id]}
          onChange={(v) => set(step.question.id, v)}
          large
        />
        <div className="p-actions">
          <button type="button" className="p-button" onClick={next}>
            {last ? t('submit') : t('next')}
          </button>
          {index > 0 ? (
            <button type="button" className="p-button p-secondary" onClick={() => setIndex(index - 1)}>
              {t('previous')}
            </button>
          ) : null}
          <button type="button" className="p-link" disabled={busy} onClick={() => void send('draft')}>
            {t('saveLater')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section>
      <Heading>{title}</Heading>
      {q.kind === 'diary' ? <p>{t('dateOf', { date: formatDay(lang, q.date) })}</p> : null}
      {q.recallPeriod ? <p className="p-muted">{t('recall', { period: q.recallPeriod })}</p> : null}
      {summaryError ? (
        <p className="p-alert" role="alert">
          {summaryError}
        </p>
      ) : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const m = missing();
          if (Object.keys(m).length > 0) {
            setErrors(m);
            setSummaryError(t('fixErrors'));
            return;
          }
          setConfirming(true);
        }}
      >
        {q.groups.map((g) =>
          visible(g.showIf, values) ? (
            g.repeating ? (
              <RepeatingGroup
                key={g.id}
                lang={lang}
                group={g}
                rows={Array.isArray(values[g.id]) ? (values[g.id] as Record<string, unknown>[]) : []}
                errors={errors}
                onChange={(rows) => set(g.id, rows)}
              />
            ) : (
              g.questions.map((question) =>
                visible(question.showIf, values) ? (
                  <QuestionField
                    key={question.id}
                    lang={lang}
                    question={question}
                    name=""
                    value={values[question.id]}
                    error={errors[question.id]}
                    onChange={(v) => set(question.id, v)}
                  />
                ) : null,
              )
            )
          ) : null,
        )}
        <div className="p-actions">
          <button type="submit" className="p-button" disabled={busy}>
            {t('submit')}
          </button>
          <button type="button" className="p-link" disabled={busy} onClick={() => void send('draft')}>
            {t('saveLater')}
          </button>
        </div>
      </form>
    </section>
  );
}

function RepeatingGroup(props: {
  lang: Lang;
  group: Group;
  rows: Record<string, unknown>[];
  errors: Record<string, string>;
  onChange(rows: Record<string, unknown>[]): void;
}): ReactElement {
  const { lang, group, errors } = props;
  const rows = props.rows.length > 0 ? props.rows : [{}];
  const update = (i: number, id: string, v: unknown): void =>
    props.onChange(rows.map((r, j) => (j === i ? { ...r, [id]: v } : r)));
  return (
    <fieldset className="p-group">
      <legend className="p-legend">{group.title}</legend>
      {rows.map((row, i) => (
        <div key={i} className="p-row">
          {group.questions.map((question) => (
            <QuestionField
              key={question.id}
              lang={lang}
              question={question}
              name={`${group.id}-${i}-`}
              value={row[question.id]}
              error={errors[`${group.id}[${i}].${question.id}`]}
              onChange={(v) => update(i, question.id, v)}
            />
          ))}
          {rows.length > 1 ? (
            <button type="button" className="p-link" onClick={() => props.onChange(rows.filter((_, j) => j !== i))}>
              {translate(lang, 'removeRow')}
            </button>
          ) : null}
        </div>
      ))}
      <button type="button" className="p-button p-secondary" onClick={() => props.onChange([...rows, {}])}>
        {translate(lang, 'addRow')}
      </button>
    </fieldset>
  );
}
