/**
 * Complete, valid example values of the STEMJOINT forms, for the engine's tests, the API tests
 * and the benchmark (not used by production code).
 */
import { KOOS_ITEM_IDS } from '../scoring/koos-items.js';

/** Every KOOS item answered with the same value. */
export function uniformKoos(value: number): Record<string, number> {
  return Object.fromEntries(KOOS_ITEM_IDS.map((id) => [id, value]));
}

/** A plausible full KOOS (moderate problems). */
export const SAMPLE_KOOS: Readonly<Record<string, number>> = Object.fromEntries(
  KOOS_ITEM_IDS.map((id, i) => [id, [1, 2, 2, 3, 1][i % 5] ?? 2]),
);

/** A complete clinical examination of both knees (right knee with a trace effusion). */
export const SAMPLE_CLINICAL_EXAM: Readonly<Record<string, unknown>> = {
  assessor: 'KJ',
  rom_mode: 'active',
  knee_circ_landmark: 'mid_patella',
  thigh_method: 'tape',
  right_flexion_deg: 118,
  right_extension_deg: -5,
  right_stroke_test: 'trace',
  right_patellar_tap: false,
  right_knee_circ_cm: 41.5,
  right_thigh_circ_cm: 52.0,
  right_thigh_distance_cm: 15,
  left_flexion_deg: 132,
  left_extension_deg: 0,
  left_stroke_test: '0',
  left_patellar_tap: false,
  left_knee_circ_cm: 39.8,
  left_thigh_circ_cm: 53.4,
  left_thigh_distance_cm: 15,
};

/** A complete NRS entry. */
export const SAMPLE_NRS: Readonly<Record<string, unknown>> = {
  nrs_pain: 6,
  nrs_recall: 'last_7d',
  nrs_aspect: 'average',
};

/** An anti-HLA antibody screen with two beads (one donor-specific). */
export function sampleHlaAntibody(
  beads: readonly { spec: string; positive: boolean; dsa: boolean; mfi: number }[],
): Record<string, unknown> {
  return {
    sample_date: '2024-01-15',
    assay: 'LABScreen Single Antigen',
    assay_lot: 'L123',
    lab_cutoff_mfi: 1000,
    class_i_positive: beads.some((b) => b.positive),
    class_ii_positive: false,
    beads: beads.map((b) => ({
      bead_class: 'I',
      bead_specificity: b.spec,
      bead_mfi: b.mfi,
      bead_positive: b.positive,
      bead_donor_specific: b.dsa,
    })),
  };
}
