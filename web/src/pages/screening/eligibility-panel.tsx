/**
 * The live eligibility feedback: the verdict and every criterion IC1–IC8 / EC1–EC14 with pass,
 * fail or needs-data, and what decided it (the inputs with their values, and the derived age or
 * BMI) or what it still needs. It shows the client's preview while changes are unsaved and the
 * server's stored assessment otherwise.
 */
import type { AssessmentView, CriterionView } from '../../api/screening-api.js';
import { criterionName, formatItemValue, formatNumber, itemLabel } from './screening-format.js';
import { useScreeningTranslation, type ScreeningT } from './screening-i18n.js';

/** Props of EligibilityPanel. */
export interface EligibilityPanelProps {
  assessment: AssessmentView;
  /** True when the assessment is the client's preview of unsaved values. */
  preview: boolean;
}

const STATUS_ICON: Record<CriterionView['status'], string> = { pass: '✓', fail: '✗', undecided: '?' };

/** The derived value a criterion uses, for its explanation. */
function derivedNote(st: ScreeningT, locale: string, c: CriterionView, a: AssessmentView): string | null {
  if (c.id === 'IC1' && a.derived.age !== null && c.status !== 'undecided') {
    return `${st('form.derivedAge')}: ${st('form.ageValue', { age: a.derived.age })}`;
  }
  if (
    (c.id === 'IC6' || c.id === 'EC7') &&
    a.derived.bmi !== null &&
    c.decidedBy.some((i) => i === 'height_cm' || i === 'weight_kg')
  ) {
    return `${st('form.derivedBmi')}: ${st('form.bmiValue', { bmi: formatNumber(a.derived.bmi, locale, 1, 1) })}`;
  }
  return null;
}

function CriterionRow({ c, assessment }: { c: CriterionView; assessment: AssessmentView }) {
  const { st, locale } = useScreeningTranslation();
  const valueOf = (item: string): unknown => c.inputs.find((i) => i.item === item)?.value ?? null;
  const decided = c.decidedBy.map(
    (item) => `${itemLabel(st, item)}: ${formatItemValue(st, locale, item, valueOf(item))}`,
  );
  const derived = derivedNote(st, locale, c, assessment);
  if (derived) decided.push(derived);
  return (
    <li className={`sc-criterion sc-criterion--${c.status}`} data-criterion={c.id} data-status={c.status}>
      <div className="sc-criterion__head">
        <span
          className={`sc-badge sc-badge--${c.status === 'pass' ? 'success' : c.status === 'fail' ? 'danger' : 'neutral'}`}
        >
          <span aria-hidden="true">{STATUS_ICON[c.status]} </span>
          {st(`panel.${c.status}`)}
        </span>
        <span className="sc-criterion__id">{c.id}</span>
      </div>
      <p className="sc-criterion__name">{criterionName(st, locale, c.id)}</p>
      {c.status === 'undecided' ? (
        <p className="sc-criterion__detail">
          {st('panel.awaiting', { items: c.awaiting.map((i) => itemLabel(st, i)).join(', ') })}
        </p>
      ) : decided.length > 0 ? (
        <p className="sc-criterion__detail">{st('panel.decidedBy', { inputs: decided.join('; ') })}</p>
      ) : null}
    </li>
  );
}

/** The verdict sentence for an assessment. */
export function verdictText(st: ScreeningT, a: AssessmentView): string {
  if (a.eligible === true) return st('panel.verdictEligible');
  if (a.eligible === false) return st('panel.verdictIneligible', { ids: [...a.unmet, ...a.excluded].join(', ') });
  return a.missing.length > 0
    ? st('panel.verdictUndecided', { count: a.missing.length })
    : st('panel.verdictUndecidedRules');
}

/** The eligibility panel. */
export function EligibilityPanel({ assessment, preview }: EligibilityPanelProps) {
  const { st } = useScreeningTranslation();
  const tone = assessment.eligible === true ? 'success' : assessment.eligible === false ? 'danger' : 'neutral';
  const inclusions = assessment.criteria.filter((c) => c.kind === 'inclusion');
  const exclusions = assessment.criteria.filter((c) => c.kind === 'exclusion');
  const count = (s: CriterionView['status']): number => assessment.criteria.filter((c) => c.status === s).length;
  return (
    <section className="card eligibility-panel" id="eligibility" aria-labelledby="eligibility-title">
      <h2 id="eligibility-title" className="eligibility-panel__title" tabIndex={-1}>
        {st('panel.title')}
      </h2>
      <p
        className={
          preview ? 'eligibility-panel__source eligibility-panel__source--preview' : 'eligibility-panel__source'
        }
      >
        {preview ? st('panel.preview') : st('panel.saved')}
      </p>
      <p className={`sc-verdict sc-verdict--${tone}`} role="status" data-eligible={String(assessment.eligible)}>
        {verdictText(st, assessment)}
      </p>
      <p className="eligibility-panel__counts">
        {st('panel.counts', { pass: count('pass'), fail: count('fail'), undecided: count('undecided') })}
      </p>
      <h3 className="eligibility-panel__subtitle">{st('panel.inclusion')}</h3>
      <ul className="sc-criteria" aria-label={st('panel.inclusion')}>
        {inclusions.map((c) => (
          <CriterionRow key={c.id} c={c} assessment={assessment} />
        ))}
      </ul>
      <h3 className="eligibility-panel__subtitle">{st('panel.exclusion')}</h3>
      <ul className="sc-criteria" aria-label={st('panel.exclusion')}>
        {exclusions.map((c) => (
          <CriterionRow key={c.id} c={c} assessment={assessment} />
        ))}
      </ul>
    </section>
  );
}
