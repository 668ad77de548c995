/**
 * One screening: the data form with live eligibility feedback, identity, consent, the
 * investigator's sign-off, enrolment and the manual outcomes. The form's typed values are checked
 * and assessed in the browser with the core's own functions as the user types; after a save the
 * server's stored assessment is shown.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ScreeningItemId } from '../../../src/core/eligibility/screening-items.js';
import {
  fetchParticipant,
  fetchScreening,
  listConsentVersions,
  type ConsentVersion,
  type ParticipantView,
  type ScreeningView,
} from '../api/screening-api.js';
import { fetchStudy } from '../api/study-api.js';
import type { Site } from '../api/types.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { formatDateTime } from '../lib/format.js';
import { ConsentSection } from './screening/consent-section.js';
import { EligibilityPanel } from './screening/eligibility-panel.js';
import { EnrolSection } from './screening/enrol-section.js';
import { IdentitySection } from './screening/identity-section.js';
import { OutcomeSection } from './screening/outcome-section.js';
import { canAtSite } from './screening/screening-format.js';
import { ScreeningForm } from './screening/screening-form.js';
import { checkForm, rawFromValues, type RawValues } from './screening/screening-form-model.js';
import { useScreeningTranslation } from './screening/screening-i18n.js';
import { SignOffSection } from './screening/sign-off-section.js';
import { ScreeningStatusBadge } from './screening/status-badge.js';
import './screening/screening.css';

const CLOSED = ['declined', 'not_reached', 'other', 'enrolled'];

interface Loaded {
  screening: ScreeningView;
  versions: ConsentVersion[];
  sites: Site[];
  participant: ParticipantView | null;
}

async function loadAll(id: string, readParticipant: boolean): Promise<Loaded> {
  const [screening, versions, study] = await Promise.all([fetchScreening(id), listConsentVersions(), fetchStudy()]);
  const participant =
    readParticipant && screening.participantId
      ? await fetchParticipant(screening.participantId).catch(() => null)
      : null;
  return { screening, versions, sites: study.sites, participant };
}

/** The screening page. */
export default function ScreeningPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { st, t, language, locale } = useScreeningTranslation();
  const { session } = useSignedIn();
  const grants = session.user.grants;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [edits, setEdits] = useState<Partial<RawValues>>({});

  useEffect(() => {
    let current = true;
    loadAll(id, true).then(
      (data) => current && setLoaded(data),
      (err: unknown) => current && setLoadError(err),
    );
    return () => {
      current = false;
    };
  }, [id]);

  const screening = loaded?.screening ?? null;
  const raw = useMemo<RawValues | null>(
    () => (screening ? { ...rawFromValues(screening.values, language === 'da'), ...edits } : null),
    [screening, edits, language],
  );
  const check = useMemo(() => (raw && screening ? checkForm(raw, screening.values) : null), [raw, screening]);

  if (loadError) {
    return (
      <>
        <PageHeading>{st('form.loadingTitle')}</PageHeading>
        <Alert tone="error">{describeError(t, loadError)}</Alert>
      </>
    );
  }
  if (!loaded || !screening || !raw || !check) {
    return (
      <>
        <PageHeading>{st('form.loadingTitle')}</PageHeading>
        <Loading />
      </>
    );
  }

  const setScreening = (s: ScreeningView): void => setLoaded((l) => (l ? { ...l, screening: s } : l));
  const reload = (): void => {
    fetchScreening(id).then(setScreening, setLoadError);
  };
  const closed = CLOSED.includes(screening.status);
  const mayWrite = canAtSite(grants, 'screening.write', screening.siteId);
  const editable = mayWrite && !closed;
  const unsaved = check.dirty.length > 0;
  const site = loaded.sites.find((s) => s.id === screening.siteId);
  const mayIdentity = canAtSite(grants, 'identity.read', screening.siteId);

  const edit = (item: ScreeningItemId, value: string): void => setEdits((e) => ({ ...e, [item]: value }));

  return (
    <>
      <PageHeading
        actions={
          <Link href="/screenings" className="button button--secondary">
            {st('common.backToLog')}
          </Link>
        }
      >
        {st('form.title', { number: screening.screeningNumber })}
      </PageHeading>
      <p className="sc-meta">
        <ScreeningStatusBadge status={screening.status} />{' '}
        <span className="muted">
          {st('form.meta', {
            site: site?.code ?? screening.siteId,
            protocol: screening.protocolVersion,
            date: formatDateTime(screening.createdAt, locale),
          })}
        </span>
      </p>
      {closed && screening.status !== 'enrolled' ? (
        <Alert tone="info">
          {st('form.closedNotice', { status: st(`status.${screening.status}`) })}
          {screening.outcomeReason ? ` ${st('form.outcomeReason', { reason: screening.outcomeReason })}` : ''}
        </Alert>
      ) : null}
      {screening.signedOff && editable ? <Alert tone="info">{st('form.signedOffNotice')}</Alert> : null}

      <div className="screening-layout">
        <div className="screening-layout__main">
          <ScreeningForm
            screening={screening}
            raw={raw}
            check={check}
            editable={editable}
            onEdit={edit}
            onDiscard={() => setEdits({})}
            onSaved={(s) => {
              setEdits({});
              setScreening(s);
            }}
          />
          {mayIdentity ? <IdentitySection screening={screening} editable={editable} onSaved={reload} /> : null}
          <ConsentSection
            screening={screening}
            versions={loaded.versions}
            editable={
              mayWrite &&
              !['declined', 'not_reached', 'other'].includes(screening.status) &&
              canAtSite(grants, 'consent.write', screening.siteId)
            }
            onSaved={setScreening}
          />
          <SignOffSection screening={screening} unsaved={unsaved} onSigned={setScreening} />
          {screening.status !== 'declined' && screening.status !== 'not_reached' && screening.status !== 'other' ? (
            <EnrolSection
              screening={screening}
              participant={loaded.participant}
              unsaved={unsaved}
              onEnrolled={(p) => {
                setLoaded((l) => (l ? { ...l, participant: p } : l));
                reload();
              }}
            />
          ) : null}
          {editable ? <OutcomeSection screening={screening} onClosed={setScreening} /> : null}
        </div>
        <aside className="screening-layout__aside" aria-label={st('panel.title')}>
          <EligibilityPanel assessment={unsaved ? check.assessment : screening.assessment} preview={unsaved} />
        </aside>
      </div>
    </>
  );
}
