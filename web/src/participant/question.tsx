/** One question: radio choices (NRS 0–10 as a row of big buttons), yes/no, numbers, free text. */
import type { ReactElement } from 'react';
import type { Question, Scalar } from './api.js';
import { translate, type Lang } from './i18n.js';

export interface QuestionProps {
  lang: Lang;
  question: Question;
  /** Field name prefix for repeating rows (`analgesics.0.`). */
  name: string;
  value: unknown;
  error: string | undefined;
  onChange(value: unknown): void;
  /** Show the label as the page's main question (KOOS one-per-screen). */
  large?: boolean;
}

function choices(lang: Lang, q: Question): { value: Scalar; label: string }[] {
  if (q.type === 'boolean') {
    return [
      { value: true, label: translate(lang, 'yes') },
      { value: false, label: translate(lang, 'no') },
    ];
  }
  if (q.options) return q.options;
  if (q.type === 'integer' && q.range && q.range.max - q.range.min <= 10) {
    const out: { value: Scalar; label: string }[] = [];
    for (let v = q.range.min; v <= q.range.max; v++) out.push({ value: v, label: String(v) });
    return out;
  }
  return [];
}

export function QuestionField({ lang, question: q, name, value, error, onChange, large }: QuestionProps): ReactElement {
  const id = `q-${name}${q.id}`;
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [q.help ? helpId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  const list = choices(lang, q);
  const errorText = error ? (
    <p className="p-error" id={errorId}>
      {error}
    </p>
  ) : null;
  const help = q.help ? (
    <p className="p-help" id={helpId}>
      {q.help}
    </p>
  ) : null;
  if (list.length > 0) {
    const scale = q.type === 'integer' && !q.options;
    return (
      <fieldset
        className={`p-question${error ? ' p-invalid' : ''}`}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      >
        <legend className={large ? 'p-legend-large' : 'p-legend'}>{q.label}</legend>
        {help}
        <div className={scale ? 'p-scale' : 'p-choices'}>
          {list.map((c) => {
            const cid = `${id}-${String(c.value)}`;
            return (
              <label key={cid} className="p-choice" htmlFor={cid}>
                <input type="radio" id={cid} name={id} checked={value === c.value} onChange={() => onChange(c.value)} />
                <span>{c.label}</span>
              </label>
            );
          })}
        </div>
        {scale && q.range ? (
          <p className="p-anchors" aria-hidden="true">
            <span>
              {q.range.min} = {translate(lang, 'scale0')}
            </span>
            <span>
              {q.range.max} = {translate(lang, 'scale10')}
            </span>
          </p>
        ) : null}
        {errorText}
      </fieldset>
    );
  }
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  if (q.type === 'text') {
    return (
      <div className={`p-question${error ? ' p-invalid' : ''}`}>
        <label className="p-legend" htmlFor={id}>
          {q.label}
        </label>
        {help}
        <textarea
          id={id}
          rows={q.multiline ? 4 : 2}
          maxLength={q.maxLength ?? undefined}
          value={text}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
        />
        {errorText}
      </div>
    );
  }
  return (
    <div className={`p-question${error ? ' p-invalid' : ''}`}>
      <label className="p-legend" htmlFor={id}>
        {q.label}
      </label>
      {help}
      <input
        id={id}
        type="text"
        inputMode={q.type === 'integer' ? 'numeric' : 'decimal'}
        value={text}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onChange={(e) => {
          const raw = e.target.value.replace(',', '.').trim();
          onChange(raw === '' ? null : Number.isFinite(Number(raw)) ? Number(raw) : raw);
        }}
      />
      {errorText}
    </div>
  );
}
