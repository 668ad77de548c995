/**
 * One adverse event: the current version, its SAE case, the investigator's and (separately) the
 * sponsor's assessment, the consistency queries (confirmable by the investigator), every version
 * with its reason, and the follow-up form (a new version with a reason) or "entered in error".
 */
import { useEffect, useRef, useState } from 'react';
import {
  confirmSafetyQuery,
  fetchAdverseEvent,
  fetchSafetyCapabilities,
  listRsiVersions,
  markAdverseEventEnteredInError,
  updateAdverseEvent,
  type AeDetail,
  type RsiVersion,
  type SafetyCapabilities,
  type SafetyQuery,
} from '../api/safety-api.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { can } from '../../../src/core/authorization.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { canAtSite } from './randomization/site-access.js';
import { formatCph } from './randomization/trial-format.js';
import { AeFacts } from './safety/ae-facts.js';
import { AeForm } from './safety/ae-form.js';
import { changesBetween, draftFromAe, type BuiltAe } from './safety/ae-form-model.js';
import { useFlash } from './safety/flash.js';
import { SafetyFrame } from './safety/safety-frame.js';
import { useSafetyStrings, type SafetyStrings } from './safety/safety-i18n.js';
import type { PageT } from './randomization/page-strings.js';
import { SponsorAssessmentSection } from './safety/sponsor-assessment.js';
import { TextDialog } from './safety/text-dialog.js';
import './randomization/trial-pages.css';

interface Loaded {
  ae: AeDetail;
  caps: SafetyCapabilities;
  rsi: RsiVersion[];
}

const QUERY_RULES = [
  'death_without_grade_5',
  'death_without_fatal_outcome',
  'grade_4_not_life_threatening',
  'ended_but_not_recovered',
  'recovered_without_end_date',
  'fatal_without_end_date',
  'hospitalisation_not_in_action',
  'hospitalisation_action_not_serious',
  'onset_before_day_0',
  'meddra_pt_without_soc',
  'meddra_llt_without_pt',
  'sae_causality_pending',
] as const;
const isQueryRule = (rule: string): rule is (typeof QUERY_RULES)[number] =>
  (QUERY_RULES as readonly string[]).includes(rule);

/** The label of a changed record field, as the form names it. */
function fieldLabel(pt: PageT<SafetyStrings>, field: string): string {
  switch (field) {
    case 'verbatimTerm':
    case 'onsetDate':
    case 'endDate':
    case 'grade':
    case 'seriousness':
    case 'localToIndexKnee':
    case 'actionTaken':
    case 'outcome':
    case 'narrative':
      return pt(`form.${field}`);
    case 'meddra':
      return 'MedDRA';
    case 'investigatorCausality':
      return pt('detail.investigatorCausality');
    default:
      return field;
  }
}

/** The AE page. */
export default function SafetyAePage({ params }: PageProps) {
  const id = params.id ?? '';
  const { pt, t, locale } = useSafetyStrings();
  const { session, roles } = useSignedIn();
  const grants = session.user.grants;
  const [notice, setNotice] = useFlash();
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<{ kind: 'error' } | { kind: 'confirm'; query: SafetyQuery } | null>(null);
  const [ae, setAe] = useState<AeDetail | null>(null);
  const topRef = useRef<HTMLDivElement>(null);
  const { state } = useAsync<Loaded>(async () => {
    const [detail, caps] = await Promise.all([fetchAdverseEvent(id), fetchSafetyCapabilities()]);
    const rsi = caps.safetyPhysician ? await listRsiVersions() : [];
    return { ae: detail, caps, rsi };
  });
  useEffect(() => {
    if (state.status === 'ready') setAe(state.data.ae);
  }, [state]);

  const back = (
    <Link href="/safety/adverse-events" className="button button--secondary">
      {pt('detail.back')}
    </Link>
  );
  if (state.status !== 'ready' || !ae) {
    return (
      <SafetyFrame title={pt('detail.loadingTitle')} actions={back}>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </SafetyFrame>
    );
  }
  const { caps, rsi } = state.data;
  const active = ae.status === 'active';
  const mayWrite = active && canAtSite(grants, 'safety.ae.write', ae.siteId);
  const mayAssess = canAtSite(grants, 'safety.ae.assess', ae.siteId);
  const maySponsor = caps.safetyPhysician && can(roles, 'safety.sponsor.assess');

  const updated = (next: AeDetail, message: string): void => {
    setAe(next);
    setNotice(message);
    topRef.current?.scrollIntoView?.();
  };

  const saveFollowUp = async (built: BuiltAe): Promise<void> => {
    const changes = changesBetween(ae, built.record, mayAssess);
    if (Object.keys(changes).length === 0) {
      setEditing(false);
      setNotice(pt('form.nothingChanged'));
      return;
    }
    const next = await updateAdverseEvent(ae.id, changes, built.reason, built.seriousAwarenessAt ?? undefined);
    setEditing(false);
    updated(next, pt('form.followUpSaved', { version: next.version, ae: next.aeNumber }));
  };

  return (
    <SafetyFrame title={pt('detail.title', { ae: ae.aeNumber })} actions={back}>
      <div ref={topRef} />
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {!active ? <Alert tone="info">{pt('detail.isEnteredInError')}</Alert> : null}

      <section className="card tp-section" aria-labelledby="ae-current">
        <div className="tp-section__head">
          <h2 id="ae-current" className="tp-section__title">
            {pt('detail.facts', { version: ae.version })}
          </h2>
          {mayWrite && !editing ? (
            <div className="tp-actions">
              <button type="button" className="button button--primary" onClick={() => setEditing(true)}>
                {pt('detail.followUp')}
              </button>
              <button
                type="button"
                className="button button--danger-outline"
                onClick={() => setDialog({ kind: 'error' })}
              >
                {pt('detail.enteredInError')}
              </button>
            </div>
          ) : null}
        </div>
        <p>
          <strong>{pt('common.participant')}:</strong> <span className="tp-code">{ae.studyId}</span>
          {ae.caseId ? (
            <>
              {' · '}
              <Link href={`/safety/cases/${encodeURIComponent(ae.caseId)}`}>
                {pt('detail.openCase', { case: ae.caseNumber ?? '' })}
              </Link>
            </>
          ) : null}
        </p>
        <AeFacts ae={ae} />
        <dl className="facts tp-section">
          <div className="facts__item">
            <dt>{pt('detail.awareness')}</dt>
            <dd>{pt('common.copenhagen', { time: formatCph(ae.siteAwarenessAt, locale) })}</dd>
          </div>
          {ae.seriousAwarenessAt ? (
            <div className="facts__item">
              <dt>{pt('detail.seriousAwareness')}</dt>
              <dd>{pt('common.copenhagen', { time: formatCph(ae.seriousAwarenessAt, locale) })}</dd>
            </div>
          ) : null}
          <div className="facts__item">
            <dt>{pt('detail.reportable')}</dt>
            <dd>{pt(`reportable.${ae.reportableCausality}`)}</dd>
          </div>
        </dl>
      </section>

      {editing ? (
        <section className="tp-section" aria-labelledby="ae-follow-up">
          <h2 id="ae-follow-up" className="tp-section__title">
            {pt('form.followUpTitle', { ae: ae.aeNumber })}
          </h2>
          <AeForm
            mode="followUp"
            initial={draftFromAe(ae)}
            fixedStudyId={ae.studyId}
            mayAssess={mayAssess}
            wasSerious={ae.serious}
            submitLabel={pt('form.saveFollowUp')}
            onSubmit={saveFollowUp}
            onCancel={() => setEditing(false)}
          />
        </section>
      ) : null}

      <section className="card tp-section" aria-labelledby="ae-queries">
        <h2 id="ae-queries" className="tp-section__title">
          {pt('detail.queriesTitle')}
        </h2>
        {ae.queries.length === 0 ? (
          <p className="tp-empty">{pt('detail.queriesEmpty')}</p>
        ) : (
          <ul className="tp-history">
            {ae.queries.map((q) => (
              <li key={q.id} className="tp-history__item" data-query={q.rule}>
                <span className={`tp-badge tp-badge--${q.status === 'open' ? 'warning' : 'neutral'}`}>
                  {pt(`detail.queryStatus.${q.status}`)}
                </span>{' '}
                {isQueryRule(q.rule) ? pt(`queryRules.${q.rule}`) : q.message}
                {q.response ? <span className="tp-sub">{q.response}</span> : null}
                {q.status === 'open' && mayAssess && active ? (
                  <div className="form__actions">
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setDialog({ kind: 'confirm', query: q })}
                    >
                      {pt('detail.confirm')}
                    </button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <SponsorAssessmentSection
        ae={ae}
        mayAssess={maySponsor}
        rsiVersions={rsi}
        onSaved={(next) => updated(next, pt('sponsor.saved'))}
      />

      <section className="card tp-section" aria-labelledby="ae-history">
        <h2 id="ae-history" className="tp-section__title">
          {pt('detail.history')}
        </h2>
        <ol className="tp-history">
          {[...ae.versions].reverse().map((v) => (
            <li key={v.version} className="tp-history__item" data-version={v.version}>
              <strong>
                {pt('detail.versionLine', {
                  version: v.version,
                  kind: pt(`detail.kinds.${v.kind}`),
                  date: formatCph(v.changedAt, locale),
                  by: v.changedBy,
                })}
              </strong>
              {v.changedFields.length > 0 && v.kind !== 'initial' ? (
                <span className="tp-sub">
                  {pt('detail.changed', { fields: v.changedFields.map((f) => fieldLabel(pt, f)).join(', ') })}
                </span>
              ) : null}
              {v.reason ? <span className="tp-sub">{v.reason}</span> : null}
            </li>
          ))}
        </ol>
      </section>

      {dialog?.kind === 'error' ? (
        <TextDialog
          title={pt('detail.enteredInErrorTitle', { ae: ae.aeNumber })}
          intro={pt('detail.enteredInErrorIntro')}
          label={pt('form.reason')}
          submitLabel={pt('detail.enteredInError')}
          danger
          onClose={() => setDialog(null)}
          onSubmit={async (reason) => {
            const next = await markAdverseEventEnteredInError(ae.id, reason);
            setDialog(null);
            updated(next, pt('detail.enteredInErrorDone', { ae: next.aeNumber }));
          }}
        />
      ) : null}
      {dialog?.kind === 'confirm' ? (
        <TextDialog
          title={pt('detail.confirmTitle')}
          intro={isQueryRule(dialog.query.rule) ? pt(`queryRules.${dialog.query.rule}`) : dialog.query.message}
          label={pt('detail.response')}
          submitLabel={pt('detail.confirm')}
          onClose={() => setDialog(null)}
          onSubmit={async (response) => {
            await confirmSafetyQuery(dialog.query.id, response);
            setDialog(null);
            updated(await fetchAdverseEvent(ae.id), pt('detail.confirmed'));
          }}
        />
      ) : null}
    </SafetyFrame>
  );
}
