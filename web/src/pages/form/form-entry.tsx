/**
 * The generic eCRF form: every group and item of the definition rendered by `ItemField`,
 * repeating groups with add/remove row, `showIf` applied as the user types, inline checks on
 * leaving a field, an error summary on save that links to each item, and a sticky bar with the
 * progress and Save draft / Submit. Enter in a field never submits (only the buttons do). After
 * submission every change needs a reason, asked for in a dialog that lists what changed. Queries
 * on an item are shown beside it, with the actions the user's role allows.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { isApiError } from '../../api/client.js';
import {
  createFormInstance,
  saveForm,
  type FormLocation,
  type FormView,
  type GroupView,
  type ItemView,
  type QueryView,
  type SaveResult,
} from '../../api/ecrf-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextAreaField } from '../../components/field.js';
import { describeError } from '../../lib/error-messages.js';
import { useEcrfTranslation } from './ecrf-i18n.js';
import { formatValue } from './ecrf-format.js';
import {
  checkForm,
  controlId,
  emptyRow,
  isEnterable,
  isScale,
  issuePath,
  rawFromValues,
  sameValues,
  valuePath,
  type Problem,
  type RawForm,
  type RawValue,
} from './form-model.js';
import { ItemField } from './item-field.js';
import { QueryCard, RaiseQueryButton, type QueryRights } from './query-thread.js';

/** Where the form is saved: an existing place, or a new instance of a repeating form. */
export type FormTarget = FormLocation | { kind: 'new'; participantId: string; formId: string };

/** What the user may do on this form. */
export interface FormRights extends QueryRights {
  /** Enter and change data (site staff, form and casebook not locked). */
  write: boolean;
  /** Raise queries (monitors, data managers) on a stored instance. */
  raise: boolean;
}

/** Props of FormEntry. */
export interface FormEntryProps {
  view: FormView;
  target: FormTarget;
  rights: FormRights;
  me: string;
  onSaved: (result: SaveResult, notice: string) => void;
  onQueryChanged: (query: QueryView) => void;
}

/** Paths whose value changed between two typed value records (top-level items and groups). */
function changedKeys(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  masked: readonly string[],
): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !masked.includes(k) && !sameValues(before[k] ?? null, after[k] ?? null));
}

/** The generic data-entry form. */
export function FormEntry({ view, target, rights, me, onSaved, onQueryChanged }: FormEntryProps) {
  const { et, t, pick, language, locale } = useEcrfTranslation();
  const definition = view.definition;
  const [raw, setRaw] = useState<RawForm>(() => rawFromValues(definition, view.values, language === 'da'));
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [attempt, setAttempt] = useState<'draft' | 'submit' | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [summary, setSummary] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const summaryRef = useRef<HTMLDivElement>(null);

  const submitted = view.instance?.status === 'submitted';
  const editable = rights.write;
  const check = useMemo(
    () => checkForm(definition, raw, attempt === 'submit' ? 'submit' : 'draft'),
    [definition, raw, attempt],
  );
  const changed = useMemo(
    () => changedKeys(view.values, check.values, view.masked),
    [view.values, view.masked, check.values],
  );
  const dirty = changed.length > 0;

  const items = useMemo(() => {
    const map = new Map<string, ItemView>();
    for (const g of definition.groups) for (const i of g.items) map.set(i.id, i);
    return map;
  }, [definition]);
  const groups = useMemo(() => new Map(definition.groups.map((g) => [g.id, g])), [definition]);

  useEffect(() => {
    if (!dirty) return undefined;
    // Leaving the page with unsaved entries asks first (the browser shows its own text).
    const warn = (e: BeforeUnloadEvent): void => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const problemText = (p: Problem): string => et(p.key, p.values);
  const labelOfPath = (path: string): string => {
    const m = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(path);
    if (m) {
      const group = groups.get(m[1] ?? '');
      const item = items.get(m[3] ?? '');
      return `${group ? pick(group.name) : m[1]} ${Number(m[2]) + 1}: ${item ? pick(item.label) : m[3]}`;
    }
    const item = items.get(path);
    return item ? pick(item.label) : path;
  };

  const setValue = (path: string, value: RawValue): void => {
    setNotice(null);
    if (serverErrors[path]) setServerErrors(({ [path]: _gone, ...rest }) => rest);
    const m = /^(\w+)\[(\d+)\]\.(\w+)$/.exec(path);
    setRaw((r) => {
      if (!m) return { ...r, items: { ...r.items, [path]: value } };
      const [, groupId = '', index, itemId = ''] = m;
      const rows = [...(r.rows[groupId] ?? [])];
      rows[Number(index)] = { ...rows[Number(index)], [itemId]: value };
      return { ...r, rows: { ...r.rows, [groupId]: rows } };
    });
    // A choice is complete when made: check it at once (typed fields are checked on leaving them).
    const item = items.get(m ? (m[3] ?? '') : path);
    if (item && (item.type === 'code' || item.type === 'boolean' || item.type === 'file')) {
      setTouched((s) => new Set(s).add(path));
    }
  };
  const blur = (path: string): void => setTouched((s) => (s.has(path) ? s : new Set(s).add(path)));

  const addRow = (group: GroupView): void => {
    const index = (raw.rows[group.id] ?? []).length;
    setRaw((r) => ({ ...r, rows: { ...r.rows, [group.id]: [...(r.rows[group.id] ?? []), emptyRow(group)] } }));
    // Focus the first control of the new row once it is rendered.
    const first = group.items.find(isEnterable);
    if (first) {
      window.setTimeout(() => {
        const el = document.getElementById(controlId(valuePath(first.id, { groupId: group.id, index })));
        (el?.querySelector<HTMLElement>('input, select, textarea') ?? el)?.focus();
      }, 0);
    }
  };
  const removeRow = (group: GroupView, index: number): void => {
    setRaw((r) => ({ ...r, rows: { ...r.rows, [group.id]: (r.rows[group.id] ?? []).filter((_, i) => i !== index) } }));
    setServerErrors({});
    document.getElementById(`add-${group.id}`)?.focus();
  };

  const focusPath = (path: string): void => {
    const el = document.getElementById(controlId(path));
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    const control = el.matches('input, select, textarea')
      ? el
      : (el.querySelector<HTMLElement>('input:checked') ?? el.querySelector<HTMLElement>('input, select, textarea'));
    (control ?? el).focus();
  };

  const showSummary = (paths: string[]): void => {
    setSummary(paths);
    window.setTimeout(() => summaryRef.current?.focus(), 0);
  };

  const send = async (action: 'draft' | 'submit', withReason: string | null): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const values = checkForm(definition, raw, action).values;
      const input = { values, action, reason: withReason, expectedVersion: view.instance?.version ?? null };
      const result =
        target.kind === 'new'
          ? await createFormInstance(target.participantId, target.formId, input)
          : await saveForm(target, input);
      setAsking(false);
      setReason('');
      setServerErrors({});
      setSummary([]);
      const parts = [
        action === 'submit' ? (submitted ? et('form.savedCorrection') : et('form.submitted')) : et('form.savedDraft'),
      ];
      if (result.autoQueries.raised > 0) parts.push(et('form.autoQueries', { count: result.autoQueries.raised }));
      onSaved(result, parts.join(' '));
    } catch (err) {
      const byPath: Record<string, string> = {};
      let reasonProblem = false;
      if (isApiError(err)) {
        for (const d of err.details) {
          if (d.path === 'reason' || d.path.endsWith('.reason')) reasonProblem = true;
          else if (d.path.startsWith('values.') || d.path.startsWith('body.values.')) {
            const path = issuePath(d);
            byPath[path] ??= /required/.test(d.message) ? et('problems.required') : d.message;
          }
        }
      }
      if (reasonProblem) {
        setReasonError(et('form.reasonRequired'));
        setAsking(true);
      } else {
        setAsking(false);
        setServerErrors(byPath);
        setError(err);
        if (Object.keys(byPath).length > 0) showSummary(Object.keys(byPath));
      }
    } finally {
      setBusy(false);
    }
  };

  const save = (action: 'draft' | 'submit'): void => {
    setNotice(null);
    setError(null);
    setAttempt(action);
    const result = checkForm(definition, raw, action);
    const problems = Object.keys(result.errors);
    if (problems.length > 0) {
      showSummary(problems);
      return;
    }
    setSummary([]);
    if (!dirty && (submitted || (action === 'draft' && view.instance !== null))) {
      setNotice(et('form.noChanges'));
      return;
    }
    if (submitted) {
      setReasonError(undefined);
      setAsking(true);
      return;
    }
    void send(action, null);
  };

  // The form is a `div role="form"`, not a `<form>`: queries with their own small forms (answer,
  // raise) sit beside the items, and forms cannot nest. So Enter in a field never submits; only
  // the buttons save. Enter is still swallowed on fields so no browser default acts on it.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const el = e.target as HTMLElement;
    if (e.key === 'Enter' && (el.tagName === 'INPUT' || el.tagName === 'SELECT') && el.closest('form') === null) {
      e.preventDefault();
    }
  };

  const queriesAt = (path: string | null): QueryView[] =>
    view.queries.filter((q) => q.itemPath === path && q.status !== 'closed');
  const storedWarnings = (path: string): string | undefined => {
    const w =
      view.itemStates[path]?.warnings.filter((x) => x.code !== 'soft_range' && x.code !== 'cleared_hidden') ?? [];
    return w.length > 0 ? w.map((x) => x.message).join(' ') : undefined;
  };
  const errorFor = (path: string): string | undefined => {
    const p = check.errors[path];
    if (p && (touched.has(path) || attempt !== null)) return problemText(p);
    return serverErrors[path];
  };
  const warningFor = (path: string, item: ItemView): string | undefined => {
    if (!editable) {
      const stored = view.itemStates[path]?.warnings ?? [];
      if (stored.some((w) => w.code === 'soft_range') && item.range) {
        return et('problems.softRangeStored');
      }
      return storedWarnings(path);
    }
    const p = check.warnings[path];
    return p ? problemText(p) : storedWarnings(path);
  };

  const instanceId = view.instance?.id ?? null;
  const queryBlock = (path: string, subject: string) => {
    const list = queriesAt(path);
    const raise = rights.raise && instanceId !== null && !view.locks.form;
    if (list.length === 0 && !raise) return undefined;
    return (
      <>
        {list.map((q) => (
          <QueryCard key={q.id} query={q} rights={rights} me={me} onChanged={onQueryChanged} />
        ))}
        {raise && instanceId ? (
          <RaiseQueryButton instanceId={instanceId} itemPath={path} subject={subject} onRaised={onQueryChanged} />
        ) : null}
      </>
    );
  };

  const storedOf = (item: ItemView, row?: Record<string, unknown>): unknown =>
    item.derived ? view.derived[item.id] : row ? row[item.id] : view.values[item.id];

  const field = (item: ItemView, path: string, rawValue: RawValue, stored: unknown) => (
    <ItemField
      key={path}
      item={item}
      path={path}
      raw={rawValue}
      stored={stored}
      editable={editable && isEnterable(item)}
      error={errorFor(path)}
      warning={warningFor(path, item)}
      queries={queryBlock(path, labelOfPath(path))}
      queried={queriesAt(path).length > 0}
      participantId={view.participant.id}
      onChange={setValue}
      onBlur={blur}
    />
  );

  const storedRows = (groupId: string): Record<string, unknown>[] =>
    Array.isArray(view.values[groupId]) ? (view.values[groupId] as Record<string, unknown>[]) : [];

  const renderGroup = (group: GroupView) => {
    if (check.shown[group.id] === false) return null;
    const visibleItems = group.items.filter((i) => i.applicable);
    if (visibleItems.length === 0) return null;
    const scale = visibleItems.find(isScale);
    const answerable = visibleItems.filter((i) => isEnterable(i) && check.shown[i.id] !== false);
    const answered = answerable.filter((i) => check.values[i.id] !== undefined).length;
    const titleId = `group-${group.id}`;
    return (
      <section
        key={group.id}
        className={`card ec-group${scale ? ' ec-group--scale' : ''}`}
        aria-labelledby={titleId}
        data-group={group.id}
      >
        <h2 id={titleId} className="ec-group__title">
          {pick(group.name)}
          {scale && !group.repeating ? (
            <span className="ec-group__count">{et('form.groupProgress', { answered, total: answerable.length })}</span>
          ) : null}
        </h2>
        {scale?.codeList ? (
          <p className="ec-scale-key">
            {scale.codeList.entries.map((e) => (
              <span key={String(e.code)} className="ec-scale-key__entry">
                <span className="ec-scale-key__code">{String(e.code)}</span> {pick(e.label)}
              </span>
            ))}
          </p>
        ) : null}
        {group.repeating ? (
          <>
            {(raw.rows[group.id] ?? []).length === 0 ? <p className="muted">{et('form.noRows')}</p> : null}
            {(raw.rows[group.id] ?? []).map((row, index) => (
              <fieldset
                key={index}
                className="ec-row"
                aria-label={et('form.rowLabel', { group: pick(group.name), n: index + 1 })}
              >
                <legend className="ec-row__legend">
                  {et('form.rowLabel', { group: pick(group.name), n: index + 1 })}
                </legend>
                <div className="ec-grid">
                  {visibleItems
                    .filter((item) => check.shown[valuePath(item.id, { groupId: group.id, index })] !== false)
                    .map((item) => {
                      const path = valuePath(item.id, { groupId: group.id, index });
                      return field(item, path, row[item.id] ?? null, storedOf(item, storedRows(group.id)[index]));
                    })}
                </div>
                {editable ? (
                  <button
                    type="button"
                    className="button button--danger-outline button--small"
                    onClick={() => removeRow(group, index)}
                  >
                    {et('form.removeRow', { n: index + 1 })}
                  </button>
                ) : null}
              </fieldset>
            ))}
            {editable ? (
              <button
                id={`add-${group.id}`}
                type="button"
                className="button button--secondary"
                onClick={() => addRow(group)}
              >
                {et('form.addRow', { group: pick(group.name) })}
              </button>
            ) : null}
          </>
        ) : (
          <div className={scale ? 'ec-scale-list' : 'ec-grid'}>
            {visibleItems
              .filter((item) => check.shown[item.id] !== false)
              .map((item) => field(item, item.id, raw.items[item.id] ?? null, storedOf(item)))}
          </div>
        )}
      </section>
    );
  };

  const formQueries = queriesAt(null);
  const pct = check.progress.total === 0 ? 100 : Math.round((check.progress.answered / check.progress.total) * 100);

  return (
    <>
      {formQueries.length > 0 || (rights.raise && instanceId) ? (
        <section className="card ec-form-queries" aria-labelledby="form-queries-title">
          <h2 id="form-queries-title" className="ec-group__title">
            {et('form.formQueries')}
          </h2>
          {formQueries.map((q) => (
            <QueryCard key={q.id} query={q} rights={rights} me={me} onChanged={onQueryChanged} />
          ))}
          {rights.raise && instanceId && !view.locks.form ? (
            <RaiseQueryButton
              instanceId={instanceId}
              itemPath={null}
              subject={pick(definition.title)}
              onRaised={onQueryChanged}
            />
          ) : null}
        </section>
      ) : null}
      {summary.length > 0 ? (
        <div
          ref={summaryRef}
          tabIndex={-1}
          className="alert alert--error ec-summary"
          role="alert"
          aria-labelledby="ec-summary-title"
        >
          <p id="ec-summary-title" className="ec-summary__title">
            {et('form.summaryTitle', { count: summary.length })}
          </p>
          <ul className="ec-summary__list">
            {summary.map((path) => (
              <li key={path}>
                <a
                  href={`#${controlId(path)}`}
                  onClick={(e) => {
                    // Move focus in place: a fragment navigation would go through the app's router.
                    e.preventDefault();
                    focusPath(path);
                  }}
                >
                  {labelOfPath(path)}: {check.errors[path] ? problemText(check.errors[path]) : serverErrors[path]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div role="form" className="ec-form" onKeyDown={onKeyDown} aria-label={pick(definition.title)}>
        {editable && definition.groups.some((g) => g.items.some((i) => i.required)) ? (
          <p className="muted ec-form__legend">{et('form.requiredLegend')}</p>
        ) : null}
        {editable && definition.groups.some((g) => g.items.some(isScale)) ? (
          <p className="muted ec-form__legend">{et('form.scaleKeys')}</p>
        ) : null}
        {definition.groups.map(renderGroup)}
        {editable ? (
          <div className="ec-savebar">
            {error && summary.length === 0 ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
            {notice ? <Alert tone="success">{notice}</Alert> : null}
            <div className="ec-savebar__row">
              <div className="ec-savebar__progress">
                <label htmlFor="form-progress" className="ec-savebar__label">
                  {et('form.progress', { answered: check.progress.answered, total: check.progress.total })}
                </label>
                <progress id="form-progress" max={100} value={pct} className="ec-progress">
                  {pct} %
                </progress>
                <span
                  className={dirty ? 'ec-savebar__status' : 'ec-savebar__status ec-savebar__status--saved'}
                  aria-live="polite"
                >
                  {dirty ? et('form.unsaved') : submitted ? et('form.allSaved') : ''}
                </span>
              </div>
              <div className="ec-savebar__actions">
                {!submitted ? (
                  <button
                    type="button"
                    className="button button--secondary"
                    disabled={busy}
                    onClick={() => save('draft')}
                  >
                    {et('form.saveDraft')}
                  </button>
                ) : null}
                <button type="button" className="button button--primary" disabled={busy} onClick={() => save('submit')}>
                  {busy ? et('form.saving') : submitted ? et('form.saveCorrection') : et('form.submit')}
                </button>
              </div>
            </div>
          </div>
        ) : null}
      </div>
      {asking ? (
        <Dialog title={et('form.reasonTitle')} onClose={() => setAsking(false)}>
          <p>{et('form.reasonIntro')}</p>
          <ul className="ec-changes">
            {changed.map((key) => {
              const item = items.get(key);
              const group = groups.get(key);
              return (
                <li key={key}>
                  <strong>{item ? pick(item.label) : group ? pick(group.name) : key}</strong>
                  {item
                    ? `: ${formatValue(item, view.values[key], { et, pick, locale })} → ${formatValue(item, check.values[key], { et, pick, locale })}`
                    : null}
                </li>
              );
            })}
          </ul>
          <form
            className="form"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (reason.trim() === '') {
                setReasonError(et('form.reasonRequired'));
                document.getElementById('change-reason')?.focus();
                return;
              }
              void send('submit', reason.trim());
            }}
          >
            <TextAreaField
              id="change-reason"
              label={et('form.reason')}
              hint={et('form.reasonHint')}
              rows={3}
              required
              autoFocus
              value={reason}
              error={reasonError}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonError(undefined);
              }}
            />
            <div className="form__actions">
              <button type="submit" className="button button--primary" disabled={busy}>
                {et('form.saveCorrection')}
              </button>
              <button type="button" className="button button--secondary" onClick={() => setAsking(false)}>
                {et('common.cancel')}
              </button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </>
  );
}
