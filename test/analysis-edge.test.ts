/**
 * The SAP's analyses (pure) on datasets a running trial actually has: nothing yet, baseline only,
 * one arm only, late visits with too few observations — every result says what it can and why it
 * cannot, nothing throws, and a pooled run never names an arm.
 */
import { describe, expect, it } from 'vitest';
import { STEMJOINT_PROTOCOL } from '../src/core/protocol/stemjoint.js';
import { createSeededRandom } from '../src/core/simulation/seeded-random.js';
import type { AnalysisDataset, AnalysisParticipant } from '../src/services/analysis/analysis-dataset.js';
import { hashDataset } from '../src/services/analysis/analysis-dataset.js';
import { runSapAnalyses } from '../src/services/analysis/sap-analyses.js';
import { buildSapPlan } from '../src/services/analysis/sap-plan.js';

const plan = buildSapPlan(STEMJOINT_PROTOCOL);

function person(
  i: number,
  arm: string | null,
  values: AnalysisParticipant['values'],
  extra: Partial<AnalysisParticipant> = {},
): AnalysisParticipant {
  return {
    studyId: `SJ-${String(i).padStart(3, '0')}`,
    site: 'AUH',
    stratum: i % 3 ? 'KL2' : 'KL3',
    randomized: true,
    arm,
    day0: '2025-01-10',
    administration: 'administered',
    enrolledOn: '2025-01-01',
    status: 'randomized',
    withdrawnOn: null,
    emergencyUnblinded: false,
    indexKnee: 'right',
    values,
    effusion: {},
    deNovoDsa: null,
    ...extra,
  };
}

const dataset = (participants: AnalysisParticipant[], unblinded = true): AnalysisDataset => ({
  protocolVersion: '1.0',
  dataCutoff: '2026-01-01',
  databaseLocked: true,
  unblinded,
  includesDsa: unblinded,
  participants,
  adverseEvents: [],
});

describe('runSapAnalyses on a young trial', () => {
  it('nothing yet: empty results, no throw', () => {
    const r = runSapAnalyses(dataset([]), plan, { byArm: true });
    expect(r.populations).toMatchObject({ enrolled: 0, randomized: 0, fullAnalysisSet: 0 });
    expect(r.continuous).toEqual([]);
    expect(r.adverseEvents.pooled.participants).toBe(0);
    expect(r.deNovoDsa!.byArm!.riskDifference).toMatchObject({ estimable: false });
  });

  it('baseline only: descriptions of the baseline, models not estimable with the reason', () => {
    const people = [1, 2, 3, 4].map((i) => person(i, i % 2 ? 'ADMSC' : 'SALINE', { koos_symptoms: { BL: 40 + i } }));
    const r = runSapAnalyses(dataset(people), plan, { byArm: true });
    const koos = r.continuous.find((c) => c.variable === 'koos_symptoms')!;
    expect(koos.pooled.values[0]).toMatchObject({ visit: 'BL', n: 4, mean: 42.5 });
    expect(koos.pooled.change.every((row) => row.n === 0 && row.mean === null)).toBe(true);
    expect(koos.byArm!.mmrm).toEqual({ estimable: false, reason: 'no post-baseline data with a baseline value' });
    expect(koos.byArm!.ancova).toMatchObject({ estimable: false });
  });

  it('one arm only, and late visits too sparse for the model', () => {
    const rng = createSeededRandom(3);
    const people: AnalysisParticipant[] = [];
    for (let i = 1; i <= 30; i++) {
      const base = 50 + rng.normal(0, 10);
      const v: Record<string, number> = { BL: base, M3: base + 5 + rng.normal(0, 8), M12: base + 6 + rng.normal(0, 8) };
      if (i <= 2) v.M24 = base + 7;
      people.push(person(i, i % 2 ? 'ADMSC' : 'SALINE', { koos_symptoms: v }));
    }
    const r = runSapAnalyses(dataset(people), plan, { byArm: true });
    const m = r.continuous[0]!.byArm!.mmrm;
    if (!m.estimable) throw new Error(m.reason);
    expect(m.visits).toEqual(['M3', 'M12']);
    expect(m.excludedVisits.map((x) => x.visit)).toEqual(['M24', 'Y3', 'Y4', 'Y5']);
    expect(m.excludedVisits[0]!.reason).toMatch(/1 vs 1 observations/);

    // Stratum confounded with the arm: the model leaves the stratum out and says so.
    const confounded = runSapAnalyses(
      dataset(people.map((p) => ({ ...p, stratum: p.arm === 'ADMSC' ? 'KL2' : 'KL3' }))),
      plan,
      { byArm: true },
    );
    const mc = confounded.continuous[0]!.byArm!.mmrm;
    expect(mc).toMatchObject({ estimable: true, covariates: [] });
    expect(mc.estimable && mc.notes[0]).toMatch(/stratum left out of the model/);

    const oneArm = runSapAnalyses(dataset(people.map((p) => ({ ...p, arm: 'ADMSC' }))), plan, { byArm: true });
    expect(oneArm.continuous[0]!.byArm!.mmrm).toMatchObject({ estimable: false });
    expect(oneArm.continuous[0]!.byArm!.ancova).toMatchObject({
      estimable: false,
      reason: expect.stringMatching(/SALINE/),
    });
  });

  it('pooled runs name no arm and ignore arms present in the data', () => {
    const people = [1, 2, 3, 4].map((i) => person(i, null, { koos_symptoms: { BL: 40, M3: 50 + i } }));
    const r = runSapAnalyses(dataset(people, false), plan, { byArm: false });
    expect(JSON.stringify(r)).not.toMatch(/ADMSC|SALINE|"byArm"|"arm"/);
    expect(r.deNovoDsa!.note).toMatch(/potentially unblinding/);
    // A by-arm request on a blinded dataset stays pooled.
    expect(JSON.stringify(runSapAnalyses(dataset(people, false), plan, { byArm: true }))).not.toMatch(/"byArm"/);
  });

  it('the data snapshot hash changes with any value and nothing else', () => {
    const a = dataset([person(1, null, { koos_symptoms: { BL: 40 } })], false);
    const b = dataset([person(1, null, { koos_symptoms: { BL: 40.0000001 } })], false);
    expect(hashDataset(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashDataset(a)).toBe(hashDataset(structuredClone(a)));
    expect(hashDataset(a)).not.toBe(hashDataset(b));
  });
});
