import { describe, expect, it } from 'vitest';
import { NOT_SERIOUS } from '../core/safety/index.js';
import { escapeHtml, renderSaeReportHtml, type SaeReportModel } from './safety-report-html.js';

const model: SaeReportModel = {
  generatedAtLocal: '2026-05-03T10:00:00+02:00',
  generatedBy: 'inv@t.local',
  study: {
    acronym: 'STEMJOINT',
    sponsorStudyId: 'STEMJOINT01',
    registryId: 'NCT05933434',
    title: 'Title',
    protocolVersion: '1.0',
  },
  caseNumber: 'SAE-0001',
  caseStatus: 'open',
  aeNumber: 'AE-0007',
  aeVersion: 2,
  studyId: 'SJ-004',
  siteName: 'Aarhus University Hospital',
  record: {
    verbatimTerm: 'Septic arthritis <script>alert(1)</script>',
    meddra: null,
    onsetDate: '2026-05-01',
    endDate: null,
    grade: 3,
    seriousness: { ...NOT_SERIOUS, hospitalisation: true },
    localToIndexKnee: true,
    investigatorCausality: { cellProduct: 'not_related', procedure: 'related' },
    actionTaken: ['hospitalisation', 'joint_aspiration'],
    outcome: 'recovering',
    narrative: 'Fever & swelling',
  },
  sponsorAssessment: null,
  reportableCausality: 'related',
  siteAwarenessLocal: '2026-05-02T08:00:00+02:00',
  seriousAwarenessLocal: '2026-05-02T08:00:00+02:00',
  sponsorAwarenessLocal: null,
  day0: null,
  deadlines: [{ label: 'SAE report', dueLocal: '2026-05-03T08:00:00+02:00', status: 'overdue', metAtLocal: null }],
  submissions: [],
  susar: null,
  treatment: 'Blinded',
  versions: [
    {
      version: 1,
      kind: 'initial',
      changedAtLocal: '2026-05-02T08:05:00+02:00',
      changedBy: 'nurse@t.local',
      reason: null,
      changedFields: ['verbatimTerm'],
    },
  ],
};

describe('renderSaeReportHtml', () => {
  it('renders a complete, escaped document without SUSAR details for a reader who may not see them', () => {
    const html = renderSaeReportHtml(model);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('SAE-0001');
    expect(html).toContain('Septic arthritis &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Fever &amp; swelling');
    expect(html).toContain('class="overdue"');
    expect(html).not.toContain('SUSAR assessment');
    expect(html).not.toMatch(/ADMSC|SALINE/);
  });

  it('shows the SUSAR section when the model carries it', () => {
    const html = renderSaeReportHtml({
      ...model,
      susar: { susar: true, rationale: 'unexpected', classifiedBy: 'phys@t.local', classifiedAt: 'x' },
    });
    expect(html).toContain('SUSAR assessment (sponsor)');
  });

  it('escapes every special character', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
