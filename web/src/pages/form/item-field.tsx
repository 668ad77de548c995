/**
 * One eCRF item, rendered from its definition: numbers with unit (text input, so "2,5" works in
 * Danish), text, dates, partial dates, date-times, yes/no, code lists (a numbered scale for KOOS-like
 * ordered lists, radios for short lists, a drop-down for long ones, check boxes for multiple choice)
 * and files. Every control has a visible label; hint, error, warning and queries are linked to it
 * with aria-describedby, and errors and warnings sit in live regions so they are announced when
 * they appear. Read-only mode shows the value as text (monitors, locked forms, derived items).
 */
import { useState, type ChangeEvent, type KeyboardEvent, type ReactNode } from 'react';
import { uploadAttachment, type AttachmentRef, type ItemView } from '../../api/ecrf-api.js';
import { describeError } from '../../lib/error-messages.js';
import { useEcrfTranslation } from './ecrf-i18n.js';
import { formatValue } from './ecrf-format.js';
import { controlId, isScale, type RawValue } from './form-model.js';

/** Props of ItemField. */
export interface ItemFieldProps {
  item: ItemView;
  /** Value path (`item` or `group[row].item`): the control's id and the key of its problems. */
  path: string;
  raw: RawValue;
  /** The stored value (read-only mode and derived items). */
  stored: unknown;
  editable: boolean;
  error?: string | undefined;
  warning?: string | undefined;
  /** Queries and the raise-query button, shown under the control. */
  queries?: ReactNode;
  /** Whether the item has unresolved queries (highlights it). */
  queried?: boolean;
  participantId: string;
  onChange: (path: string, value: RawValue) => void;
  onBlur: (path: string) => void;
}

const describedBy = (id: string, parts: { hint: boolean; unit: boolean; queries: boolean }): string =>
  [
    parts.hint ? `${id}-hint` : null,
    parts.unit ? `${id}-unit` : null,
    `${id}-error`,
    `${id}-warning`,
    parts.queries ? `${id}-queries` : null,
  ]
    .filter((x) => x !== null)
    .join(' ');

function Messages({ id, error, warning }: { id: string; error?: string | undefined; warning?: string | undefined }) {
  return (
    <>
      <div id={`${id}-error`} aria-live="polite" className="ec-item__live">
        {error ? <p className="field__error">{error}</p> : null}
      </div>
      <div id={`${id}-warning`} aria-live="polite" className="ec-item__live">
        {warning ? <p className="ec-warning">{warning}</p> : null}
      </div>
    </>
  );
}

function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const result = String(reader.result ?? '');
      resolve(result.slice(result.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** Clears a radio group with Delete or Backspace (radios cannot be unchecked otherwise). */
const clearOnDelete =
  (clear: () => void) =>
  (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      clear();
    }
  };

/**
 * Moves focus to the next scale question after a digit answered this one; on the last question
 * focus moves to the chosen answer, so that Tab continues to the buttons after the form.
 */
function focusNextScale(from: HTMLElement, chosen: string): void {
  const all = [...document.querySelectorAll<HTMLElement>('.ec-scale')];
  const next = all[all.indexOf(from) + 1];
  const target = next
    ? (next.querySelector<HTMLInputElement>('input:checked') ?? next.querySelector<HTMLInputElement>('input'))
    : from.querySelector<HTMLInputElement>(`input[value="${chosen}"]`);
  target?.focus();
}

/** One item of a form. */
export function ItemField(props: ItemFieldProps) {
  const { item, path, raw, stored, editable, error, warning, queries, queried, participantId, onChange, onBlur } =
    props;
  const { et, t, pick, locale } = useEcrfTranslation();
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | undefined>(undefined);
  const id = controlId(path);
  const label = pick(item.label);
  const help = item.help ? pick(item.help) : null;
  const unit = item.unit?.display ?? null;
  const rangeHint =
    item.range && !item.derived
      ? et('item.range', {
          min: String(item.range.hardMin).replace('.', locale.startsWith('da') ? ',' : '.'),
          max: String(item.range.hardMax).replace('.', locale.startsWith('da') ? ',' : '.'),
          unit: unit === null ? '' : unit === '°' ? '°' : ` ${unit}`,
        })
      : null;
  const formatHint =
    item.type === 'partial-date'
      ? et('item.partialDateHint')
      : item.pattern
        ? et('item.patternHint', { format: pick(item.pattern.description) })
        : null;
  const hints = [help, item.nullMeaning ? pick(item.nullMeaning) : null, rangeHint, formatHint].filter(
    (h) => h !== null,
  );
  const hint = hints.length > 0 ? hints.join(' ') : null;
  const shownError = error ?? uploadError;
  const className = [
    'ec-item',
    shownError ? 'field--invalid' : '',
    queried ? 'ec-item--queried' : '',
    warning ? 'ec-item--warning' : '',
  ]
    .filter((c) => c !== '')
    .join(' ');
  const aria = describedBy(id, { hint: hint !== null, unit: unit !== null, queries: queries !== undefined });
  const required = item.required ? (
    <span className="ec-required" title={et('item.required')}>
      {' '}
      *<span className="visually-hidden">{et('item.required')}</span>
    </span>
  ) : null;
  const hintEl = hint ? (
    <p id={`${id}-hint`} className="field__hint">
      {hint}
    </p>
  ) : null;
  const tail = (
    <>
      <Messages id={id} error={shownError} warning={warning} />
      {queries ? (
        <div id={`${id}-queries`} className="ec-item__queries">
          {queries}
        </div>
      ) : null}
    </>
  );

  // Items nobody enters here: derived (computed by the server), blinded, or a read-only view.
  if (!item.visible) {
    return (
      <div className={className} data-item={path}>
        <p className="field__label">{label}</p>
        <p className="ec-readonly muted">{et('item.blinded')}</p>
        {tail}
      </div>
    );
  }
  if (item.derived || !editable) {
    return (
      <div className={className} data-item={path} data-derived={item.derived ? path : undefined}>
        <p className="field__label" id={`${id}-label`}>
          {label}
          {item.derived ? <span className="ec-tag">{et('item.derivedTag')}</span> : null}
        </p>
        <p className="ec-readonly" aria-labelledby={`${id}-label`} data-value={path}>
          {formatValue(item, stored, { et, pick, locale })}
        </p>
        {item.derived && editable ? <p className="field__hint">{et('item.derivedHint')}</p> : null}
        {tail}
      </div>
    );
  }

  const text = typeof raw === 'string' ? raw : '';
  const common = {
    id,
    'aria-invalid': shownError ? true : undefined,
    'aria-describedby': aria,
    'aria-required': item.required ? true : undefined,
    onBlur: () => onBlur(path),
  } as const;
  const labelEl = (
    <label htmlFor={id} className="field__label">
      {label}
      {required}
    </label>
  );

  const radioGroup = (
    options: { value: string; label: string; short?: string }[],
    variant: 'scale' | 'inline' | 'stacked',
  ) => {
    const clear = (): void => onChange(path, '');
    if (variant === 'scale') {
      // A row per question (label left, numbered answers right): a radiogroup rather than a
      // fieldset, because a legend cannot take part in that layout.
      return (
        <div
          id={id}
          role="radiogroup"
          tabIndex={-1}
          className={`${className} ec-scale`}
          data-item={path}
          aria-labelledby={`${id}-label`}
          aria-describedby={aria}
          aria-required={item.required ? true : undefined}
          aria-invalid={shownError ? true : undefined}
          onKeyDown={(e) => {
            if (/^\d$/.test(e.key)) {
              const option = options.find((o) => o.value === e.key);
              if (option) {
                e.preventDefault();
                onChange(path, option.value);
                focusNextScale(e.currentTarget, option.value);
              }
              return;
            }
            clearOnDelete(clear)(e);
          }}
        >
          <p id={`${id}-label`} className="field__label ec-scale__label">
            {item.licensedTextKey ? <span className="ec-item-code">{item.id}</span> : null}
            {label}
            {required}
          </p>
          <div className="ec-radios__options">
            {options.map((o) => (
              <label key={o.value} className="ec-radio">
                <input
                  type="radio"
                  name={id}
                  value={o.value}
                  checked={text === o.value}
                  aria-label={o.label}
                  onChange={() => onChange(path, o.value)}
                  onBlur={() => onBlur(path)}
                />
                <span className="ec-radio__code" aria-hidden="true">
                  {o.short}
                </span>
              </label>
            ))}
          </div>
          {hintEl}
          {tail}
        </div>
      );
    }
    return (
      <fieldset
        id={id}
        tabIndex={-1}
        className={`${className} ec-radios ec-radios--${variant}`}
        data-item={path}
        aria-describedby={aria}
        aria-required={item.required ? true : undefined}
        onKeyDown={clearOnDelete(clear)}
      >
        <legend className="field__label ec-radios__legend">
          {label}
          {required}
        </legend>
        {hintEl}
        <div className="ec-radios__options">
          {options.map((o) => (
            <label key={o.value} className="ec-radio">
              <input
                type="radio"
                name={id}
                value={o.value}
                checked={text === o.value}
                aria-invalid={shownError ? true : undefined}
                onChange={() => onChange(path, o.value)}
                onBlur={() => onBlur(path)}
              />
              <span>{o.label}</span>
            </label>
          ))}
        </div>
        {!item.required && text !== '' ? (
          <button type="button" className="button button--ghost button--small ec-clear" onClick={clear}>
            {et('item.clear')}
          </button>
        ) : null}
        {tail}
      </fieldset>
    );
  };

  switch (item.type) {
    case 'boolean':
      return radioGroup(
        [
          { value: 'true', label: et('common.yes') },
          { value: 'false', label: et('common.no') },
        ],
        'inline',
      );
    case 'code': {
      const entries = item.codeList?.entries ?? [];
      if (item.multiple) {
        const chosen = Array.isArray(raw) ? raw : [];
        return (
          <fieldset
            id={id}
            tabIndex={-1}
            className={`${className} ec-radios ec-radios--stacked`}
            data-item={path}
            aria-describedby={aria}
          >
            <legend className="field__label ec-radios__legend">
              {label}
              {required}
            </legend>
            {hintEl}
            <div className="ec-radios__options">
              {entries.map((e) => {
                const code = String(e.code);
                return (
                  <label key={code} className="ec-radio">
                    <input
                      type="checkbox"
                      value={code}
                      checked={chosen.includes(code)}
                      onChange={(ev) =>
                        onChange(path, ev.target.checked ? [...chosen, code] : chosen.filter((c) => c !== code))
                      }
                      onBlur={() => onBlur(path)}
                    />
                    <span>{pick(e.label)}</span>
                  </label>
                );
              })}
            </div>
            {tail}
          </fieldset>
        );
      }
      if (isScale(item)) {
        return radioGroup(
          entries.map((e) => ({ value: String(e.code), label: pick(e.label), short: String(e.code) })),
          'scale',
        );
      }
      if (entries.length <= 6) {
        const long = entries.some((e) => pick(e.label).length > 18);
        return radioGroup(
          entries.map((e) => ({ value: String(e.code), label: pick(e.label) })),
          long ? 'stacked' : 'inline',
        );
      }
      return (
        <div className={className} data-item={path}>
          {labelEl}
          {hintEl}
          <select
            {...common}
            className="input input--select ec-select"
            value={text}
            onChange={(e) => onChange(path, e.target.value)}
          >
            <option value="">{et('item.choose')}</option>
            {entries.map((e) => (
              <option key={String(e.code)} value={String(e.code)}>
                {pick(e.label)}
              </option>
            ))}
          </select>
          {tail}
        </div>
      );
    }
    case 'integer':
    case 'decimal':
      return (
        <div className={className} data-item={path}>
          {labelEl}
          {hintEl}
          <div className="ec-number">
            <input
              {...common}
              type="text"
              inputMode={item.type === 'integer' ? 'numeric' : 'decimal'}
              autoComplete="off"
              className="input ec-number__input"
              value={text}
              onChange={(e) => onChange(path, e.target.value)}
            />
            {unit ? (
              <span id={`${id}-unit`} className="ec-number__unit">
                {unit}
              </span>
            ) : null}
          </div>
          {tail}
        </div>
      );
    case 'date':
    case 'datetime':
      return (
        <div className={className} data-item={path}>
          {labelEl}
          {hintEl}
          <input
            {...common}
            type={item.type === 'date' ? 'date' : 'datetime-local'}
            className="input ec-date"
            value={text}
            onChange={(e) => onChange(path, e.target.value)}
          />
          {tail}
        </div>
      );
    case 'file': {
      const ref = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as AttachmentRef) : null;
      const upload = async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
        const file = e.target.files?.[0];
        if (!file) return;
        setUploading(true);
        setUploadError(undefined);
        try {
          const contentBase64 = await fileToBase64(file);
          onChange(
            path,
            await uploadAttachment(participantId, {
              name: file.name,
              mediaType: file.type || 'application/octet-stream',
              contentBase64,
            }),
          );
        } catch (err) {
          setUploadError(describeError(t, err));
        } finally {
          setUploading(false);
        }
      };
      return (
        <div className={className} data-item={path}>
          {labelEl}
          {hintEl}
          {ref ? (
            <p className="ec-file">{et('item.fileStored', { name: ref.name, size: Math.ceil(ref.size / 1024) })}</p>
          ) : null}
          <input
            {...common}
            type="file"
            className="input ec-file__input"
            accept={item.mediaTypes?.join(',') ?? undefined}
            disabled={uploading}
            onChange={(e) => void upload(e)}
          />
          {uploading ? <p role="status">{et('item.uploading')}</p> : null}
          {tail}
        </div>
      );
    }
    default:
      return (
        <div className={className} data-item={path}>
          {labelEl}
          {hintEl}
          {item.multiline ? (
            <textarea
              {...common}
              className="input input--textarea"
              rows={3}
              maxLength={item.maxLength ?? undefined}
              value={text}
              onChange={(e) => onChange(path, e.target.value)}
            />
          ) : (
            <input
              {...common}
              type="text"
              className="input"
              autoComplete="off"
              placeholder={item.type === 'partial-date' ? et('item.partialDatePlaceholder') : undefined}
              maxLength={item.maxLength ?? undefined}
              value={text}
              onChange={(e) => onChange(path, e.target.value)}
            />
          )}
          {tail}
        </div>
      );
  }
}
