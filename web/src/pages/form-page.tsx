/**
 * One eCRF form of a participant: at a visit (`/participants/:id/visits/:visitCode/forms/:formId`),
 * once per participant (`/participants/:id/forms/:formId`), one instance of a repeating form
 * (`/form-instances/:instanceId`) or a new one (`…/forms/:formId/new`, see `form-new-page.tsx`).
 * Site staff enter and correct data; monitors and data managers see it read-only with the queries,
 * source data verification and lock panels their role allows. The other forms of the same visit
 * are linked at the end, so a visit can be entered form after form.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  fetchCasebook,
  fetchForm,
  fetchFormDefinition,
  type CasebookView,
  type FormLocation,
  type FormView,
} from '../api/ecrf-api.js';
import { Link } from '../app/link.js';
import { navigate } from '../app/router.js';
import type { PageProps } from '../app/routes.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { FormStatusBadge, formBadgeStatus, VisitStatusBadge } from './form/badges.js';
import { useEcrfTranslation } from './form/ecrf-i18n.js';
import { canAtSite, casebookHref, formatDateRange, instanceHref, visitFormHref } from './form/ecrf-format.js';
import { FormEntry, type FormRights, type FormTarget } from './form/form-entry.js';
import { FormLockPanel, FormStatePanel, SdvPanel } from './form/form-panels.js';
import './form/ecrf.css';

/** A notice to show after navigating to the saved instance of a new repeating form. */
let noticeAfterNavigation: string | null = null;

function targetOf(params: PageProps['params'], isNew: boolean): FormTarget {
  if (params.instanceId) return { kind: 'instance', instanceId: params.instanceId };
  const participantId = params.id ?? '';
  const formId = params.formId ?? '';
  if (isNew) return { kind: 'new', participantId, formId };
  if (params.visitCode) return { kind: 'visit', participantId, visitCode: params.visitCode, formId };
  return { kind: 'participant', participantId, formId };
}

async function loadView(target: FormTarget): Promise<FormView> {
  if (target.kind !== 'new') return fetchForm(target as FormLocation);
  const definition = await fetchFormDefinition(target.formId);
  const casebook = await fetchCasebook(target.participantId);
  return {
    participant: {
      id: casebook.participant.id,
      studyId: casebook.participant.studyId,
      siteId: casebook.participant.siteId,
      status: casebook.participant.status,
    },
    visitCode: null,
    formId: target.formId,
    repeatNo: 0,
    definition,
    instance: null,
    values: {},
    derived: {},
    masked: [],
    warnings: [],
    itemStates: {},
    queries: [],
    sdv: null,
    locks: { form: false, casebook: casebook.casebook.locked, database: false },
  };
}

/** The form page; `isNew` for a new instance of a repeating form. */
export function FormPageView({ params, isNew }: PageProps & { isNew: boolean }) {
  const { et, t, pick, locale } = useEcrfTranslation();
  const { session } = useSignedIn();
  const target = targetOf(params, isNew);
  const key = JSON.stringify(target);
  const [view, setView] = useState<FormView | null>(null);
  const [casebook, setCasebook] = useState<CasebookView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const focusedHash = useRef(false);

  const reload = useCallback(async (): Promise<void> => {
    try {
      const next = await loadView(JSON.parse(key) as FormTarget);
      setView(next);
      setError(null);
      fetchCasebook(next.participant.id).then(setCasebook, () => setCasebook(null));
    } catch (err) {
      setError(err);
    }
  }, [key]);

  useEffect(() => {
    setView(null);
    setNotice(noticeAfterNavigation);
    noticeAfterNavigation = null;
    focusedHash.current = false;
    void reload();
  }, [reload]);

  useEffect(() => {
    // A link from the query inbox names the item (`#item-…`): bring it into view once loaded.
    if (!view || focusedHash.current || !window.location.hash.startsWith('#item-')) return;
    focusedHash.current = true;
    const el = document.getElementById(window.location.hash.slice(1));
    if (el) {
      el.scrollIntoView({ block: 'center' });
      (el.matches('input, select, textarea')
        ? el
        : el.querySelector<HTMLElement>('input:checked, input, select, textarea')
      )?.focus();
    }
  }, [view]);

  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const participantId = view?.participant.id ?? params.id ?? '';
  const back = participantId ? (
    <Link href={casebookHref(participantId)} className="button button--secondary">
      {et('formPage.back')}
    </Link>
  ) : null;

  if (error && !view) {
    return (
      <>
        <PageHeading actions={back}>{et('formPage.loading')}</PageHeading>
        <Alert tone="error">{describeError(t, error)}</Alert>
      </>
    );
  }
  if (!view) {
    return (
      <>
        <PageHeading actions={back}>{et('formPage.loading')}</PageHeading>
        <Loading />
      </>
    );
  }

  const grants = session.user.grants;
  const site = view.participant.siteId;
  const locked = view.locks.form || view.locks.casebook || view.locks.database;
  const rights: FormRights = {
    write: canAtSite(grants, 'ecrf.write', site) && !locked,
    raise: canAtSite(grants, 'query.raise', site) && !view.locks.casebook && !view.locks.database,
    answer: canAtSite(grants, 'query.answer', site) && !view.locks.database,
    close: canAtSite(grants, 'query.close', site) && !view.locks.database,
  };
  const me = session.user.email;
  const visit = view.visitCode ? casebook?.visits.find((v) => v.visit === view.visitCode) : undefined;
  const instance = view.instance;
  const status = formBadgeStatus(
    instance?.status ?? 'not_started',
    instance ? { locked: instance.locked, sdv: view.sdv?.status ?? 'not_verified' } : null,
  );
  const siblings =
    view.visitCode && casebook
      ? casebook.cells.filter(
          (c) => c.visitCode === view.visitCode && c.managedBy === null && c.status !== 'not_applicable',
        )
      : [];
  const titleOf = (formId: string): string => {
    const f = casebook?.forms.find((x) => x.formId === formId);
    return f ? pick(f.title) : formId;
  };
  const changed = (message: string): void => {
    setNotice(message);
    void reload();
  };
  const heading =
    instance && view.definition.repeating
      ? et('formPage.titleRepeat', { title: pick(view.definition.title), n: instance.repeatNo })
      : pick(view.definition.title);

  return (
    <>
      <PageHeading actions={back}>{heading}</PageHeading>
      <p className="ec-meta">
        <span className="ec-meta__who">{view.participant.studyId}</span>
        {visit ? (
          <>
            <span>
              {pick(visit.name)} ({visit.visit})
            </span>
            <VisitStatusBadge status={visit.status} />
            {visit.earliest && visit.latest ? (
              <span className="muted">
                {et('visit.window', { range: formatDateRange(visit.earliest, visit.latest, locale) })}
              </span>
            ) : null}
          </>
        ) : view.visitCode ? (
          <span>{view.visitCode}</span>
        ) : null}
        <FormStatusBadge status={status} />
      </p>
      {notice ? (
        <div ref={noticeRef} tabIndex={-1} className="ec-notice">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {error ? <Alert tone="error">{describeError(t, error)}</Alert> : null}
      {view.locks.database ? <Alert tone="info">{et('formPage.databaseLocked')}</Alert> : null}
      {view.locks.casebook ? <Alert tone="info">{et('formPage.casebookLocked')}</Alert> : null}
      {view.locks.form ? <Alert tone="info">{et('formPage.formLocked')}</Alert> : null}
      {!canAtSite(grants, 'ecrf.write', site) ? <p className="muted">{et('formPage.readOnly')}</p> : null}
      {view.masked.length > 0 || view.definition.groups.some((g) => g.items.some((i) => !i.visible)) ? (
        <p className="muted">{et('formPage.blinded')}</p>
      ) : null}
      {view.definition.recallPeriod ? (
        <p className="ec-recall">{et('formPage.recall', { period: pick(view.definition.recallPeriod) })}</p>
      ) : null}
      {view.definition.description ? <p>{pick(view.definition.description)}</p> : null}
      <div className="ec-layout">
        <div className="ec-layout__main">
          <FormEntry
            key={`${instance?.id ?? 'new'}:${instance?.version ?? 0}:${rights.write}`}
            view={view}
            target={target}
            rights={rights}
            me={me}
            onSaved={(result, message) => {
              if (target.kind === 'new') {
                noticeAfterNavigation = message;
                navigate(instanceHref(result.instance.id), { replace: true });
                return;
              }
              changed(message);
            }}
            onQueryChanged={() => changed(et('query.updated'))}
          />
        </div>
        <aside className="ec-layout__aside" aria-label={et('formPage.aside')}>
          <section className="card ec-panel" aria-labelledby="state-title">
            <h2 id="state-title" className="ec-panel__title">
              {et('formPage.stateTitle')}
            </h2>
            <FormStatePanel view={view} me={me} />
          </section>
          <SdvPanel
            view={view}
            me={me}
            onChanged={changed}
            mayVerify={canAtSite(grants, 'sdv.write', site) && !view.locks.database}
          />
          <FormLockPanel
            view={view}
            me={me}
            onChanged={changed}
            mayLock={canAtSite(grants, 'ecrf.lock', site) && !view.locks.database}
            mayUnlock={canAtSite(grants, 'ecrf.unlock', site) && !view.locks.database}
          />
          {siblings.length > 1 && view.visitCode ? (
            <nav className="card ec-panel" aria-labelledby="siblings-title">
              <h2 id="siblings-title" className="ec-panel__title">
                {et('formPage.visitForms')}
              </h2>
              <ul className="plain-list ec-siblings">
                {siblings.map((c) => (
                  <li key={c.formId}>
                    {c.formId === view.formId ? (
                      <span aria-current="page" className="ec-siblings__current">
                        {titleOf(c.formId)}
                      </span>
                    ) : (
                      <Link href={visitFormHref(participantId, c.visitCode, c.formId)}>{titleOf(c.formId)}</Link>
                    )}{' '}
                    <FormStatusBadge status={formBadgeStatus(c.status, c.instance)} />
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </aside>
      </div>
    </>
  );
}

/** The form page of an existing form. */
export default function FormPage(props: PageProps) {
  return <FormPageView {...props} isNew={false} />;
}
