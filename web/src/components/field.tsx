/**
 * Form fields with a visible label, an optional hint and an error message, both linked to the
 * control through aria-describedby; an invalid control carries aria-invalid.
 */
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';

interface FieldChrome {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
}

const describedBy = ({ id, hint, error }: FieldChrome): string | undefined =>
  [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter((x) => x !== null).join(' ') || undefined;

function FieldShell({ id, label, hint, error, children }: FieldChrome & { children: ReactNode }) {
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {children}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Props of TextField: the chrome plus any input attribute. */
export type TextFieldProps = FieldChrome & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'>;

/** A labelled single-line input. */
export function TextField({ id, label, hint, error, ...input }: TextFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ id, label, hint, error })}
        {...input}
      />
    </FieldShell>
  );
}

/** Props of TextAreaField. */
export type TextAreaFieldProps = FieldChrome & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>;

/** A labelled multi-line input. */
export function TextAreaField({ id, label, hint, error, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        className="input input--textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ id, label, hint, error })}
        {...textarea}
      />
    </FieldShell>
  );
}

/** Props of SelectField. */
export type SelectFieldProps = FieldChrome &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & { children: ReactNode };

/** A labelled drop-down. */
export function SelectField({ id, label, hint, error, children, ...select }: SelectFieldProps) {
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        className="input input--select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ id, label, hint, error })}
        {...select}
      >
        {children}
      </select>
    </FieldShell>
  );
}
