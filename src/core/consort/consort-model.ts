/**
 * CONSORT 2010 flow counting (pure): from the screening log, enrolment, randomization, the
 * injection and the follow-up status, the boxes of the flow diagram with the people behind each
 * box. Every screened person lands in exactly one leaf of the enrolment stage (excluded for one
 * reason, still pending, or randomized); every randomized participant in exactly one allocation
 * leaf (received / did not receive / awaiting the injection) and exactly one follow-up leaf (lost
 * to follow-up, discontinued, completed, in follow-up). Criterion counts under "not meeting the
 * criteria" are per criterion and may overlap (one person can fail several), as CONSORT asks.
 * The blinded diagram has one column with the arms pooled; the by-arm diagram one column per arm.
 */

/** The screening outcomes the log records. */
export type ConsortScreeningStatus =
  'in_progress' | 'eligible' | 'ineligible' | 'declined' | 'not_reached' | 'other' | 'enrolled';

/** One screening of the log. */
export interface ConsortScreening {
  /** Screening number (`S-0001`): the id shown for people who were not enrolled. */
  readonly screeningNumber: string;
  readonly status: ConsortScreeningStatus;
  /** Failed inclusion criteria and triggered exclusion criteria (ineligible screenings). */
  readonly failedCriteria: readonly string[];
  /** The reason recorded with a manual outcome (declined, not reached, other). */
  readonly outcomeReason: string | null;
  /** Study id of the participant enrolled from this screening. */
  readonly studyId: string | null;
}

/** One enrolled participant. */
export interface ConsortParticipant {
  readonly studyId: string;
  readonly randomized: boolean;
  /** The allocated arm (by-arm diagrams only). */
  readonly arm: string | null;
  readonly administration: 'administered' | 'not_administered' | null;
  readonly notAdministeredReason: string | null;
  readonly withdrawn: boolean;
  readonly withdrawalReason: string | null;
  /** From the end-of-study form: completed, or the early-termination reason code. */
  readonly endOfStudy: {
    readonly status: 'completed' | 'early_termination' | null;
    readonly reason: string | null;
  } | null;
  /** Outcome ids of the analyses this participant is included in. */
  readonly analysedFor: readonly string[];
  /** Why a participant is not in an outcome's analysis, by outcome id (e.g. "no follow-up data yet"). */
  readonly notAnalysedReasons: Readonly<Record<string, string>>;
}

/** Input of {@link countConsort}. */
export interface ConsortInput {
  readonly screenings: readonly ConsortScreening[];
  readonly participants: readonly ConsortParticipant[];
  /** Criterion ids and names, in protocol order. */
  readonly criteria: readonly { readonly id: string; readonly name: string }[];
  /** The arms in display order (by-arm), or null for the blinded, pooled diagram. */
  readonly arms: readonly { readonly code: string; readonly label: string }[] | null;
  /** The outcomes analysed, in display order (the first is the primary). */
  readonly outcomes: readonly { readonly id: string; readonly label: string }[];
  /** Labels of end-of-study reason codes. */
  readonly endOfStudyReasons?: Readonly<Record<string, string>>;
}

/** One box (or one reason line inside a box) with the ids of the people behind it. */
export interface ConsortCount {
  readonly key: string;
  readonly label: string;
  readonly n: number;
  /** Screening numbers (not enrolled) or study ids (enrolled), sorted. */
  readonly ids: readonly string[];
  /** Reasons or sub-groups; exclusive unless `overlapping`. */
  readonly parts?: readonly ConsortCount[];
  /** The parts may overlap (criteria: one person can fail several). */
  readonly overlapping?: boolean;
}

/** One arm's column (or the pooled column). */
export interface ConsortArmColumn {
  /** The arm code, or null for the pooled column. */
  readonly arm: string | null;
  readonly label: string;
  readonly allocated: ConsortCount;
  readonly received: ConsortCount;
  readonly notReceived: ConsortCount;
  readonly awaitingInjection: ConsortCount;
  readonly lostToFollowUp: ConsortCount;
  readonly discontinued: ConsortCount;
  readonly completed: ConsortCount;
  readonly inFollowUp: ConsortCount;
  /** Per outcome: analysed and excluded from the analysis (with reasons). */
  readonly analysis: readonly {
    readonly outcomeId: string;
    readonly label: string;
    readonly analysed: ConsortCount;
    readonly excluded: ConsortCount;
  }[];
}

/** The counted diagram. */
export interface ConsortCounts {
  readonly blinded: boolean;
  readonly assessed: ConsortCount;
  readonly excluded: ConsortCount;
  /** Screened but neither excluded nor randomized yet. */
  readonly pending: ConsortCount;
  readonly randomized: ConsortCount;
  readonly columns: readonly ConsortArmColumn[];
}

const byId = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

function count(
  key: string,
  label: string,
  ids: readonly string[],
  parts?: readonly ConsortCount[],
  overlapping?: boolean,
): ConsortCount {
  const sorted = [...ids].sort(byId);
  return {
    key,
    label,
    n: sorted.length,
    ids: sorted,
    ...(parts ? { parts } : {}),
    ...(overlapping ? { overlapping } : {}),
  };
}

/** Groups ids by a reason text into counted parts, largest first. */
function reasons(prefix: string, entries: readonly { id: string; reason: string }[]): ConsortCount[] {
  const groups = new Map<string, string[]>();
  for (const e of entries) groups.set(e.reason, [...(groups.get(e.reason) ?? []), e.id]);
  return [...groups]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([reason, ids], i) => count(`${prefix}.${i + 1}`, reason, ids));
}

const DEFAULT_EOS_REASONS: Readonly<Record<string, string>> = {
  consent_withdrawn: 'Consent withdrawn',
  lost_to_follow_up: 'Lost to follow-up',
  adverse_event: 'Adverse event',
  death: 'Death',
  investigator_decision: 'Investigator decision',
  not_treated: 'Not treated',
  sponsor_terminated: 'Study terminated by sponsor',
  other: 'Other',
};

/** Where a randomized participant stands in follow-up (exactly one). */
function followUpStatus(
  p: ConsortParticipant,
  eosLabels: Readonly<Record<string, string>>,
): { status: 'lost' | 'discontinued' | 'completed' | 'ongoing'; reason: string } {
  const eos = p.endOfStudy;
  if (eos?.status === 'completed' && !p.withdrawn) return { status: 'completed', reason: 'Completed' };
  const code = eos?.status === 'early_termination' ? eos.reason : null;
  if (p.withdrawn || code !== null) {
    const text = p.withdrawalReason ?? '';
    const lost = code === 'lost_to_follow_up' || (code === null && /lost to follow/i.test(text));
    const reason = code !== null ? (eosLabels[code] ?? code) : text.trim() || 'Reason not recorded';
    return { status: lost ? 'lost' : 'discontinued', reason: lost ? 'Lost to follow-up' : reason };
  }
  return { status: 'ongoing', reason: 'In follow-up' };
}

/** Counts the diagram. */
export function countConsort(input: ConsortInput): ConsortCounts {
  const eosLabels = { ...DEFAULT_EOS_REASONS, ...input.endOfStudyReasons };
  const participants = new Map(input.participants.map((p) => [p.studyId, p]));
  const criterionName = new Map(input.criteria.map((c) => [c.id, c.name]));

  // Enrolment stage: each screening in exactly one leaf.
  const ineligible: ConsortScreening[] = [];
  const declined: string[] = [];
  const notReached: string[] = [];
  const other: { id: string; reason: string }[] = [];
  const withdrewBefore: { id: string; reason: string }[] = [];
  const inProgress: string[] = [];
  const awaitingEnrolment: string[] = [];
  const awaitingRandomization: string[] = [];
  const randomizedIds: string[] = [];
  const idOf = (s: ConsortScreening): string => s.studyId ?? s.screeningNumber;
  for (const s of input.screenings) {
    switch (s.status) {
      case 'ineligible':
        ineligible.push(s);
        break;
      case 'declined':
        declined.push(s.screeningNumber);
        break;
      case 'not_reached':
        notReached.push(s.screeningNumber);
        break;
      case 'other':
        other.push({ id: s.screeningNumber, reason: s.outcomeReason?.trim() || 'Other reason' });
        break;
      case 'in_progress':
        inProgress.push(s.screeningNumber);
        break;
      case 'eligible':
        awaitingEnrolment.push(s.screeningNumber);
        break;
      case 'enrolled': {
        const p = s.studyId === null ? undefined : participants.get(s.studyId);
        if (p?.randomized) randomizedIds.push(p.studyId);
        else if (p?.withdrawn) {
          withdrewBefore.push({ id: idOf(s), reason: p.withdrawalReason?.trim() || 'Withdrew before randomization' });
        } else awaitingRandomization.push(idOf(s));
        break;
      }
    }
  }

  const criterionParts = input.criteria
    .map((c) =>
      count(
        `excluded.criteria.${c.id}`,
        `${c.id} ${c.name}`,
        ineligible.filter((s) => s.failedCriteria.includes(c.id)).map((s) => s.screeningNumber),
      ),
    )
    .filter((c) => c.n > 0);
  // Criteria the protocol no longer lists (an amendment) still count, under their id.
  for (const id of new Set(ineligible.flatMap((s) => s.failedCriteria))) {
    if (!criterionName.has(id)) {
      criterionParts.push(
        count(
          `excluded.criteria.${id}`,
          id,
          ineligible.filter((s) => s.failedCriteria.includes(id)).map((s) => s.screeningNumber),
        ),
      );
    }
  }
  const excludedParts = [
    count(
      'excluded.criteria',
      'Not meeting inclusion criteria or meeting exclusion criteria',
      ineligible.map((s) => s.screeningNumber),
      criterionParts,
      true,
    ),
    count('excluded.declined', 'Declined to participate', declined),
    count('excluded.not_reached', 'Could not be reached', notReached),
    count(
      'excluded.other',
      'Other reasons',
      other.map((o) => o.id),
      reasons('excluded.other', other),
    ),
    count(
      'excluded.withdrew',
      'Withdrew before randomization',
      withdrewBefore.map((o) => o.id),
      reasons('excluded.withdrew', withdrewBefore),
    ),
  ].filter((c) => c.n > 0 || ['excluded.criteria', 'excluded.declined', 'excluded.other'].includes(c.key));
  const excluded = count(
    'excluded',
    'Excluded',
    excludedParts.flatMap((c) => c.ids),
    excludedParts,
  );
  const pendingParts = [
    count('pending.screening', 'Screening in progress', inProgress),
    count('pending.enrolment', 'Eligible, not yet enrolled', awaitingEnrolment),
    count('pending.randomization', 'Enrolled, not yet randomized', awaitingRandomization),
  ];
  const pending = count(
    'pending',
    'Not yet randomized',
    pendingParts.flatMap((c) => c.ids),
    pendingParts,
  );
  const randomized = count('randomized', 'Randomized', randomizedIds);
  const assessed = count('assessed', 'Assessed for eligibility', input.screenings.map(idOf));

  const groups =
    input.arms === null
      ? [{ code: null, label: 'Allocated (arms pooled, blinded)' }]
      : input.arms.map((a) => ({ code: a.code, label: `Allocated to ${a.label}` }));
  const columns: ConsortArmColumn[] = groups.map((g) => {
    const key = g.code ?? 'pooled';
    const members = randomizedIds.map((id) => participants.get(id)!).filter((p) => g.code === null || p.arm === g.code);
    const notGiven = members.filter((p) => p.administration === 'not_administered');
    const follow = members.map((p) => ({ p, ...followUpStatus(p, eosLabels) }));
    const analysis = input.outcomes.map((o) => {
      const excludedFrom = members.filter((p) => !p.analysedFor.includes(o.id));
      return {
        outcomeId: o.id,
        label: o.label,
        analysed: count(
          `${key}.analysed.${o.id}`,
          `Analysed: ${o.label}`,
          members.filter((p) => p.analysedFor.includes(o.id)).map((p) => p.studyId),
        ),
        excluded: count(
          `${key}.not_analysed.${o.id}`,
          `Excluded from analysis: ${o.label}`,
          excludedFrom.map((p) => p.studyId),
          reasons(
            `${key}.not_analysed.${o.id}`,
            excludedFrom.map((p) => ({ id: p.studyId, reason: p.notAnalysedReasons[o.id] ?? 'No data' })),
          ),
        ),
      };
    });
    return {
      arm: g.code,
      label: g.label,
      allocated: count(
        `${key}.allocated`,
        g.label,
        members.map((p) => p.studyId),
      ),
      received: count(
        `${key}.received`,
        'Received allocated intervention',
        members.filter((p) => p.administration === 'administered').map((p) => p.studyId),
      ),
      notReceived: count(
        `${key}.not_received`,
        'Did not receive allocated intervention',
        notGiven.map((p) => p.studyId),
        reasons(
          `${key}.not_received`,
          notGiven.map((p) => ({ id: p.studyId, reason: p.notAdministeredReason?.trim() || 'Reason not recorded' })),
        ),
      ),
      awaitingInjection: count(
        `${key}.awaiting_injection`,
        'Injection not yet given',
        members.filter((p) => p.administration === null).map((p) => p.studyId),
      ),
      lostToFollowUp: count(
        `${key}.lost`,
        'Lost to follow-up',
        follow.filter((f) => f.status === 'lost').map((f) => f.p.studyId),
      ),
      discontinued: count(
        `${key}.discontinued`,
        'Discontinued (withdrew from follow-up)',
        follow.filter((f) => f.status === 'discontinued').map((f) => f.p.studyId),
        reasons(
          `${key}.discontinued`,
          follow.filter((f) => f.status === 'discontinued').map((f) => ({ id: f.p.studyId, reason: f.reason })),
        ),
      ),
      completed: count(
        `${key}.completed`,
        'Completed follow-up',
        follow.filter((f) => f.status === 'completed').map((f) => f.p.studyId),
      ),
      inFollowUp: count(
        `${key}.in_follow_up`,
        'In follow-up',
        follow.filter((f) => f.status === 'ongoing').map((f) => f.p.studyId),
      ),
      analysis,
    };
  });
  return { blinded: input.arms === null, assessed, excluded, pending, randomized, columns };
}

/** Checks the diagram's arithmetic; returns the problems found (none on a consistent diagram). */
export function checkConsortConsistency(c: ConsortCounts): string[] {
  const problems: string[] = [];
  const leaves = [...(c.excluded.parts ?? []), ...(c.pending.parts ?? []), c.randomized];
  const all = leaves.flatMap((l) => l.ids);
  if (all.length !== c.assessed.n) {
    problems.push(`assessed ${c.assessed.n} ≠ excluded + pending + randomized ${all.length}`);
  }
  if (new Set(all).size !== all.length) problems.push('someone is in more than one enrolment box');
  const allocated = c.columns.reduce((s, col) => s + col.allocated.n, 0);
  if (allocated !== c.randomized.n) problems.push(`randomized ${c.randomized.n} ≠ allocated ${allocated}`);
  for (const col of c.columns) {
    const given = col.received.n + col.notReceived.n + col.awaitingInjection.n;
    if (given !== col.allocated.n) {
      problems.push(`${col.label}: allocated ${col.allocated.n} ≠ received + not received + awaiting ${given}`);
    }
    const follow = col.lostToFollowUp.n + col.discontinued.n + col.completed.n + col.inFollowUp.n;
    if (follow !== col.allocated.n) {
      problems.push(`${col.label}: allocated ${col.allocated.n} ≠ follow-up statuses ${follow}`);
    }
    for (const a of col.analysis) {
      if (a.analysed.n + a.excluded.n !== col.allocated.n) {
        problems.push(`${col.label} ${a.outcomeId}: analysed + excluded ≠ allocated`);
      }
    }
  }
  return problems;
}
