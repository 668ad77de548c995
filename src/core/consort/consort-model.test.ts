import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkConsortConsistency,
  countConsort,
  type ConsortInput,
  type ConsortParticipant,
  type ConsortScreening,
} from './consort-model.js';
import { layoutConsort, renderConsortSvg } from './consort-layout.js';

const CRITERIA = [
  { id: 'IC1', name: 'Age 40–75 years' },
  { id: 'EC10', name: 'Diabetes mellitus' },
];
const ARMS = [
  { code: 'ADMSC', label: 'AD-MSC' },
  { code: 'SALINE', label: 'Saline' },
];
const OUTCOMES = [{ id: 'koos_symptoms', label: 'KOOS Symptoms' }];

const screening = (
  n: number,
  status: ConsortScreening['status'],
  extra: Partial<ConsortScreening> = {},
): ConsortScreening => ({
  screeningNumber: `S-${String(n).padStart(4, '0')}`,
  status,
  failedCriteria: [],
  outcomeReason: null,
  studyId: null,
  ...extra,
});

const participant = (studyId: string, extra: Partial<ConsortParticipant> = {}): ConsortParticipant => ({
  studyId,
  randomized: true,
  arm: 'ADMSC',
  administration: 'administered',
  notAdministeredReason: null,
  withdrawn: false,
  withdrawalReason: null,
  endOfStudy: null,
  analysedFor: ['koos_symptoms'],
  notAnalysedReasons: {},
  ...extra,
});

function input(screenings: ConsortScreening[], participants: ConsortParticipant[], byArm = true): ConsortInput {
  return { screenings, participants, criteria: CRITERIA, arms: byArm ? ARMS : null, outcomes: OUTCOMES };
}

describe('countConsort', () => {
  const screenings = [
    screening(1, 'ineligible', { failedCriteria: ['IC1', 'EC10'] }),
    screening(2, 'ineligible', { failedCriteria: ['EC10'] }),
    screening(3, 'declined', { outcomeReason: 'travel distance' }),
    screening(4, 'not_reached'),
    screening(5, 'other', { outcomeReason: 'moved abroad' }),
    screening(6, 'in_progress'),
    screening(7, 'eligible'),
    screening(8, 'enrolled', { studyId: 'SJ-001' }),
    screening(9, 'enrolled', { studyId: 'SJ-002' }),
    screening(10, 'enrolled', { studyId: 'SJ-003' }),
    screening(11, 'enrolled', { studyId: 'SJ-004' }),
    screening(12, 'enrolled', { studyId: 'SJ-005' }),
  ];
  const participants = [
    participant('SJ-001'),
    participant('SJ-002', {
      arm: 'SALINE',
      administration: 'not_administered',
      notAdministeredReason: 'declined on the day',
      analysedFor: [],
      notAnalysedReasons: { koos_symptoms: 'No follow-up value yet' },
    }),
    participant('SJ-003', { arm: 'SALINE', withdrawn: true, withdrawalReason: 'Lost to follow-up' }),
    participant('SJ-004', { randomized: false, arm: null, administration: null }),
    participant('SJ-005', {
      randomized: false,
      arm: null,
      administration: null,
      withdrawn: true,
      withdrawalReason: 'changed her mind',
    }),
  ];

  it('puts every screened person in exactly one leaf, with reasons and the people behind each box', () => {
    const c = countConsort(input(screenings, participants));
    expect(checkConsortConsistency(c)).toEqual([]);
    expect(c.assessed.n).toBe(12);
    expect(c.excluded.n).toBe(6);
    const criteria = c.excluded.parts!.find((p) => p.key === 'excluded.criteria')!;
    expect(criteria).toMatchObject({ n: 2, overlapping: true });
    expect(criteria.parts!.map((p) => [p.label, p.n, p.ids])).toEqual([
      ['IC1 Age 40–75 years', 1, ['S-0001']],
      ['EC10 Diabetes mellitus', 2, ['S-0001', 'S-0002']],
    ]);
    expect(c.excluded.parts!.find((p) => p.key === 'excluded.other')!.parts![0]).toMatchObject({
      label: 'moved abroad',
      n: 1,
    });
    expect(c.excluded.parts!.find((p) => p.key === 'excluded.withdrew')).toMatchObject({ n: 1, ids: ['SJ-005'] });
    expect(c.pending.parts!.map((p) => [p.key, p.ids])).toEqual([
      ['pending.screening', ['S-0006']],
      ['pending.enrolment', ['S-0007']],
      ['pending.randomization', ['SJ-004']],
    ]);
    expect(c.randomized.ids).toEqual(['SJ-001', 'SJ-002', 'SJ-003']);
    const [cells, saline] = c.columns;
    expect(cells).toMatchObject({ arm: 'ADMSC', allocated: { n: 1 }, received: { n: 1 } });
    expect(saline!.notReceived).toMatchObject({
      n: 1,
      ids: ['SJ-002'],
      parts: [{ label: 'declined on the day', n: 1 }],
    });
    expect(saline!.lostToFollowUp.ids).toEqual(['SJ-003']);
    expect(saline!.inFollowUp.ids).toEqual(['SJ-002']);
    expect(saline!.analysis[0]!.excluded).toMatchObject({ n: 1, parts: [{ label: 'No follow-up value yet' }] });
  });

  it('pools the arms when blinded: one column, no arm', () => {
    const c = countConsort(input(screenings, participants, false));
    expect(c.blinded).toBe(true);
    expect(c.columns).toHaveLength(1);
    expect(c.columns[0]!.arm).toBeNull();
    expect(c.columns[0]!.allocated.n).toBe(3);
    const svg = renderConsortSvg(c);
    expect(svg).not.toMatch(/ADMSC|SALINE|AD-MSC|Saline/);
  });

  it('uses the end-of-study form for follow-up reasons', () => {
    const c = countConsort(
      input(
        [
          screening(1, 'enrolled', { studyId: 'SJ-001' }),
          screening(2, 'enrolled', { studyId: 'SJ-002' }),
          screening(3, 'enrolled', { studyId: 'SJ-003' }),
        ],
        [
          participant('SJ-001', {
            withdrawn: true,
            withdrawalReason: 'x',
            endOfStudy: { status: 'early_termination', reason: 'adverse_event' },
          }),
          participant('SJ-002', {
            withdrawn: true,
            endOfStudy: { status: 'early_termination', reason: 'lost_to_follow_up' },
          }),
          participant('SJ-003', { endOfStudy: { status: 'completed', reason: null } }),
        ],
      ),
    );
    const col = c.columns[0]!;
    expect(col.discontinued.parts!.map((p) => p.label)).toEqual(['Adverse event']);
    expect(col.lostToFollowUp.ids).toEqual(['SJ-002']);
    expect(col.completed.ids).toEqual(['SJ-003']);
  });

  it('edge cases: nobody screened, nobody randomized yet, everyone withdrawn', () => {
    const empty = countConsort(input([], []));
    expect(checkConsortConsistency(empty)).toEqual([]);
    expect(empty.randomized.n).toBe(0);
    expect(layoutConsort(empty).boxes.length).toBeGreaterThan(5);

    const noneRandomized = countConsort(
      input(
        [screening(1, 'ineligible', { failedCriteria: ['IC1'] }), screening(2, 'enrolled', { studyId: 'SJ-001' })],
        [participant('SJ-001', { randomized: false, arm: null, administration: null })],
      ),
    );
    expect(checkConsortConsistency(noneRandomized)).toEqual([]);
    expect(noneRandomized.pending.n).toBe(1);
    expect(noneRandomized.columns.every((col) => col.allocated.n === 0)).toBe(true);

    const all = [1, 2, 3, 4].map((i) => `SJ-00${i}`);
    const withdrawn = countConsort(
      input(
        all.map((id, i) => screening(i + 1, 'enrolled', { studyId: id })),
        all.map((id, i) =>
          participant(id, {
            arm: i % 2 ? 'SALINE' : 'ADMSC',
            withdrawn: true,
            withdrawalReason: i < 2 ? 'Lost to follow-up' : 'Consent withdrawn',
          }),
        ),
      ),
    );
    expect(checkConsortConsistency(withdrawn)).toEqual([]);
    expect(withdrawn.columns.reduce((s, col) => s + col.lostToFollowUp.n + col.discontinued.n, 0)).toBe(4);
    expect(withdrawn.columns.reduce((s, col) => s + col.inFollowUp.n, 0)).toBe(0);
  });

  it('is consistent for any mix of states (property)', () => {
    const statuses = ['in_progress', 'eligible', 'ineligible', 'declined', 'not_reached', 'other', 'enrolled'] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            status: fc.constantFrom(...statuses),
            randomized: fc.boolean(),
            arm: fc.constantFrom('ADMSC', 'SALINE'),
            administration: fc.constantFrom('administered', 'not_administered', null),
            withdrawn: fc.boolean(),
            analysed: fc.boolean(),
            failed: fc.subarray(['IC1', 'EC10', 'EC99']),
          }),
          { maxLength: 60 },
        ),
        fc.boolean(),
        (rows, byArm) => {
          const screenings = rows.map((r, i) =>
            screening(i + 1, r.status, {
              failedCriteria: r.status === 'ineligible' ? r.failed : [],
              studyId: r.status === 'enrolled' ? `SJ-${i + 1}` : null,
            }),
          );
          const participants = rows.flatMap((r, i) =>
            r.status === 'enrolled'
              ? [
                  participant(`SJ-${i + 1}`, {
                    randomized: r.randomized,
                    arm: r.randomized ? r.arm : null,
                    administration: r.randomized ? (r.administration as ConsortParticipant['administration']) : null,
                    withdrawn: r.withdrawn,
                    analysedFor: r.analysed ? ['koos_symptoms'] : [],
                  }),
                ]
              : [],
          );
          const c = countConsort(input(screenings, participants, byArm));
          expect(checkConsortConsistency(c)).toEqual([]);
          expect(c.assessed.n).toBe(rows.length);
          expect(c.randomized.n).toBe(rows.filter((r) => r.status === 'enrolled' && r.randomized).length);
          const svg = renderConsortSvg(c);
          expect(svg.startsWith('<svg')).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('layoutConsort / renderConsortSvg', () => {
  it('places boxes without overlap and tags every count line with its key', () => {
    const c = countConsort(
      input([screening(1, 'declined'), screening(2, 'enrolled', { studyId: 'SJ-001' })], [participant('SJ-001')]),
    );
    const layout = layoutConsort(c);
    const boxes = layout.boxes;
    for (const a of boxes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.h).toBeLessThanOrEqual(layout.height);
      for (const b of boxes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.key} overlaps ${b.key}`).toBe(false);
      }
    }
    const svg = renderConsortSvg(c, { title: 'T & <b>', footnote: 'f' });
    expect(svg).toContain('T &amp; &lt;b&gt;');
    expect(svg).toContain('data-key="assessed"');
    expect(svg).toContain('data-key="excluded.declined"');
    expect(svg).toContain('Assessed for eligibility (n\u00a0=\u00a02)');
    expect(svg.match(/<g class="consort-box"/g)!.length).toBe(boxes.filter((b) => b.kind === 'box').length);
  });

  it('wraps long reasons inside the box width', () => {
    const long = 'a very long reason '.repeat(12).trim();
    const c = countConsort(input([screening(1, 'other', { outcomeReason: long })], []));
    const box = layoutConsort(c).boxes.find((b) => b.key === 'excluded')!;
    for (const l of box.lines) expect(l.text.length * 6.6 + 8 + l.indent * 14).toBeLessThanOrEqual(box.w);
  });
});
