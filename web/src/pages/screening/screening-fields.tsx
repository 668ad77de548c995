/**
 * The typed controls of the screening form: dates, numbers with their unit beside the input,
 * yes/no and other radio groups, and a select. Each has a visible label, an optional hint and an
 * error linked through aria-describedby, and is usable with the keyboard alone (radio groups move
 * with the arrow keys, as native radios do).
 */
import type { ReactNode } from 'react';

/** What every control gets. */
export interface ControlProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  disabled?: boolean;
  onChange: (value: string) => void;
}

const describedBy = (
  id: string,
  parts: { hint?: string | undefined; error?: string | undefined; unit?: string | null },
): string | undefined =>
  [parts.hint ? `${id}-hint` : null, parts.unit ? `${id}-unit` : null, parts.error ? `${id}-error` : null]
    .filter((x) => x !== null)
    .join(' ') || undefined;

function Hint({ id, hint }: { id: string; hint?: string | undefined }) {
  return hint ? (
    <p id={`${id}-hint`} className="field__hint">
      {hint}
    </p>
  ) : null;
}

function ErrorText({ id, error }: { id: string; error?: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} className="field__error">
      {error}
    </p>
  ) : null;
}

/** A date (the browser's date picker; the value is `YYYY-MM-DD`). */
export function DateControl({ id, label, hint, error, value, disabled, onChange }: ControlProps) {
  return (
    <div className={error ? 'field sf-field field--invalid' : 'field sf-field'}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <Hint id={id} hint={hint} />
      <input
        id={id}
        type="date"
        className="input sf-input--date"
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, { hint, error })}
        onChange={(e) => onChange(e.target.value)}
      />
      <ErrorText id={id} error={error} />
    </div>
  );
}

/** A number typed as text (so "2,5" works in Danish), with its unit beside the input. */
export function NumberControl({
  id,
  label,
  hint,
  error,
  value,
  disabled,
  onChange,
  unit,
  integer,
}: ControlProps & { unit: string | null; integer: boolean }) {
  return (
    <div className={error ? 'field sf-field field--invalid' : 'field sf-field'}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <Hint id={id} hint={hint} />
      <div className="sf-number">
        <input
          id={id}
          type="text"
          inputMode={integer ? 'numeric' : 'decimal'}
          autoComplete="off"
          className="input sf-number__input"
          value={value}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, { hint, error, unit })}
          onChange={(e) => onChange(e.target.value)}
        />
        {unit ? (
          <span id={`${id}-unit`} className="sf-number__unit">
            {unit}
          </span>
        ) : null}
      </div>
      <ErrorText id={id} error={error} />
    </div>
  );
}

/** A group of radio buttons (yes/no, sex, compartment); the group is a fieldset named by its legend. */
export function RadioControl({
  id,
  label,
  hint,
  error,
  value,
  disabled,
  onChange,
  options,
}: ControlProps & { options: readonly { value: string; label: string }[] }) {
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      className={error ? 'sf-radios field--invalid' : 'sf-radios'}
      aria-describedby={describedBy(id, { hint, error })}
      disabled={disabled}
    >
      <legend className="field__label sf-radios__legend">{label}</legend>
      <Hint id={id} hint={hint} />
      <div className="sf-radios__options">
        {options.map((option) => {
          const optionId = `${id}-${option.value}`;
          return (
            <label key={option.value} htmlFor={optionId} className="sf-radio">
              <input
                id={optionId}
                type="radio"
                name={id}
                value={option.value}
                checked={value === option.value}
                aria-invalid={error ? true : undefined}
                onChange={() => onChange(option.value)}
              />
              <span>{option.label}</span>
            </label>
          );
        })}
      </div>
      <ErrorText id={id} error={error} />
    </fieldset>
  );
}

/** A drop-down with an empty "Choose…" first option. */
export function SelectControl({
  id,
  label,
  hint,
  error,
  value,
  disabled,
  onChange,
  placeholder,
  children,
}: ControlProps & { placeholder: string; children: ReactNode }) {
  return (
    <div className={error ? 'field sf-field field--invalid' : 'field sf-field'}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <Hint id={id} hint={hint} />
      <select
        id={id}
        className="input input--select sf-select"
        value={value}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, { hint, error })}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{placeholder}</option>
        {children}
      </select>
      <ErrorText id={id} error={error} />
    </div>
  );
}
