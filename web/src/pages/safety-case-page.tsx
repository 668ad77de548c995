/**
 * One SAE case: the event, its reporting clocks (due time in Copenhagen, status, a live countdown),
 * every report and acknowledgement, recording the site's reports, and — for the sponsor's safety
 * physician — the acknowledgement, the SUSAR decision and reports, and closing the case. The SUSAR
 * part is shown only to those the server lets see it; the arm never appears on this page.
 */
import { useState, type FormEvent } from 'react';
import {
  classifySusar,
  closeSaeCase,
  fetchSafetyCapabilities,
  fetchSaeCase,
  recordSiteReport,
  recordSponsorSubmission,
  saeReportUrl,
  SERIOUSNESS_CRITERIA,
  SITE_SUBMISSION_KINDS,
  SPONSOR_SUBMISSION_KINDS,
  type SaeCase,
  type SafetyCapabilities,
} from '../api/safety-api.js';
import { isApiError } from '../api/client.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { TextAreaField, TextField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { can } from '../../../src/core/authorization.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { useCommonStrings } from './randomization/common-strings.js';
import { canAtSite } from './randomization/site-access.js';
import { formatCph, instantFromCphInput } from './randomization/trial-format.js';
import { CaseStatusBadge, GradeBadge } from './safety/badges.js';
import { DeadlineClock, useNow } from './safety/deadline-clock.js';
import { useFlash } from './safety/flash.js';
import { SafetyFrame } from './safety/safety-frame.js';
import { useSafetyStrings } from './safety/safety-i18n.js';
import { SubmissionForm } from './safety/submission-form.js';
import { TextDialog } from './safety/text-dialog.js';
import './randomization/trial-pages.css';

interface Loaded {
  sae: SaeCase;
  caps: SafetyCapabilities;
}

function SusarSection({
  sae,
  mayClassify,
  mayUnblind,
  onSaved,
}: {
  sae: SaeCase;
  mayClassify: boolean;
  mayUnblind: boolean;
  onSaved: (c: SaeCase) => void;
}) {
  const { pt, t, locale } = useSafetyStrings();
  const common = useCommonStrings();
  const [susar, setSusar] = useState<'' | 'yes' | 'no'>('');
  const [rationale, setRationale] = useState('');
  const [awareness, setAwareness] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [changing, setChanging] = useState(false);
  const a = sae.susarAssessment;

  const submit = async (e: FormEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    const found: Record<string, string> = {};
    if (susar === '') found.susar = pt('errors.chooseOne');
    if (rationale.trim() === '') found.rationale = pt('errors.required');
    const at = awareness.trim() === '' ? null : instantFromCphInput(awareness);
    if (awareness.trim() !== '' && !at) found.susarAwarenessAt = pt('errors.dateTime');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      onSaved(
        await classifySusar(sae.id, {
          susar: susar === 'yes',
          rationale: rationale.trim(),
          ...(at ? { susarAwarenessAt: at } : {}),
        }),
      );
      setChanging(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card tp-section" aria-labelledby="case-susar">
      <h2 id="case-susar" className="tp-section__title">
        {pt('case.susarTitle')}
      </h2>
      {!sae.susarVisible ? (
        <p className="muted">{pt('case.susarHidden')}</p>
      ) : (
        <>
          {sae.susarCandidate && a?.susar === null ? <p className="tp-callout">{pt('case.susarCandidate')}</p> : null}
          <p>
            {a?.susar === true
              ? pt('case.susarYes')
              : a?.susar === false
                ? pt('case.susarNo')
                : pt('case.susarUndecided')}
          </p>
          {a?.rationale ? <p className="tp-narrative">{a.rationale}</p> : null}
          {a?.classifiedAt ? (
            <p className="muted">
              {pt('case.classifiedBy', { date: formatCph(a.classifiedAt, locale), by: a.classifiedBy ?? '—' })}
            </p>
          ) : null}
          {sae.unblinding ? (
            <p className="muted">
              {pt('case.unblinded', {
                date: formatCph(sae.unblinding.at, locale),
                by: sae.unblinding.by,
                reason: sae.unblinding.reason,
              })}
            </p>
          ) : null}
          {mayUnblind && sae.status === 'open' && (sae.susarCandidate || sae.unblinding) ? (
            <p>
              <Link
                href={`/safety/cases/${encodeURIComponent(sae.id)}/unblind`}
                className="button button--danger-outline"
              >
                {sae.unblinding ? pt('susarUnblind.again') : pt('susarUnblind.link')}
              </Link>
            </p>
          ) : null}
          {mayClassify && sae.status === 'open' && a?.susar !== null && a?.susar !== undefined && !changing ? (
            <p>
              <button type="button" className="button button--secondary" onClick={() => setChanging(true)}>
                {pt('case.changeSusar')}
              </button>
            </p>
          ) : null}
          {mayClassify && sae.status === 'open' && (a?.susar === null || a?.susar === undefined || changing) ? (
            <form className="form" onSubmit={(e) => void submit(e)} noValidate>
              <h3 className="tp-section__title">{pt('case.classify')}</h3>
              {error ? (
                <Alert tone="error">
                  {describeError(t, error)}
                  {isApiError(error) && error.details.length > 0 ? (
                    <ul className="tp-problems">
                      {error.details.map((d) => (
                        <li key={`${d.path}:${d.message}`}>{d.message}</li>
                      ))}
                    </ul>
                  ) : null}
                </Alert>
              ) : null}
              <fieldset className={errors.susar ? 'tp-choices field--invalid' : 'tp-choices'}>
                <legend className="tp-choices__legend">{pt('case.isSusar')}</legend>
                <div className="tp-choices__options">
                  {(['yes', 'no'] as const).map((v) => (
                    <label key={v} className="tp-choice">
                      <input type="radio" name="susar" checked={susar === v} onChange={() => setSusar(v)} />
                      {common.pt(v)}
                    </label>
                  ))}
                </div>
                {errors.susar ? <p className="field__error">{errors.susar}</p> : null}
              </fieldset>
              <TextAreaField
                id="susar-rationale"
                label={pt('case.rationale')}
                value={rationale}
                onChange={(e) => setRationale(e.target.value)}
                error={errors.rationale}
              />
              <TextField
                id="susar-awareness"
                type="datetime-local"
                label={pt('case.susarAwarenessAt')}
                hint={pt('case.susarAwarenessHint')}
                className="input tp-input--date"
                value={awareness}
                onChange={(e) => setAwareness(e.target.value)}
                error={errors.susarAwarenessAt}
              />
              <div className="form__actions">
                <button type="submit" className="button button--primary" disabled={busy}>
                  {busy ? pt('form.saving') : pt('case.classify')}
                </button>
              </div>
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}

/** The SAE case page. */
export default function SafetyCasePage({ params }: PageProps) {
  const id = params.id ?? '';
  const { pt, t, locale } = useSafetyStrings();
  const { session, roles } = useSignedIn();
  const now = useNow();
  const [notice, setNotice] = useFlash();
  const [sae, setSae] = useState<SaeCase | null>(null);
  const [closing, setClosing] = useState(false);
  const { state } = useAsync<Loaded>(async () => {
    const [c, caps] = await Promise.all([fetchSaeCase(id), fetchSafetyCapabilities()]);
    setSae(c);
    return { sae: c, caps };
  });
  const back = (
    <Link href="/safety" className="button button--secondary">
      {pt('case.back')}
    </Link>
  );
  if (state.status !== 'ready' || !sae) {
    return (
      <SafetyFrame title={pt('case.loadingTitle')} actions={back}>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </SafetyFrame>
    );
  }
  const { caps } = state.data;
  const maySiteReport = sae.status === 'open' && canAtSite(session.user.grants, 'safety.case.report', sae.siteId);
  const isPhysician = caps.safetyPhysician && can(roles, 'safety.sponsor.assess');
  const mayReport = can(roles, 'safety.report.read');
  const criteria = SERIOUSNESS_CRITERIA.filter((c) => sae.seriousness[c]);
  const initialDone = sae.submissions.some((s) => s.kind === 'investigator_initial_report');
  const acknowledged = sae.submissions.some((s) => s.kind === 'sponsor_acknowledgement');
  const saved = (c: SaeCase, message: string): void => {
    setSae(c);
    setNotice(message);
  };

  return (
    <SafetyFrame
      title={pt('case.title', { case: sae.caseNumber })}
      actions={
        <div className="tp-actions">
          {mayReport ? (
            <a href={saeReportUrl(sae.id)} className="button button--secondary" title={pt('case.reportHint')} download>
              {pt('case.report')}
            </a>
          ) : null}
          {back}
        </div>
      }
    >
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <p className="tp-actions">
        <CaseStatusBadge status={sae.status} />
        {sae.fatalOrLifeThreatening ? <span className="tp-badge tp-badge--danger">{pt('case.fatalOrLt')}</span> : null}
      </p>

      <section className="card tp-section" aria-labelledby="case-event">
        <h2 id="case-event" className="card__title">
          {pt('case.facts')}
        </h2>
        <dl className="facts">
          <div className="facts__item">
            <dt>{pt('common.participant')}</dt>
            <dd className="tp-code">{sae.studyId}</dd>
          </div>
          <div className="facts__item">
            <dt>{pt('case.ae')}</dt>
            <dd>
              <Link href={`/safety/adverse-events/${encodeURIComponent(sae.aeId)}`}>{sae.aeNumber}</Link>
              <span className="tp-sub">{sae.verbatimTerm}</span>
            </dd>
          </div>
          <div className="facts__item">
            <dt>{pt('aeList.columns.grade')}</dt>
            <dd>
              <GradeBadge grade={sae.grade} />
            </dd>
          </div>
          <div className="facts__item">
            <dt>{pt('case.criteria')}</dt>
            <dd>
              {criteria.map((c) => (
                <span key={c} className="tp-sub">
                  {pt(`form.criteria.${c}`)}
                </span>
              ))}
            </dd>
          </div>
          <div className="facts__item">
            <dt>{pt('case.investigatorAwareness')}</dt>
            <dd>{pt('common.copenhagen', { time: formatCph(sae.investigatorAwarenessAt, locale) })}</dd>
          </div>
          <div className="facts__item">
            <dt>{pt('case.sponsorAwareness')}</dt>
            <dd>
              {sae.sponsorAwarenessAt
                ? pt('common.copenhagen', { time: formatCph(sae.sponsorAwarenessAt, locale) })
                : pt('case.notYet')}
            </dd>
          </div>
        </dl>
      </section>

      <section className="tp-section" aria-labelledby="case-clocks">
        <h2 id="case-clocks" className="tp-section__title">
          {pt('case.clocksTitle')}
        </h2>
        <p className="muted tp-intro">{pt('case.clocksIntro')}</p>
        {sae.deadlines.length === 0 ? (
          <p className="tp-empty">{pt('case.noClocks')}</p>
        ) : (
          <ul className="tp-clocks">
            {sae.deadlines.map((d) => (
              <DeadlineClock key={d.kind} deadline={d} now={now} />
            ))}
          </ul>
        )}
      </section>

      <section className="tp-section" aria-labelledby="case-submissions">
        <h2 id="case-submissions" className="tp-section__title">
          {pt('case.submissionsTitle')}
        </h2>
        {sae.submissions.length === 0 ? (
          <p className="tp-empty">{pt('case.submissionsEmpty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--responsive tp-table-compact">
              <caption className="visually-hidden">{pt('case.submissionsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{pt('case.submissionColumns.kind')}</th>
                  <th scope="col">{pt('case.submissionColumns.when')}</th>
                  <th scope="col">{pt('case.submissionColumns.reference')}</th>
                  <th scope="col">{pt('case.submissionColumns.recorded')}</th>
                </tr>
              </thead>
              <tbody>
                {sae.submissions.map((s) => (
                  <tr key={s.id} data-submission={s.kind}>
                    <th scope="row">
                      {pt(`case.kinds.${s.kind}`)}
                      {s.note ? <span className="tp-sub">{s.note}</span> : null}
                    </th>
                    <td data-label={pt('case.submissionColumns.when')}>{formatCph(s.occurredAt, locale)}</td>
                    <td data-label={pt('case.submissionColumns.reference')}>{s.reference ?? '—'}</td>
                    <td data-label={pt('case.submissionColumns.recorded')}>
                      {formatCph(s.recordedAt, locale)}
                      <span className="tp-sub">{pt('common.by', { by: s.recordedBy })}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {maySiteReport ? (
        <SubmissionForm
          id="site-report"
          title={pt('case.recordTitle')}
          kinds={SITE_SUBMISSION_KINDS}
          initialKind={initialDone ? 'investigator_follow_up_report' : 'investigator_initial_report'}
          onSubmit={(input) => recordSiteReport(sae.id, input)}
          onSaved={(c, kind) => saved(c, pt('case.recorded', { kind: pt(`case.kinds.${kind}`) }))}
        />
      ) : null}

      {isPhysician && sae.status === 'open' ? (
        <SubmissionForm
          id="sponsor-report"
          title={pt('case.recordSponsorTitle')}
          kinds={SPONSOR_SUBMISSION_KINDS}
          initialKind={acknowledged ? 'susar_initial_report' : 'sponsor_acknowledgement'}
          onSubmit={(input) => recordSponsorSubmission(sae.id, input)}
          onSaved={(c, kind) => saved(c, pt('case.recorded', { kind: pt(`case.kinds.${kind}`) }))}
        />
      ) : null}

      <SusarSection
        sae={sae}
        mayClassify={isPhysician}
        mayUnblind={caps.safetyPhysician && can(roles, 'safety.susar.unblind')}
        onSaved={(c) => saved(c, pt('case.classified'))}
      />

      {isPhysician && sae.status === 'open' ? (
        <div className="form__actions tp-section">
          <button type="button" className="button button--secondary" onClick={() => setClosing(true)}>
            {pt('case.close')}
          </button>
        </div>
      ) : null}
      {closing ? (
        <TextDialog
          title={pt('case.closeTitle', { case: sae.caseNumber })}
          intro={pt('case.closeIntro')}
          label={pt('form.reason')}
          submitLabel={pt('case.close')}
          onClose={() => setClosing(false)}
          onSubmit={async (reason) => {
            const c = await closeSaeCase(sae.id, reason);
            setClosing(false);
            saved(c, pt('case.closed', { case: c.caseNumber }));
          }}
        />
      ) : null}
    </SafetyFrame>
  );
}
