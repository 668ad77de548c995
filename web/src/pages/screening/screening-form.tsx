/**
 * The screening data form: every spec §3 item in sections, typed controls, derived age and BMI,
 * and a sticky bar with the number of unsaved changes and Save. Saving sends only the changed
 * items (PATCH); after an investigator's sign-off it first asks for the reason, because the change
 * voids the sign-off. Field errors from the client check or the server appear next to the field.
 */
import { useState, type FormEvent } from 'react';
import type { ScreeningItemId } from '../../../../src/core/eligibility/screening-items.js';
import { isApiError } from '../../api/client.js';
import { updateScreeningValues, type ScreeningView } from '../../api/screening-api.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { TextAreaField } from '../../components/field.js';
import { FormActions } from '../../components/form-actions.js';
import { describeError } from '../../lib/error-messages.js';
import { verdictText } from './eligibility-panel.js';
import { DateControl, NumberControl, RadioControl, SelectControl } from './screening-fields.js';
import { formatNumber, itemLabel, itemUnit } from './screening-format.js';
import {
  FORM_ITEMS,
  FORM_SECTIONS,
  itemFromPath,
  problemText,
  rangeProblem,
  type FormCheck,
  type ItemProblem,
  type ItemUi,
  type RawValues,
} from './screening-form-model.js';
import { useScreeningTranslation } from './screening-i18n.js';

/** Props of ScreeningForm. */
export interface ScreeningFormProps {
  screening: ScreeningView;
  raw: RawValues;
  check: FormCheck;
  editable: boolean;
  onEdit: (item: ScreeningItemId, value: string) => void;
  onDiscard: () => void;
  onSaved: (screening: ScreeningView) => void;
}

/** The DOM id of an item's control. */
export const itemControlId = (item: ScreeningItemId): string => `item-${item}`;

function ItemControl({
  item,
  raw,
  error,
  disabled,
  onEdit,
}: {
  item: ItemUi;
  raw: RawValues;
  error: string | undefined;
  disabled: boolean;
  onEdit: (item: ScreeningItemId, value: string) => void;
}) {
  const { st } = useScreeningTranslation();
  const common = {
    id: itemControlId(item.id),
    label: itemLabel(st, item.id),
    hint: item.hint ? st(item.hint) : undefined,
    error,
    value: raw[item.id],
    disabled,
    onChange: (value: string) => onEdit(item.id, value),
  };
  switch (item.control) {
    case 'date':
      return <DateControl {...common} />;
    case 'integer':
    case 'decimal':
      return <NumberControl {...common} unit={itemUnit(st, item.id)} integer={item.control === 'integer'} />;
    case 'yesno':
      return (
        <RadioControl
          {...common}
          options={[
            { value: 'true', label: st('common.yes') },
            { value: 'false', label: st('common.no') },
          ]}
        />
      );
    case 'radio':
      return (
        <RadioControl
          {...common}
          options={(item.options ?? []).map((value) => ({
            value,
            label:
              item.id === 'sex'
                ? st(`form.sex.${value as 'female' | 'male'}`)
                : st(`form.compartment.${value as 'medial' | 'lateral' | 'dual' | 'none'}`),
          }))}
        />
      );
    case 'select':
      return (
        <SelectControl {...common} placeholder={st('form.choose')}>
          {(item.options ?? []).map((value) => (
            <option key={value} value={value}>
              {st('form.klGrade', { grade: value })}
            </option>
          ))}
        </SelectControl>
      );
  }
}

/** The screening form with its save bar and the reason dialog. */
export function ScreeningForm({ screening, raw, check, editable, onEdit, onDiscard, onSaved }: ScreeningFormProps) {
  const { st, t, locale } = useScreeningTranslation();
  const [serverErrors, setServerErrors] = useState<Partial<Record<ScreeningItemId, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);

  const unsaved = check.dirty.length;
  const problemIds = Object.keys(check.problems) as ScreeningItemId[];

  const edit = (item: ScreeningItemId, value: string): void => {
    setNotice(null);
    if (serverErrors[item]) setServerErrors(({ [item]: _gone, ...rest }) => rest);
    onEdit(item, value);
  };

  const focusItem = (item: ScreeningItemId): void => {
    const el = document.getElementById(itemControlId(item));
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  };

  const send = async (withReason: string | null): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const saved = await updateScreeningValues(screening.id, check.changes, withReason ?? undefined);
      setServerErrors({});
      setAsking(false);
      setReason('');
      setNotice(st('form.saved'));
      onSaved(saved);
    } catch (err) {
      const byItem: Partial<Record<ScreeningItemId, string>> = {};
      let reasonProblem: string | undefined;
      if (isApiError(err)) {
        for (const d of err.details) {
          const item = itemFromPath(d.path);
          const problem: ItemProblem | null = item
            ? d.message.includes('after the screening date')
              ? { key: 'form.errors.dobAfterScreening' }
              : rangeProblem(item)
            : null;
          if (item && problem) {
            byItem[item] = problemText(st, problem);
          } else if (d.path.endsWith('reason')) {
            reasonProblem = t('errors.required');
          }
        }
      }
      setServerErrors(byItem);
      if (reasonProblem) setReasonError(reasonProblem);
      else {
        setAsking(false);
        setError(err);
      }
      const first = FORM_ITEMS.find((i) => byItem[i.id]);
      if (first) focusItem(first.id);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    setNotice(null);
    setError(null);
    if (problemIds.length > 0) {
      const first = FORM_ITEMS.find((i) => check.problems[i.id]);
      if (first) focusItem(first.id);
      setError(new Error(st('form.fixErrors')));
      return;
    }
    if (Object.keys(check.changes).length === 0) {
      setNotice(st('form.noChanges'));
      return;
    }
    if (screening.signedOff) {
      setReasonError(undefined);
      setAsking(true);
      return;
    }
    void send(null);
  };

  const submitReason = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    if (reason.trim() === '') {
      setReasonError(t('errors.required'));
      document.getElementById('change-reason')?.focus();
      return;
    }
    void send(reason.trim());
  };

  const { age, bmi } = check.dirty.length > 0 ? check.assessment.derived : screening.assessment.derived;
  const shownAssessment = check.dirty.length > 0 ? check.assessment : screening.assessment;
  const tone =
    shownAssessment.eligible === true ? 'success' : shownAssessment.eligible === false ? 'danger' : 'neutral';

  return (
    <>
      <form className="screening-form" onSubmit={submit} noValidate aria-labelledby="screening-form-title">
        <h2 id="screening-form-title" className="visually-hidden">
          {st('form.loadingTitle')}
        </h2>
        {FORM_SECTIONS.map((section) => (
          <section key={section} className="card sf-section" aria-labelledby={`sf-section-${section}`}>
            <h3 id={`sf-section-${section}`} className="sf-section__title">
              {st(`form.sections.${section}`)}
            </h3>
            <div className={section === 'history' || section === 'capacity' ? 'sf-grid sf-grid--questions' : 'sf-grid'}>
              {FORM_ITEMS.filter((i) => i.section === section && (!i.showWhen || i.showWhen(raw))).map((item) => {
                const problem = check.problems[item.id];
                return (
                  <ItemControl
                    key={item.id}
                    item={item}
                    raw={raw}
                    error={problem ? problemText(st, problem) : serverErrors[item.id]}
                    disabled={!editable || busy}
                    onEdit={edit}
                  />
                );
              })}
            </div>
            {section === 'dates' ? (
              <dl className="sf-derived">
                <div className="sf-derived__item">
                  <dt>{st('form.derivedAge')}</dt>
                  <dd data-derived="age">{age === null ? st('form.notDerivable') : st('form.ageValue', { age })}</dd>
                </div>
                <div className="sf-derived__item">
                  <dt>{st('form.derivedBmi')}</dt>
                  <dd data-derived="bmi">
                    {bmi === null
                      ? st('form.notDerivable')
                      : st('form.bmiValue', { bmi: formatNumber(bmi, locale, 1, 1) })}
                  </dd>
                </div>
              </dl>
            ) : null}
          </section>
        ))}
        {editable ? (
          <div className="sf-savebar">
            {error ? (
              <Alert tone="error">
                {error instanceof Error && !isApiError(error) ? error.message : describeError(t, error)}
              </Alert>
            ) : null}
            {notice ? <Alert tone="success">{notice}</Alert> : null}
            <div className="sf-savebar__row">
              <a
                href="#eligibility"
                className={`sf-savebar__verdict sc-verdict--${tone}`}
                onClick={(e) => {
                  // Scroll in place: a fragment navigation would go through the app's router.
                  e.preventDefault();
                  const panel = document.getElementById('eligibility-title');
                  panel?.scrollIntoView({ block: 'start' });
                  panel?.focus();
                }}
              >
                {verdictText(st, shownAssessment)}
              </a>
              <span className="sf-savebar__status">
                {unsaved > 0 ? st('form.unsaved', { count: unsaved }) : st('form.noChanges')}
              </span>
              <div className="sf-savebar__actions">
                {unsaved > 0 ? (
                  <button type="button" className="button button--secondary" onClick={onDiscard} disabled={busy}>
                    {st('form.undo')}
                  </button>
                ) : null}
                <button type="submit" className="button button--primary" disabled={busy}>
                  {busy ? st('form.saving') : st('form.save')}
                </button>
              </div>
            </div>
          </div>
        ) : null}
      </form>
      {asking ? (
        <Dialog title={st('form.reasonDialog.title')} onClose={() => setAsking(false)}>
          <p>{st('form.reasonDialog.intro')}</p>
          <form className="form" onSubmit={submitReason} noValidate>
            <TextAreaField
              id="change-reason"
              label={st('common.reason')}
              hint={st('common.reasonHint')}
              required
              rows={3}
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonError(undefined);
              }}
              error={reasonError}
            />
            <FormActions
              submitLabel={st('form.reasonDialog.submit')}
              busy={busy}
              cancelLabel={st('common.cancel')}
              onCancel={() => setAsking(false)}
            />
          </form>
        </Dialog>
      ) : null}
    </>
  );
}
