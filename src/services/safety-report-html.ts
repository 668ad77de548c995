/**
 * The SAE report document of one case, as a self-contained HTML page (print to PDF from a browser;
 * a server-side PDF needs a PDF library that is not installed — see the user guide). Pure: the caller
 * builds the model for one actor, deciding what that actor may see (the SUSAR section and the
 * treatment only for those who may know them). Every text is HTML-escaped.
 */
import { SERIOUSNESS_CRITERIA, SERIOUSNESS_SDTM, type AeRecord, type SponsorAssessment } from '../core/safety/index.js';

/** Everything the document shows. */
export interface SaeReportModel {
  generatedAtLocal: string;
  generatedBy: string;
  study: { acronym: string; sponsorStudyId: string; registryId: string; title: string; protocolVersion: string };
  caseNumber: string;
  caseStatus: string;
  aeNumber: string;
  aeVersion: number;
  studyId: string;
  siteName: string;
  record: AeRecord;
  sponsorAssessment: SponsorAssessment | null;
  reportableCausality: string;
  siteAwarenessLocal: string;
  seriousAwarenessLocal: string;
  sponsorAwarenessLocal: string | null;
  day0: string | null;
  deadlines: { label: string; dueLocal: string; status: string; metAtLocal: string | null }[];
  submissions: {
    kind: string;
    occurredAtLocal: string;
    reference: string | null;
    note: string | null;
    recordedBy: string;
  }[];
  /** null: not shown to this reader. */
  susar: {
    susar: boolean | null;
    rationale: string | null;
    classifiedBy: string | null;
    classifiedAt: string | null;
  } | null;
  /** "Blinded" unless the reader may see the allocation. */
  treatment: string;
  versions: {
    version: number;
    kind: string;
    changedAtLocal: string;
    changedBy: string;
    reason: string | null;
    changedFields: string[];
  }[];
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined || v === '' ? '—' : escapeHtml(String(v));
const row = (label: string, value: string): string =>
  `<tr><th scope="row">${escapeHtml(label)}</th><td>${value}</td></tr>`;
const yesNo = (b: boolean): string => (b ? 'Yes' : 'No');

const CRITERION_LABELS: Record<(typeof SERIOUSNESS_CRITERIA)[number], string> = {
  death: 'Results in death',
  lifeThreatening: 'Life-threatening',
  hospitalisation: 'Hospitalisation or prolongation of hospitalisation',
  disability: 'Persistent or significant disability or incapacity',
  congenitalAnomaly: 'Congenital anomaly or birth defect',
  importantMedicalEvent: 'Other important medical event',
};

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#111;max-width:60rem}
h1{font-size:1.4rem;margin-bottom:.2rem}h2{font-size:1.1rem;border-bottom:1px solid #999;margin-top:1.6rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #ddd}
th[scope=row]{width:18rem;font-weight:600}.muted{color:#555}.overdue{color:#a00;font-weight:700}
@media print{body{margin:0}}`;

/** Renders the document. */
export function renderSaeReportHtml(m: SaeReportModel): string {
  const r = m.record;
  const s = m.sponsorAssessment;
  const meddra = r.meddra
    ? [
        row('MedDRA version', e(r.meddra.version)),
        row('Lowest level term', `${e(r.meddra.lltName)} (${e(r.meddra.lltCode)})`),
        row('Preferred term', `${e(r.meddra.ptName)} (${e(r.meddra.ptCode)})`),
        row('Primary system organ class', `${e(r.meddra.socName)} (${e(r.meddra.socCode)})`),
      ].join('')
    : row('MedDRA coding', 'Not yet coded');
  const criteria = SERIOUSNESS_CRITERIA.map((c) =>
    row(`${CRITERION_LABELS[c]} (${SERIOUSNESS_SDTM[c]})`, yesNo(r.seriousness[c])),
  ).join('');
  const causality = (who: string, c: { cellProduct: string; procedure: string } | null): string =>
    row(
      `Causality, ${who}`,
      c
        ? `cell product: ${e(c.cellProduct.replace('_', ' '))}; injection procedure: ${e(c.procedure.replace('_', ' '))}`
        : 'Not yet assessed',
    );
  const deadlines = m.deadlines
    .map(
      (d) =>
        `<tr><td>${e(d.label)}</td><td>${e(d.dueLocal)}</td><td class="${d.status === 'overdue' ? 'overdue' : ''}">${e(d.status.replace('_', ' '))}</td><td>${e(d.metAtLocal)}</td></tr>`,
    )
    .join('');
  const submissions = m.submissions.length
    ? m.submissions
        .map(
          (x) =>
            `<tr><td>${e(x.kind.replace(/_/g, ' '))}</td><td>${e(x.occurredAtLocal)}</td><td>${e(x.reference)}</td><td>${e(x.recordedBy)}</td><td>${e(x.note)}</td></tr>`,
        )
        .join('')
    : '<tr><td colspan="5" class="muted">None recorded</td></tr>';
  const versions = m.versions
    .map(
      (v) =>
        `<tr><td>${v.version}</td><td>${e(v.kind.replace(/_/g, ' '))}</td><td>${e(v.changedAtLocal)}</td><td>${e(v.changedBy)}</td><td>${e(v.changedFields.join(', '))}</td><td>${e(v.reason)}</td></tr>`,
    )
    .join('');
  const susar = m.susar
    ? `<h2>SUSAR assessment (sponsor)</h2><table>${row('SUSAR', m.susar.susar === null ? 'Not yet classified' : yesNo(m.susar.susar))}${row('Rationale', e(m.susar.rationale))}${row('Classified by', `${e(m.susar.classifiedBy)}, ${e(m.susar.classifiedAt)}`)}</table>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(m.caseNumber)} — SAE report — ${e(m.study.acronym)}</title><style>${STYLE}</style></head>
<body>
<h1>Serious adverse event report ${e(m.caseNumber)}</h1>
<p class="muted">${e(m.study.acronym)} · ${e(m.study.sponsorStudyId)} · ${e(m.study.registryId)} · protocol ${e(m.study.protocolVersion)}<br>${e(m.study.title)}</p>
<p class="muted">Generated ${e(m.generatedAtLocal)} by ${e(m.generatedBy)} from ${e(m.aeNumber)} version ${m.aeVersion}. Case status: ${e(m.caseStatus)}.</p>
<h2>Participant and reporter</h2>
<table>${row('Participant (coded)', e(m.studyId))}${row('Site', e(m.siteName))}${row('Day 0 (injection)', e(m.day0))}${row('Treatment', e(m.treatment))}${row('Suspect products', 'Allogeneic adipose-derived mesenchymal stem cells (AD-MSC) or saline, intra-articular injection (blinded); injection procedure')}</table>
<h2>Event</h2>
<table>${row('Verbatim term', e(r.verbatimTerm))}${meddra}${row('Onset', e(r.onsetDate))}${row('End', r.endDate ? e(r.endDate) : 'Ongoing')}${row('CTCAE grade', e(r.grade))}${row('Local event in the index knee', r.localToIndexKnee === null ? '—' : yesNo(r.localToIndexKnee))}${row('Action taken', e(r.actionTaken.join(', ').replace(/_/g, ' ')))}${row('Outcome', e(r.outcome.replace(/_/g, ' ')))}${row('Narrative', e(r.narrative))}</table>
<h2>Seriousness criteria</h2>
<table>${criteria}</table>
<h2>Assessments</h2>
<table>${causality('investigator', r.investigatorCausality)}${causality('sponsor', s?.causality ?? null)}${row('Causality for reporting', e(m.reportableCausality.replace('_', ' ')))}${row('Expectedness (sponsor)', s ? `${e(s.expectedness)} against reference safety information ${e(s.rsiVersion)}` : 'Not yet assessed')}${row('Sponsor comment', e(s?.comment))}</table>
<h2>Awareness and reporting clocks (Europe/Copenhagen)</h2>
<table>${row('Site aware of the event', e(m.siteAwarenessLocal))}${row('Site aware of its seriousness', e(m.seriousAwarenessLocal))}${row('Sponsor aware', e(m.sponsorAwarenessLocal))}</table>
<table><thead><tr><th>Deadline</th><th>Due</th><th>Status</th><th>Met</th></tr></thead><tbody>${deadlines}</tbody></table>
<h2>Submissions and acknowledgements</h2>
<table><thead><tr><th>What</th><th>When</th><th>Reference</th><th>Recorded by</th><th>Note</th></tr></thead><tbody>${submissions}</tbody></table>
${susar}
<h2>Follow-up history</h2>
<table><thead><tr><th>Version</th><th>Change</th><th>When</th><th>By</th><th>Fields</th><th>Reason</th></tr></thead><tbody>${versions}</tbody></table>
</body></html>
`;
}
