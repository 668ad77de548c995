/**
 * The CONSORT flow diagram with the participants behind every number: select a box (click, or Tab
 * to it and press Enter) to list its study ids, each linking to the participant, or the screening
 * numbers of people who were screened but not enrolled. Roles that may ever see the arms (the
 * statistician and the DSMB) get a pooled / by-arm switch; the server decides whether by arm is
 * allowed now, and its refusal is shown as it gives it. The diagram can be downloaded as SVG.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { can } from '../../../../src/core/authorization.js';
import { isApiError } from '../../api/client.js';
import { consortCountsByKey, fetchConsort, type ConsortCount, type ConsortReport } from '../../api/reports-api.js';
import { listParticipants } from '../../api/screening-api.js';
import { Link } from '../../app/link.js';
import { useSignedIn } from '../../app/session.js';
import { Alert } from '../../components/alert.js';
import { Loading } from '../../components/loading.js';
import { describeError } from '../../lib/error-messages.js';
import { formatCph } from '../randomization/trial-format.js';
import { ConsortDiagram } from './consort-diagram.js';
import { ReportsFrame } from './reports-frame.js';
import { useReportsStrings } from './reports-i18n.js';
import '../randomization/trial-pages.css';
import './reports.css';

type Mode = 'pooled' | 'by_arm';

/** Screening numbers (`S-0001`) name people who were screened but never enrolled. */
const SCREENING_NUMBER = /^S-\d+$/;

/** A link to download `text` as a file, with an object URL released when it changes. */
function DownloadLink({
  text,
  type,
  filename,
  label,
}: {
  text: string;
  type: string;
  filename: string;
  label: string;
}) {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([text], { type }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [text, type]);
  if (href === null) return null;
  return (
    <a className="button button--secondary" href={href} download={filename}>
      {label}
    </a>
  );
}

/** The list of people behind the selected count. */
function Selection({
  count,
  participantIds,
}: {
  count: ConsortCount | null;
  participantIds: ReadonlyMap<string, string> | null;
}) {
  const { pt } = useReportsStrings();
  if (count === null) return <p className="tp-empty">{pt('consort.selection.empty')}</p>;
  const screeningNumbers = count.ids.filter((id) => SCREENING_NUMBER.test(id));
  const studyIds = count.ids.filter((id) => !SCREENING_NUMBER.test(id));
  return (
    <div data-selected-key={count.key}>
      <h3 className="rp-subtitle" id="rp-selection-heading">
        {pt('consort.selection.heading', { label: count.label, n: count.n })}
      </h3>
      {count.overlapping ? <p className="muted">{pt('consort.selection.overlapping')}</p> : null}
      {count.ids.length === 0 ? <p className="tp-empty">{pt('consort.selection.none')}</p> : null}
      {studyIds.length > 0 ? (
        <>
          <h4 className="rp-list-title">{pt('consort.selection.studyIds')}</h4>
          <ul className="rp-ids" data-id-kind="study">
            {studyIds.map((id) => {
              const dbId = participantIds?.get(id);
              return (
                <li key={id} className="tp-code" data-id={id}>
                  {dbId ? <Link href={`/participants/${encodeURIComponent(dbId)}`}>{id}</Link> : id}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {screeningNumbers.length > 0 ? (
        <>
          <h4 className="rp-list-title">{pt('consort.selection.screeningNumbers')}</h4>
          <ul className="rp-ids" data-id-kind="screening">
            {screeningNumbers.map((id) => (
              <li key={id} className="tp-code" data-id={id}>
                {id}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

/** The CONSORT page. */
export default function ConsortPage() {
  const { pt, t, locale } = useReportsStrings();
  const { roles } = useSignedIn();
  const mayAskByArm = can(roles, 'analysis.sap.by_arm');
  const [mode, setMode] = useState<Mode>('pooled');
  const [report, setReport] = useState<ConsortReport | null>(null);
  const [error, setError] = useState<{ mode: Mode; error: unknown } | null>(null);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [participantIds, setParticipantIds] = useState<ReadonlyMap<string, string> | null>(null);

  useEffect(() => {
    let current = true;
    setError(null);
    fetchConsort(mode === 'by_arm').then(
      (r) => {
        if (!current) return;
        setReport(r);
        setSelectedKey(null);
      },
      (e: unknown) => current && setError({ mode, error: e }),
    );
    return () => {
      current = false;
    };
  }, [mode]);

  // Study id → participant record id, for the links (only for roles that may open participants).
  const mayOpenParticipants = can(roles, 'participant.read');
  useEffect(() => {
    if (!mayOpenParticipants) return;
    let current = true;
    listParticipants().then(
      (people) => current && setParticipantIds(new Map(people.map((p) => [p.studyId, p.id]))),
      // Without the list the ids are shown as text; the diagram itself is unaffected.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [mayOpenParticipants]);

  const counts = useMemo(
    () => (report ? consortCountsByKey(report.counts) : new Map<string, ConsortCount>()),
    [report],
  );
  const countLabel = useCallback((c: ConsortCount) => pt('consort.countLabel', { label: c.label, n: c.n }), [pt]);
  const selected = selectedKey === null ? null : (counts.get(selectedKey) ?? null);

  const refusal =
    error && error.mode === 'by_arm' && isApiError(error.error) && error.error.code === 'forbidden'
      ? pt('consort.refused', { message: error.error.message })
      : null;

  return (
    <ReportsFrame title={pt('consort.title')}>
      <p className="tp-intro muted">{pt('consort.intro')}</p>
      {mayAskByArm ? (
        <fieldset className="tp-choices rp-mode">
          <legend className="tp-choices__legend">{pt('consort.mode.legend')}</legend>
          <div className="tp-choices__options">
            {(['pooled', 'by_arm'] as const).map((m) => (
              <label key={m} className="tp-choice">
                <input type="radio" name="consort-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
                <span className="tp-choice__text">
                  {pt(m === 'pooled' ? 'consort.mode.pooled' : 'consort.mode.byArm')}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      {refusal ? <Alert tone="error">{refusal}</Alert> : null}
      {error && !refusal ? <Alert tone="error">{describeError(t, error.error)}</Alert> : null}
      {report === null && error === null ? <Loading /> : null}
      {report ? (
        <>
          {report.interim ? <Alert tone="info">{pt('consort.interim')}</Alert> : null}
          {report.consistency.length > 0 ? (
            <Alert tone="error">
              {pt('consort.inconsistent')}
              <ul>
                {report.consistency.map((c) => (
                  <li key={c}>{c}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          <div className="tp-actions rp-consort-bar">
            <p className="muted">
              {pt('consort.provenance', {
                protocol: report.protocolVersion,
                time: formatCph(report.generatedAt, locale),
                software: report.software,
              })}
            </p>
            <DownloadLink
              text={report.svg}
              type="image/svg+xml"
              filename={report.blinded ? 'consort-blinded.svg' : 'consort-by-arm.svg'}
              label={pt('consort.downloadSvg')}
            />
          </div>
          <div className="rp-consort-layout">
            <div className="rp-consort-scroll">
              <ConsortDiagram
                svg={report.svg}
                counts={counts}
                selectedKey={selectedKey}
                onSelect={setSelectedKey}
                label={pt('consort.diagramLabel')}
                countLabel={countLabel}
              />
            </div>
            <section className="rp-selection" aria-labelledby="rp-selection-title" aria-live="polite">
              <h2 id="rp-selection-title" className="tp-section__title">
                {pt('consort.selection.title')}
              </h2>
              <Selection count={selected} participantIds={participantIds} />
            </section>
          </div>
        </>
      ) : null}
    </ReportsFrame>
  );
}
