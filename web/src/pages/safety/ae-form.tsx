/**
 * The adverse-event form, for a new event and for a follow-up: verbatim term, optional MedDRA codes
 * with their version, partial onset/end dates, CTCAE grade, the six seriousness flags (with the
 * 24-hour deadline shown as soon as the event is serious), the investigator's causality (for
 * investigators only), action taken, outcome, narrative, awareness times, and a reason for a
 * follow-up. Problems are shown next to their fields, in the user's language.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import {
  AE_ACTION_CODES,
  AE_OUTCOME_CODES,
  CAUSALITY_CODES,
  CTCAE_GRADES,
  SERIOUSNESS_CRITERIA,
  type AeAction,
  type Causality,
} from '../../api/safety-api.js';
import { isApiError } from '../../api/client.js';
import { Alert } from '../../components/alert.js';
import { SelectField, TextAreaField, TextField } from '../../components/field.js';
import { describeError, translateFieldMessage } from '../../lib/error-messages.js';
import { useCommonStrings } from '../randomization/common-strings.js';
import { formatCphLong, instantFromCphInput } from '../randomization/trial-format.js';
import {
  aeMessageKey,
  buildAe,
  fieldOfDetail,
  isSeriousDraft,
  type AeDraft,
  type AeErrorKey,
  type BuiltAe,
} from './ae-form-model.js';
import { useSafetyStrings } from './safety-i18n.js';

/** Props of AeForm. */
export interface AeFormProps {
  mode: 'new' | 'followUp';
  initial: AeDraft;
  /** Participants to choose from; omitted when the participant is fixed. */
  participants?: readonly { id: string; studyId: string }[];
  /** The fixed participant's study id (follow-up, or an AE from a review task). */
  fixedStudyId?: string;
  /** Whether the user may record the investigator's causality. */
  mayAssess: boolean;
  /** For a follow-up: whether the event is already serious. */
  wasSerious?: boolean;
  submitLabel: string;
  /** Saves; throws the API error when refused. */
  onSubmit: (built: BuiltAe) => Promise<void>;
  onCancel?: () => void;
}

const idOf = (field: string): string => `ae-${field.replace(/\./g, '-')}`;

/** The form. */
export function AeForm({
  mode,
  initial,
  participants,
  fixedStudyId,
  mayAssess,
  wasSerious = false,
  submitLabel,
  onSubmit,
  onCancel,
}: AeFormProps) {
  const { pt, t, locale } = useSafetyStrings();
  const common = useCommonStrings();
  const [d, setD] = useState<AeDraft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const followUp = mode === 'followUp';

  const set = <K extends keyof AeDraft>(key: K, value: AeDraft[K], field: string = key): void => {
    setD((x) => ({ ...x, [key]: value }));
    setErrors((e) => (e[field] ? { ...e, [field]: '' } : e));
  };
  const err = (field: string): string | undefined => errors[field] || undefined;
  const serious = isSeriousDraft(d);
  const asksSeriousAwareness = serious && (!followUp || !wasSerious);

  const reportDue = useMemo(() => {
    if (!serious || (followUp && wasSerious)) return null;
    const from =
      instantFromCphInput(d.seriousAwarenessAt) ??
      (followUp ? new Date().toISOString() : instantFromCphInput(d.siteAwarenessAt));
    return from ? new Date(Date.parse(from) + 24 * 3_600_000).toISOString() : null;
  }, [serious, followUp, wasSerious, d.seriousAwarenessAt, d.siteAwarenessAt]);

  const translateKey = (key: AeErrorKey): string => pt(key);

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const { built, errors: found } = buildAe(d, { mayAssess, followUp, wasSerious });
    const translated = Object.fromEntries(Object.entries(found).map(([k, v]) => [k, translateKey(v)]));
    setErrors(translated);
    if (!built) {
      const first = Object.keys(found)[0];
      if (first) document.getElementById(idOf(first))?.focus();
      return;
    }
    setBusy(true);
    try {
      await onSubmit(built);
    } catch (caught) {
      setBusy(false);
      setError(caught);
      if (isApiError(caught)) {
        const fromServer: Record<string, string> = {};
        for (const detail of caught.details) {
          const field = fieldOfDetail(detail);
          const key = aeMessageKey(detail.message);
          fromServer[field] ??= key ? pt(key) : translateFieldMessage(t, detail.message);
        }
        setErrors(fromServer);
        const first = Object.keys(fromServer)[0];
        if (first) document.getElementById(idOf(first))?.focus();
      }
    }
  };

  const group = (
    field: string,
    legend: string,
    hint: string | null,
    children: ReactNode,
    opts: { stacked?: boolean; hiddenLegend?: boolean } = {},
  ) => (
    <fieldset
      className={`tp-choices${opts.stacked ? ' tp-choices--stacked' : ''}${err(field) ? ' field--invalid' : ''}`}
      aria-describedby={
        [hint ? `${idOf(field)}-hint` : null, err(field) ? `${idOf(field)}-error` : null].filter(Boolean).join(' ') ||
        undefined
      }
    >
      {/* The section heading already shows the question; the legend still names the group. */}
      <legend className={opts.hiddenLegend ? 'visually-hidden' : 'tp-choices__legend'}>{legend}</legend>
      {hint ? (
        <p id={`${idOf(field)}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <div className="tp-choices__options">{children}</div>
      {err(field) ? (
        <p id={`${idOf(field)}-error`} className="field__error">
          {err(field)}
        </p>
      ) : null}
    </fieldset>
  );

  const causalityRadios = (which: 'causalityCell' | 'causalityProcedure', legend: string, firstId: string) =>
    group(
      which === 'causalityCell' ? 'causality' : 'causality-procedure',
      legend,
      null,
      CAUSALITY_CODES.map((c: Causality, i) => (
        <label key={c} className="tp-choice">
          <input
            type="radio"
            name={`ae-${which}`}
            id={i === 0 ? firstId : undefined}
            checked={d[which] === c}
            onChange={() => set(which, c, 'causality')}
          />
          {pt(`form.causalityCodes.${c}`)}
        </label>
      )),
    );

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate>
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}

      <section className="card tp-section" aria-labelledby="ae-section-event">
        <h2 id="ae-section-event" className="tp-section__title">
          {pt('form.event')}
        </h2>
        <div className="form">
          {participants ? (
            <SelectField
              id={idOf('participantId')}
              label={pt('common.participant')}
              value={d.participantId}
              onChange={(e) => set('participantId', e.target.value)}
              error={err('participantId')}
            >
              <option value="">{pt('common.chooseParticipant')}</option>
              {participants.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.studyId}
                </option>
              ))}
            </SelectField>
          ) : (
            <p>
              <strong>{pt('common.participant')}:</strong> <span className="tp-code">{fixedStudyId}</span>
            </p>
          )}
          <TextField
            id={idOf('verbatimTerm')}
            label={pt('form.verbatimTerm')}
            hint={pt('form.verbatimHint')}
            maxLength={200}
            value={d.verbatimTerm}
            onChange={(e) => set('verbatimTerm', e.target.value)}
            error={err('verbatimTerm')}
          />
          <details className="tp-details" open={Boolean(d.meddraVersion || d.ptCode || d.lltCode || d.socCode)}>
            <summary>{pt('form.meddra')}</summary>
            <p className="field__hint">{pt('form.meddraHint')}</p>
            <div className="tp-form-grid">
              <TextField
                id={idOf('meddra.version')}
                label={pt('form.meddraVersion')}
                inputMode="decimal"
                className="input tp-input--short"
                value={d.meddraVersion}
                onChange={(e) => set('meddraVersion', e.target.value, 'meddra.version')}
                error={err('meddra.version')}
              />
            </div>
            <div className="tp-form-grid tp-section">
              {(
                [
                  ['lltCode', 'lltName'],
                  ['ptCode', 'ptName'],
                  ['socCode', 'socName'],
                ] as const
              ).map(([code, name]) => (
                <div key={code} className="form">
                  <TextField
                    id={idOf(`meddra.${code}`)}
                    label={pt(`form.${code}`)}
                    inputMode="numeric"
                    className="input tp-input--short tp-code"
                    value={d[code]}
                    onChange={(e) => set(code, e.target.value, `meddra.${code}`)}
                    error={err(`meddra.${code}`)}
                  />
                  <TextField
                    id={idOf(`meddra.${name}`)}
                    label={pt(`form.${name}`)}
                    value={d[name]}
                    onChange={(e) => set(name, e.target.value, `meddra.${name}`)}
                    error={err(`meddra.${name}`)}
                  />
                </div>
              ))}
            </div>
          </details>
        </div>
      </section>

      <section className="card tp-section" aria-labelledby="ae-section-dates">
        <h2 id="ae-section-dates" className="tp-section__title">
          {pt('form.dates')}
        </h2>
        <div className="tp-form-grid">
          <TextField
            id={idOf('onsetDate')}
            label={pt('form.onsetDate')}
            hint={pt('form.dateHint')}
            placeholder="2026-11-24"
            inputMode="numeric"
            className="input tp-input--date"
            value={d.onsetDate}
            onChange={(e) => set('onsetDate', e.target.value)}
            error={err('onsetDate')}
          />
          <TextField
            id={idOf('endDate')}
            label={pt('form.endDate')}
            hint={pt('form.endHint')}
            inputMode="numeric"
            className="input tp-input--date"
            value={d.endDate}
            onChange={(e) => set('endDate', e.target.value)}
            error={err('endDate')}
          />
        </div>
      </section>

      <section className="card tp-section" aria-labelledby="ae-section-severity">
        <h2 id="ae-section-severity" className="tp-section__title">
          {pt('form.grade')}
        </h2>
        {group(
          'grade',
          pt('form.grade'),
          null,
          CTCAE_GRADES.map((g, i) => {
            const key = String(g) as '1' | '2' | '3' | '4' | '5';
            return (
              <label key={g} className="tp-choice">
                <input
                  type="radio"
                  name="ae-grade"
                  id={i === 0 ? idOf('grade') : undefined}
                  checked={d.grade === key}
                  onChange={() => set('grade', key)}
                />
                <span className="tp-choice__text">
                  {pt('form.gradeLabel', { grade: g })}
                  <span className="tp-choice__hint">{pt(`form.grades.${key}`)}</span>
                </span>
              </label>
            );
          }),
          { stacked: true, hiddenLegend: true },
        )}
      </section>

      <section className="card tp-section" aria-labelledby="ae-section-seriousness">
        <h2 id="ae-section-seriousness" className="tp-section__title">
          {pt('form.seriousness')}
        </h2>
        {group(
          'seriousness',
          pt('form.seriousness'),
          pt('form.seriousnessHint'),
          SERIOUSNESS_CRITERIA.map((c, i) => (
            <label key={c} className="tp-choice">
              <input
                type="checkbox"
                id={i === 0 ? idOf('seriousness') : undefined}
                checked={d.seriousness[c]}
                onChange={(e) => set('seriousness', { ...d.seriousness, [c]: e.target.checked })}
              />
              {pt(`form.criteria.${c}`)}
            </label>
          )),
          { stacked: true, hiddenLegend: true },
        )}
        <p
          className={serious ? 'tp-callout tp-callout--danger tp-section' : 'tp-callout tp-section'}
          role="status"
          data-serious-preview={serious}
        >
          {serious && reportDue
            ? pt('form.seriousNow', { due: pt('common.copenhagen', { time: formatCphLong(reportDue, locale) }) })
            : serious
              ? pt('common.serious')
              : pt('form.notSeriousNow')}
        </p>
        {group(
          'localToIndexKnee',
          pt('form.localToIndexKnee'),
          null,
          (['yes', 'no'] as const).map((v, i) => (
            <label key={v} className="tp-choice">
              <input
                type="radio"
                name="ae-local"
                id={i === 0 ? idOf('localToIndexKnee') : undefined}
                checked={d.localToIndexKnee === v}
                onChange={() => set('localToIndexKnee', v)}
              />
              {common.pt(v)}
            </label>
          )),
        )}
      </section>

      <section className="card tp-section" aria-labelledby="ae-section-causality">
        <h2 id="ae-section-causality" className="tp-section__title">
          {pt('form.causality')}
        </h2>
        {mayAssess ? (
          <>
            <p className="field__hint">{pt('form.causalityHint')}</p>
            <div className="tp-form-grid">
              {causalityRadios('causalityCell', pt('form.cellProduct'), idOf('causality'))}
              {causalityRadios('causalityProcedure', pt('form.procedure'), 'ae-causality-procedure-first')}
            </div>
          </>
        ) : (
          <p className="muted">{pt('form.causalityOnlyInvestigator')}</p>
        )}
      </section>

      <section className="card tp-section" aria-labelledby="ae-section-action">
        <h2 id="ae-section-action" className="tp-section__title">
          {pt('form.actionTaken')}
        </h2>
        {group(
          'actionTaken',
          pt('form.actionTaken'),
          pt('form.actionHint'),
          AE_ACTION_CODES.map((a: AeAction, i) => (
            <label key={a} className="tp-choice">
              <input
                type="checkbox"
                id={i === 0 ? idOf('actionTaken') : undefined}
                checked={d.actionTaken.includes(a)}
                onChange={(e) =>
                  set('actionTaken', e.target.checked ? [...d.actionTaken, a] : d.actionTaken.filter((x) => x !== a))
                }
              />
              {pt(`form.actions.${a}`)}
            </label>
          )),
          { hiddenLegend: true },
        )}
        <div className="tp-form-grid tp-section">
          <SelectField
            id={idOf('outcome')}
            label={pt('form.outcome')}
            value={d.outcome}
            onChange={(e) => set('outcome', e.target.value as AeDraft['outcome'])}
            error={err('outcome')}
          >
            <option value="">{pt('form.chooseOutcome')}</option>
            {AE_OUTCOME_CODES.map((o) => (
              <option key={o} value={o}>
                {pt(`form.outcomes.${o}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="tp-section">
          <TextAreaField
            id={idOf('narrative')}
            label={pt('form.narrative')}
            maxLength={4000}
            value={d.narrative}
            onChange={(e) => set('narrative', e.target.value)}
            error={err('narrative')}
          />
        </div>
      </section>

      {!followUp || asksSeriousAwareness ? (
        <section className="card tp-section" aria-labelledby="ae-section-awareness">
          <h2 id="ae-section-awareness" className="tp-section__title">
            {pt('form.awareness')}
          </h2>
          <div className="tp-form-grid">
            {!followUp ? (
              <TextField
                id={idOf('siteAwarenessAt')}
                type="datetime-local"
                label={pt('form.siteAwarenessAt')}
                hint={pt('form.awarenessHint')}
                className="input tp-input--date"
                value={d.siteAwarenessAt}
                onChange={(e) => set('siteAwarenessAt', e.target.value)}
                error={err('siteAwarenessAt')}
              />
            ) : null}
            {asksSeriousAwareness ? (
              <TextField
                id={idOf('seriousAwarenessAt')}
                type="datetime-local"
                label={pt('form.seriousAwarenessAt')}
                hint={pt('form.seriousAwarenessHint')}
                className="input tp-input--date"
                value={d.seriousAwarenessAt}
                onChange={(e) => set('seriousAwarenessAt', e.target.value)}
                error={err('seriousAwarenessAt')}
              />
            ) : null}
          </div>
        </section>
      ) : null}

      {followUp ? (
        <div className="card tp-section">
          <TextAreaField
            id={idOf('reason')}
            label={pt('form.reason')}
            hint={pt('form.reasonHint')}
            value={d.reason}
            onChange={(e) => set('reason', e.target.value)}
            error={err('reason')}
          />
        </div>
      ) : null}

      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? pt('form.saving') : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {pt('form.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
}
